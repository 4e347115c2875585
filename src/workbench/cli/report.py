"""``workbench report``: the yearly reports (papermill notebooks → HTML, Word, Excel)."""

from __future__ import annotations

from datetime import date

import click

from workbench.cli.common import WorkbenchGroup, echo_ok, fail
from workbench.i18n import _, ngettext


@click.group("report", cls=WorkbenchGroup, help=_("Reports: list and run the report "
                                                  "notebooks."))
def group() -> None:
    """Report commands."""


@group.command("list", help=_("List the report notebooks with their parameters."))
def list_reports() -> None:
    from workbench.reports.catalogue import report_notebooks

    reports = report_notebooks()
    if not reports:
        click.echo(_("No report notebook in notebooks/reports/."))
    for report in reports:
        flags = []
        if report.yearly:
            flags.append(_("yearly"))
        if report.per_form:
            flags.append(_("one per questionnaire"))
        suffix = f" [{', '.join(flags)}]" if flags else ""
        click.secho(f"{report.name}{suffix}", bold=True)
        click.echo(f"  {report.description}")
        for parameter in report.parameters.values():
            help_text = f" — {parameter.help}" if parameter.help else ""
            click.echo("  " + _("-p {name}=… ({type}, default: {default}){help}").format(
                name=parameter.name, type=_type_name(parameter.type),
                default=parameter.default, help=help_text))


def _type_name(python_type: str) -> str:
    """What a parameter's value is, in words staff read (the cell's annotation)."""
    return {"int": _("whole number"), "float": _("number"), "str": _("text"),
            "bool": _("true or false")}.get(python_type, python_type)


def _echo_result(result) -> None:
    """The line of one report run: where its documents are, or why it failed."""
    if result.ok:
        click.echo(_("OK      {name} ({seconds} s): {folder}").format(
            name=result.name, seconds=result.duration_s, folder=result.folder))
    else:
        click.secho(_("FAILED  {name}: {error}").format(name=result.name,
                                                       error=result.error), fg="red")


def _run_with_progress(plan, year: int, jobs: int | None) -> list:
    """Run ``plan`` with a progress bar on stderr, each report's line printed as it ends."""
    import sys

    from tqdm import tqdm

    from workbench.reports.run import run_all

    with tqdm(total=len(plan), desc=_("Reports"), file=sys.stderr, mininterval=0,
              bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed}") as bar:
        def ended(result) -> None:
            with tqdm.external_write_mode(file=sys.stdout):
                _echo_result(result)
            bar.update(1)

        return run_all(plan, year, workers=jobs, progress=ended)


def _summary(results, lines: bool = True) -> None:
    """The count of reports produced (or failed), after each one's line unless printed."""
    for result in results if lines else ():
        _echo_result(result)
    failed = sum(not r.ok for r in results)
    if failed:
        raise fail(ngettext("{n} report failed out of {total}.",
                            "{n} reports failed out of {total}.", failed).format(
                                n=failed, total=len(results)))
    echo_ok(ngettext("{n} report produced.", "{n} reports produced.", len(results)).format(
        n=len(results)))


def _check_form(slug: str) -> None:
    from workbench.storage import read_connection
    from workbench.storage.forms import published_slugs

    with read_connection() as conn:
        if slug not in published_slugs(conn):
            raise fail(_("The questionnaire '{slug}' does not exist or is not published.")
                       .format(slug=slug))


@group.command("run", help=_("Run a report notebook (or every yearly report with --all)."))
@click.argument("name", required=False, metavar=_("NAME"))
@click.option("-p", "--parameter", "pairs", multiple=True, metavar="CLÉ=VALEUR",
              help=_("A parameter of the report (see 'workbench report list')."))
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help=_("Year of the report (default: the current year)."))
@click.option("--all", "run_every", is_flag=True, help=_("Run every yearly report."))
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help=_("Reports run at once (default: the number of cores)."))
def run(name: str | None, pairs: tuple[str, ...], year: int | None, run_every: bool,
        jobs: int | None) -> None:
    from workbench.reports.catalogue import find_report
    from workbench.reports.params import parse_parameters
    from workbench.reports.run import plan_year, run_report

    if run_every == bool(name):
        raise fail(_("Give either a report NAME or --all."))
    if run_every:
        if pairs:
            raise fail(_("--all takes no -p parameter."))
        year = year or date.today().year
        plan = plan_year(year)
        if not plan:
            raise fail(_("No yearly report to run for {year}.").format(year=year))
        _summary(_run_with_progress(plan, year, jobs), lines=False)
        return
    report = find_report(name)
    parameters = parse_parameters(report, list(pairs),
                                  year if year is not None else None)
    if parameters.get("form") is not None:
        _check_form(str(parameters["form"]))
    if "year" in report.parameters and "year" not in parameters:
        parameters["year"] = date.today().year
    effective_year = int(parameters.get("year") or year or date.today().year)
    click.echo(_("Running {name}…").format(name=report.name))
    _summary([run_report(report, parameters, effective_year)])
