"""``workbench associations``: the directory (RNA), subsidy requests, the committee, open data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok
from workbench.i18n import _, ngettext

FILE = click.Path(dir_okay=False, path_type=Path)


def _edition(edition: str) -> str | Path:
    """A committee edition as typed: a YAML file's path, else a slug of
    ``data/associations/comites``."""
    return Path(edition) if edition.endswith((".yaml", ".yml")) else edition


@click.group("associations", cls=WorkbenchGroup,
             help=_("Associations: directory, subsidy requests, allocation committee, "
                    "open data."))
def group() -> None:
    """Association commands."""


@group.command("import-rna", help=_("Import the territory's associations from an RNA "
                                    "(waldec) extract, streamed."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_rna(file: Path) -> None:
    from workbench.associations.rna import import_rna as run

    report = run(file)
    echo_ok(_("{read} rows read: {new} new, {updated} updated, {unchanged} unchanged, "
              "{dissolved} dissolved; skipped: {outside} outside the territory, {bad} "
              "invalid.").format(read=report.read, new=report.new, updated=report.updated,
                                 unchanged=report.unchanged, dissolved=report.dissolved,
                                 outside=report.outside, bad=report.bad_rows))
    for line in report.errors:
        click.echo(_("Row skipped, {problem}").format(problem=line))


@group.command("import-requests", help=_("Import or update subsidy requests from the "
                                         "service's spreadsheet (CSV or XLSX)."))
@click.argument("file", type=FILE)
def import_requests(file: Path) -> None:
    from workbench.associations.requests import import_requests as run

    created, updated = run(file)
    echo_ok(_("{created} requests added, {updated} updated.").format(created=created,
                                                                    updated=updated))


@group.command("alerts", help=_("Requests to chase: missing documents, overdue financial "
                                "reports, conventions."))
def alerts() -> None:
    from datetime import date

    from workbench.associations.requests import alerts as find

    found = find(date.today())
    for alert in found:
        click.echo(f"{alert.reference} · {alert.association} : {alert.message}")
    click.echo(ngettext("{n} alert.", "{n} alerts.", len(found)).format(n=len(found)))


@group.command("committee-check", help=_("Check a committee edition (criteria grid, "
                                         "envelopes, assessors)."))
@click.argument("edition")
def committee_check(edition: str) -> None:
    from workbench.associations.grid import load_edition

    found = load_edition(_edition(edition))
    echo_ok(_("'{slug}': {criteria} common criteria, {assessors} assessors, {services} "
              "envelopes.").format(slug=found.slug, criteria=len(found.criteria),
                                   assessors=len(found.assessors),
                                   services=len(found.envelopes)))


@group.command("committee-results", help=_("Scores, agreement between assessors and "
                                           "proposals within the envelopes."))
@click.argument("edition")
@click.option("--store", is_flag=True, help=_("Store the proposals as the amounts proposed."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the JSON result."))
def committee_results(edition: str, store: bool, as_json: bool) -> None:
    from workbench.associations.grid import load_edition
    from workbench.associations.scoring import results, store_proposals
    from workbench.french import french_number, tidy

    found = load_edition(_edition(edition))
    if store:
        store_proposals(found)
    outcome = results(found)
    if as_json:
        click.echo(json.dumps({
            "edition": found.slug, "alpha": outcome.alpha,
            "requests": [{"reference": r.reference, "service": r.service, "score": r.score,
                          "spread": r.spread, "flagged": r.flagged, "requested": r.requested,
                          "proposed": r.proposed, "voted": r.voted}
                         for r in outcome.requests],
            "totals": {s: dict(zip(("envelope", "proposed", "adjusted", "voted"), t,
                                   strict=True)) for s, t in outcome.totals.items()}},
            ensure_ascii=False, indent=2))
        return
    for criterion, alpha in outcome.alpha.items():
        click.echo(_("Agreement on '{criterion}': alpha = {alpha}").format(
            criterion=criterion, alpha="—" if alpha is None else f"{alpha:.2f}".replace(
                ".", ",")))
    for service, (envelope, proposed, _adjusted, voted) in outcome.totals.items():
        click.echo(_("{service}: envelope {envelope} €, proposed {proposed} €, voted "
                     "{voted} €").format(service=service, envelope=french_number(tidy(envelope)),
                                         proposed=french_number(tidy(proposed)),
                                         voted=french_number(tidy(voted))))
    flagged = [r.reference for r in outcome.requests if r.flagged]
    if flagged:
        click.echo(_("Assessors disagree strongly on: {refs}").format(refs=", ".join(flagged)))


@group.command("export-scdl", help=_("Write the year's subsidies in the SCDL 'subventions' "
                                     "open-data schema."))
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--output", type=FILE, default=None,
              help=_("File to write (default: reports/<year>/subventions-<year>.csv)."))
def export_scdl(year: int, output: Path | None) -> None:
    from workbench.associations.scdl import export_scdl as run
    from workbench.settings import reports_dir

    path = output or reports_dir() / str(year) / f"subventions-{year}.csv"
    count = run(year, path)
    echo_ok(ngettext("{count} subsidy written to {file} (SCDL formats checked).",
                     "{count} subsidies written to {file} (SCDL formats checked).",
                     count).format(count=count, file=path))
