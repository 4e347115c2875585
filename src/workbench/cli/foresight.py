"""``workbench foresight``: MICMAC, MACTOR and morphological analysis from files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok, fail
from workbench.i18n import _, ngettext

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group("foresight", cls=WorkbenchGroup, help=_("Foresight: structural analysis, actors, "
                                                     "scenarios."))
def group() -> None:
    """Foresight commands."""


def _decimal(value: float, places: int | None = None) -> str:
    """A number as French staff read it: decimal comma."""
    text = f"{value:.{places}f}" if places is not None else f"{value:g}"
    return text.replace(".", ",")


def _print_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@group.command("micmac", help=_("Structural analysis of a direct influence matrix "
                                "(CSV or XLSX, cells 0-3 or P)."))
@click.argument("matrix", type=FILE)
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
@click.option("--potential", default=3, show_default=True, type=click.IntRange(0, 3),
              help=_("Value of P in the potential matrix."))
def micmac(matrix: Path, as_json: bool, potential: int) -> None:
    from workbench.foresight.micmac import analyse, read_matrix

    result = analyse(*read_matrix(matrix), potential=potential)
    if as_json:
        _print_json(result.to_json())
        return
    click.echo(_("{n} variables; {indirect}").format(n=len(result.variables),
                                                     indirect=result.settling.describe()))
    for name, influence, dependence in zip(result.variables, result.direct.influence,
                                           result.direct.dependence, strict=True):
        click.echo(_("{name}: influence {influence:g}, dependence {dependence:g}, "
                     "{quadrant} (indirect: {indirect})").format(
            name=name, influence=influence, dependence=dependence,
            quadrant=result.classification[name],
            indirect=result.indirect_classification[name]))


@group.command("mactor", help=_("Actors' balance of power and positions (YAML: actors, "
                                "objectives, mid, mao)."))
@click.argument("file", type=FILE)
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
@click.option("--include-diagonal", is_flag=True,
              help=_("Count MIDI's diagonal in the balance of power r*."))
def mactor(file: Path, as_json: bool, include_diagonal: bool) -> None:
    from workbench.foresight.mactor import load_mactor

    result = load_mactor(file, include_diagonal)
    if as_json:
        _print_json(result.to_json())
        return
    for name, influence, dependence, r in zip(result.actors, result.influence,
                                              result.dependence, result.r_star, strict=True):
        click.echo(_("{name}: influence {influence:g}, dependence {dependence:g}, "
                     "r* {r}").format(name=name, influence=influence, dependence=dependence,
                                      r=_decimal(r, 2)))


@group.command("morpho", help=_("Count (and list) the scenarios of a morphological space "
                                "(YAML: components, exclusions, preferred)."))
@click.argument("file", type=FILE)
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
@click.option("--list", "listing", is_flag=True, help=_("List the feasible scenarios."))
def morpho(file: Path, as_json: bool, listing: bool) -> None:
    from workbench.foresight.morpho import load_morphology

    space = load_morphology(file)
    if as_json:
        _print_json(space.to_json(listing=listing))
        return
    click.echo(_("{raw} scenarios in the space, {feasible} feasible.").format(
        raw=space.raw_count, feasible=space.feasible_count()))
    if listing:
        for number, scenario in enumerate(space.scenarios(), start=1):
            click.echo(f"{number}. " + " ; ".join(
                f"{c} = {v}" for c, v in zip(space.components, scenario, strict=True)))


@group.command("scoring-study", help=_("Create a MICMAC study to score in workshops."))
@click.argument("slug")
@click.option("--title", required=True, help=_("Title shown to participants."))
@click.option("--variables", help=_("Variables, separated by commas."))
@click.option("--from-matrix", type=FILE, help=_("Take the variables from a matrix file."))
def scoring_study(slug: str, title: str, variables: str | None,
                  from_matrix: Path | None) -> None:
    from workbench.foresight.scoring import create_study
    from workbench.tables import read_records

    if bool(variables) == bool(from_matrix):
        raise fail(_("Give either --variables or --from-matrix."))
    names = (read_records(from_matrix)[0][1:] if from_matrix  # the header, an empty file: []
             else [v.strip() for v in variables.split(",")])
    create_study(slug, title, names)
    echo_ok(_("Study '{slug}' created with {n} variables.").format(slug=slug, n=len(names)))


@group.command("scoring-group", help=_("Create a scoring group and print its address."))
@click.argument("slug")
@click.argument("name")
@click.option("--rows", required=True,
              help=_("Variables whose influence the group scores, separated by commas."))
def scoring_group(slug: str, name: str, rows: str) -> None:
    from workbench.foresight.scoring import create_group, find_group, pairs
    from workbench.web.urls import public_base, scoring_url

    code = create_group(slug, name, [r.strip() for r in rows.split(",") if r.strip()])
    n = len(pairs(find_group(code)))
    echo_ok(ngettext("Group '{name}' ({n} pair), code {code}: {url}",
                     "Group '{name}' ({n} pairs), code {code}: {url}", n).format(
        name=name, n=n, code=code, url=scoring_url(public_base(), code)))


@group.command("scoring-assemble", help=_("Assemble the matrix from every group's scores."))
@click.argument("slug")
@click.option("--output", type=FILE, help=_("CSV file to write (for 'foresight micmac')."))
def scoring_assemble(slug: str, output: Path | None) -> None:
    from workbench.foresight.scoring import assemble
    from workbench.spreadsheets import write_csv

    assembly = assemble(slug)
    if output:
        write_csv(output, [["", *assembly.variables],
                           *([name, *row] for name, row in zip(assembly.variables,
                                                              assembly.cells, strict=True))],
                  encoding="utf-8")
        echo_ok(_("Matrix written: {file}").format(file=output))
    click.echo(_("Pairs not scored yet: {n}").format(n=assembly.missing))
    for source, target, values in assembly.disagreements:
        click.echo(_("To discuss: {source} → {target} (scores: {values})").format(
            source=source, target=target, values=", ".join(values)))


@group.command("delphi-panel", help=_("Create the personal links of a Delphi panel."))
@click.argument("study")
@click.option("--count", type=click.IntRange(1, 500), required=True)
def delphi_panel(study: str, count: int) -> None:
    from workbench.foresight.delphi import load_delphi
    from workbench.foresight.delphi_rounds import create_panel
    from workbench.web.urls import delphi_url, public_base

    load_delphi(study)
    for token in create_panel(study, count):
        click.echo(delphi_url(public_base(), study, token))
    echo_ok(ngettext("{n} personal link created (keep it: it is not stored in clear).",
                     "{n} personal links created (keep them: they are not stored in clear).",
                     count).format(n=count))


@group.command("delphi-open", help=_("Open a round of a Delphi study (closes the others)."))
@click.argument("study")
@click.option("--round", "number", type=click.IntRange(1, 20), required=True)
def delphi_open(study: str, number: int) -> None:
    from workbench.foresight.delphi import load_delphi
    from workbench.foresight.delphi_rounds import open_round

    open_round(load_delphi(study), number)
    echo_ok(_("Round {n} of '{study}' is open.").format(n=number, study=study))


@group.command("delphi", help=_("Which items of a Delphi round reached consensus, which are "
                                "stable."))
@click.argument("study")
@click.option("--round", "number", type=click.IntRange(1, 20), required=True)
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
def delphi_report(study: str, number: int, as_json: bool) -> None:
    from workbench.foresight.delphi import load_delphi, verdict
    from workbench.foresight.delphi_rounds import round_stats

    delphi = load_delphi(study)
    current = round_stats(delphi, number)
    previous = round_stats(delphi, number - 1) if number > 1 else {}
    items = []
    for item, statement in delphi.items:
        stats = current[item]
        entry = {"item": item, "statement": statement, "answers": stats.n if stats else 0}
        if stats:
            entry |= {"median": stats.median, "q1": stats.q1, "q3": stats.q3, "iqr": stats.iqr,
                      "top_share": round(stats.top_share, 3),
                      **verdict(stats, previous.get(item), delphi.rules)}
        items.append(entry)
    if as_json:
        _print_json({"study": study, "round": number, "final": number >= delphi.rules.max_rounds,
                     "items": items})
        return
    for entry in items:
        if not entry["answers"]:
            click.echo(_("{item}: no answer").format(item=entry["item"]))
            continue
        click.echo(_("{item}: median {median}, IQR {iqr}, top band {top} % — "
                     "{consensus}, {stable}").format(
            item=entry["item"], median=_decimal(entry["median"]),
            iqr=_decimal(entry["iqr"]), top=round(100 * entry["top_share"]),
            consensus=_("consensus") if entry["consensus"] else _("no consensus"),
            stable=_("stable") if entry["stable"] else _("not stable")))
