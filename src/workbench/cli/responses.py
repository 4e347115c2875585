"""``workbench responses``: exports for analysts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok, fail, slug_argument
from workbench.i18n import _, ngettext
from workbench.settings import reports_dir


@click.group("responses", cls=WorkbenchGroup, help=_("Responses: exports."))
def group() -> None:
    """Response commands."""


@group.command("export", help=_("Export the responses of SLUG, one column per question."))
@slug_argument()
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help=_("File to write (default: reports/exports/SLUG-DATE.FORMAT)."))
def export(slug: str, fmt: str, output: Path | None) -> None:
    from workbench.forms.export import write_csv, write_xlsx
    from workbench.forms.loader import spec_from_dict
    from workbench.storage import read_connection
    from workbench.storage.forms import latest_version
    from workbench.storage.responses import iter_responses

    output = output or reports_dir() / "exports" / f"{slug}-{date.today().isoformat()}.{fmt}"
    output.parent.mkdir(parents=True, exist_ok=True)
    with read_connection() as conn:
        version = latest_version(conn, slug)
        if version is None:
            raise fail(_("This questionnaire does not exist or is not published."))
        spec = spec_from_dict(version.spec)
        responses = iter_responses(conn, slug)
        if fmt == "csv":
            count = write_csv(spec, responses, output)
        else:
            count = write_xlsx(spec, responses, output, version.version)
    echo_ok(ngettext("{n} response exported to {file}", "{n} responses exported to {file}",
                     count).format(n=count, file=output))
