"""``workbench council``: the citizen council's stratified draws."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok
from workbench.i18n import _

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group("council", cls=WorkbenchGroup, help=_("Citizen council: members, composition, "
                                                  "draws."))
def group() -> None:
    """Council commands."""


@group.command("draw", help=_("Stratified draw of seats from a pool of volunteers "
                              "(sortition-algorithms, maximin)."))
@click.option("--pool", type=FILE, required=True, help=_("Pool CSV: id and one column per "
                                                         "feature."))
@click.option("--quotas", type=FILE, required=True, help=_("Quotas CSV: feature,value,min,max."))
@click.option("--seats", type=click.IntRange(1, 500), required=True)
@click.option("--seed", type=click.IntRange(1, 2**31 - 1), default=None,
              help=_("Seed of the draw (default: drawn and printed, to re-verify the draw)."))
@click.option("--seated", default="", help=_("Ids keeping their seats (replacement draw), "
                                             "separated by commas."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
def draw(pool: Path, quotas: Path, seats: int, seed: int | None, seated: str,
         as_json: bool) -> None:
    from workbench.council.draw import draw as run_draw
    from workbench.council.draw import read_pool, read_quotas, record_draw

    seed = seed or secrets.randbelow(2**31 - 2) + 1
    quota_rows = read_quotas(quotas)
    result = run_draw(read_pool(pool, quota_rows), quota_rows, seats, seed,
                      [s.strip() for s in seated.split(",") if s.strip()])
    number = record_draw(result, seats)
    if as_json:
        click.echo(json.dumps(result.to_json() | {"record": number}, ensure_ascii=False,
                              indent=2))
        return
    echo_ok(_("Panel drawn ({n} seats, seed {seed}, algorithm {algorithm}, record no. "
              "{record}):").format(n=len(result.panel), seed=seed,
                                   algorithm=result.algorithm, record=number))
    click.echo(", ".join(result.panel))
    click.echo(_("Selection probability of each volunteer:"))
    for person, probability in sorted(result.probabilities.items()):
        click.echo(f"  {person} : {probability:.3f}".replace(".", ","))
    click.echo(_("Inputs' fingerprint (SHA-256): {digest}").format(digest=result.inputs_sha256))


@group.group("members", cls=WorkbenchGroup, help=_("Members registry."))
def members() -> None:
    """Member commands."""


@members.command("import", help=_("Import or update members from a CSV or XLSX file."))
@click.argument("file", type=FILE)
def import_file(file: Path) -> None:
    from workbench.council.members import import_members

    created, updated = import_members(file)
    echo_ok(_("{created} members added, {updated} updated.").format(created=created,
                                                                    updated=updated))


@group.command("composition", help=_("Check the council's lawful composition."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
def composition(as_json: bool) -> None:
    from workbench.council.composition import check_composition
    from workbench.council.members import active_members
    from workbench.evaluation.census import load_census

    rules = check_composition(active_members(), load_census())
    if as_json:
        click.echo(json.dumps([{"rule": r.name, "ok": r.ok, "verdict": r.verdict,
                                "details": list(r.details)} for r in rules],
                              ensure_ascii=False, indent=2))
        return
    for rule in rules:
        click.secho(("✔ " if rule.ok else "✘ ") + rule.verdict, fg="green" if rule.ok else "red")
        for detail in rule.details:
            click.echo(f"    {detail}")
