"""``workbench pb``: the participatory budget's counts and pabulib files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench.cli.common import StaffError, WorkbenchGroup
from workbench.cli.invitations import DEFAULT_BASE
from workbench.i18n import _, ngettext

FILE = click.Path(dir_okay=False, path_type=Path)
RULE_NAMES = ["greedy", "equalshares", "equalshares/add1", "equalshares-comparison",
              "equalshares/add1-comparison"]


@click.group("pb", cls=WorkbenchGroup, help=_("Participatory budget: counts and pabulib "
                                              "files."))
def group() -> None:
    """Participatory budget commands."""


def _euros(value) -> str:
    return f"{float(value):,.2f}".replace(",", "\u202f").replace(".", ",")


def _read(file: Path):
    from workbench.budget import pabulib

    if not file.is_file():
        raise click.BadParameter(_("“{path}” does not exist.").format(path=file),
                                 param_hint="FILE")
    return pabulib.read(file)


@group.command("results", help=_("Count a pabulib file (.pb), or an edition with --edition, "
                                 "with its rule or --rule."))
@click.argument("file", type=FILE, required=False)
@click.option("--edition", help=_("Count this edition of the database instead of a file."))
@click.option("--rule", type=click.Choice(RULE_NAMES),
              help=_("Counting rule (default: the rule in the file's META)."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
def results(file: Path | None, edition: str | None, rule: str | None, as_json: bool) -> None:
    from workbench.budget import store
    from workbench.budget.analysis import summarise
    from workbench.budget.election import from_pabulib
    from workbench.budget.rules import count

    if (file is None) == (edition is None):
        raise click.UsageError(_("Give either a file or --edition."))
    if edition:
        from workbench.budget.voting import mix_ballot_box

        mix_ballot_box(edition)  # the first count after the close shakes the box
    election = store.election(edition) if edition else from_pabulib(_read(file))
    chosen = rule or election.rule or "greedy"
    if chosen not in RULE_NAMES:
        raise click.BadParameter(_("the file's rule “{rule}” is not one this command counts; "
                                   "choose one with --rule.").format(rule=chosen),
                                 param_hint="--rule")
    summary = summarise(election, count(election, chosen))
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(ngettext("Rule {rule}: {n} project funded for {cost} (budget {budget}).",
                        "Rule {rule}: {n} projects funded for {cost} (budget {budget}).",
                        len(summary.selected)).format(
        rule=chosen, n=len(summary.selected), cost=_euros(summary.total_cost),
        budget=_euros(election.budget)))
    click.echo(_("Funded: {projects}").format(projects=", ".join(summary.selected) or "—"))
    if summary.per_voter_budget is not None:
        click.echo(_("Budget per voter (Equal Shares): {amount}").format(
            amount=_euros(summary.per_voter_budget)))
    click.echo(_("Voters with at least one funded project: {pct} %").format(
        pct=f"{summary.voters_with_funded_project_pct:.2f}".replace(".", ",")))


@group.command("import", help=_("Store a pabulib file (.pb) as a participatory budget "
                                "edition."))
@click.argument("file", type=FILE)
@click.option("--edition", help=_("Identifier of the edition (default: the file's name)."))
def import_(file: Path, edition: str | None) -> None:
    import re

    from workbench.budget import store
    from workbench.slugs import is_slug

    pb = _read(file)
    slug = edition or re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-")[:64]
    if not is_slug(slug):
        raise click.BadParameter(_("“{slug}” is not a valid identifier (lower-case letters, "
                                   "digits and dashes).").format(slug=slug),
                                 param_hint="--edition")
    store.import_pabulib(pb, slug)
    click.echo(_("Edition “{slug}” stored: {projects} projects, {votes} ballots.").format(
        slug=slug, projects=len(pb.projects), votes=len(pb.votes)))


@group.command("export", help=_("Write an edition as a pabulib file (.pb)."))
@click.option("--edition", required=True, help=_("Identifier of the edition."))
@click.argument("file", type=FILE)
def export(edition: str, file: Path) -> None:
    from workbench.budget import pabulib, store

    pb = store.export_pabulib(edition)
    try:
        pabulib.write(pb, file)
    except OSError as error:
        raise StaffError(_("Cannot write “{path}”: {reason}").format(
            path=file, reason=error.strerror)) from error
    click.echo(_("Edition “{slug}” written to {path}.").format(slug=edition, path=file))


@group.command("paper", help=_("Import the paper ballots typed into a table (CSV or XLSX: "
                               "columns projets, points, date), all or nothing."))
@click.option("--edition", required=True, help=_("Identifier of the edition."))
@click.argument("file", type=FILE)
def paper(edition: str, file: Path) -> None:
    from workbench.budget.paper import import_paper_ballots

    stored = import_paper_ballots(edition, file)
    click.echo(ngettext("{n} paper ballot stored in “{slug}”.",
                        "{n} paper ballots stored in “{slug}”.", stored).format(
        n=stored, slug=edition))


@group.command("codes", help=_("Create single-use voting codes for an edition's letters and "
                               "print their links (CSV on the standard output)."))
@click.option("--edition", required=True, help=_("Identifier of the edition."))
@click.option("--count", required=True, type=click.IntRange(1, 200_000),
              help=_("How many codes."))
@click.option("--commune", help=_("INSEE code of the commune the letters go to (turnout per "
                                  "commune)."))
@click.option("--base-url", default=DEFAULT_BASE, show_default=True,
              help=_("Public address of the app."))
def codes(edition: str, count: int, commune: str | None, base_url: str) -> None:
    import sys
    from urllib.parse import urlencode

    from workbench.budget.voting import create_tokens
    from workbench.territory.communes import commune_by_code

    if commune and commune_by_code(commune) is None:
        raise click.BadParameter(_("“{code}” is not a commune of the Agglomération.").format(
            code=commune), param_hint="--commune")
    tokens = create_tokens(edition, count, commune=commune)
    from workbench.spreadsheets import CsvWriter

    writer = CsvWriter(sys.stdout)
    writer.writerow([_("commune"), _("link")])
    for token in tokens:
        writer.writerow([commune or "", base_url.rstrip("/") + "/voila/render/budget.ipynb?"
                         + urlencode({"edition": edition, "t": token})])
    click.echo(ngettext("{n} voting code created (keep the links: codes are not stored in "
                        "clear).", "{n} voting codes created (keep the links: codes are not "
                        "stored in clear).", len(tokens)).format(n=len(tokens)), err=True)
