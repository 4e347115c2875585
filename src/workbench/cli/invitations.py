"""``workbench invitations``: single-use participant links."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.common import WorkbenchGroup, fail, slug_argument
from workbench.i18n import _, ngettext
from workbench.spreadsheets import CsvWriter

DEFAULT_BASE = "http://127.0.0.1:8866"


@click.group("invitations", cls=WorkbenchGroup, help=_("Invitations: single-use links."))
def group() -> None:
    """Invitation commands."""


@group.command("create", help=_("Create single-use links for SLUG (--count N or --csv FILE)."))
@slug_argument()
@click.option("--count", type=click.IntRange(1, 100_000), help=_("Number of unnamed links."))
@click.option("--csv", "csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=_("CSV of recipients (columns 'nom' and/or 'email')."))
@click.option("--base-url", default=DEFAULT_BASE, show_default=True,
              help=_("Public address of the app."))
def create(slug: str, count: int | None, csv_file: Path | None, base_url: str) -> None:
    from workbench.forms.invitations import create_invitations
    from workbench.web.urls import participant_url

    if (count is None) == (csv_file is None):
        raise fail(_("Give either --count N or --csv FILE."))
    recipients = _read_recipients(csv_file) if csv_file else [None] * count
    issued = create_invitations(slug, recipients)
    writer = CsvWriter(sys.stdout)
    writer.writerow([_("recipient"), _("link")])
    for invitation in issued:
        writer.writerow([invitation.recipient or "",
                         participant_url(base_url, slug, invitation.token)])
    click.echo(ngettext("{n} single-use link created (keep them: they are not stored in clear).",
                        "{n} single-use links created (keep them: they are not stored in clear).",
                        len(issued)).format(n=len(issued)), err=True)


def _read_recipients(path: Path) -> list[str]:
    """``nom <email>`` per row of the table (CSV or XLSX, read by ``workbench.tables``)."""
    from workbench.tables import read_records

    _header, rows = read_records(path)
    recipients = []
    for number, row in enumerate(rows, start=2):
        name = (row.get("nom") or "").strip()
        email = (row.get("email") or "").strip()
        if not name and not email:
            raise fail(_("{file}, line {line}: column 'nom' or 'email' is empty.").format(
                file=path, line=number))
        recipients.append(f"{name} <{email}>" if name and email else name or email)
    if not recipients:
        raise fail(_("{file}: no recipient (expected columns 'nom' and/or 'email').").format(
            file=path))
    return recipients
