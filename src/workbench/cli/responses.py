"""``workbench responses``: exports for analysts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, echo_ok, slug_argument
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
    from workbench.forms.export import export_responses

    output = output or reports_dir() / "exports" / f"{slug}-{date.today().isoformat()}.{fmt}"
    output.parent.mkdir(parents=True, exist_ok=True)
    count = export_responses(slug, output, fmt)
    echo_ok(ngettext("{n} response exported to {file}", "{n} responses exported to {file}",
                     count).format(n=count, file=output))
