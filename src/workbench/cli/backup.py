"""``workbench backup`` and ``workbench restore``: the whole database in one checked file."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.common import echo_ok, fail
from workbench.errors import WorkbenchError
from workbench.i18n import _, ngettext


def _summary(manifest) -> str:
    tables = ngettext("{n} table", "{n} tables", len(manifest.tables)).format(
        n=len(manifest.tables))
    rows = ngettext("{n} row", "{n} rows", manifest.total_rows).format(n=manifest.total_rows)
    return _("revision {rev}, {tables}, {rows}").format(
        rev=manifest.revision or _("none"), tables=tables, rows=rows)


@click.command("backup", help=_("Back up the whole database into one file (a tar with a "
                                "manifest: revision, rows and checksum of every table). With "
                                "a folder, the file is named workbench-YYYYMMDD-HHMMSS.tar."))
@click.argument("destination", metavar=_("FILE_OR_DIRECTORY"),
                type=click.Path(dir_okay=True, file_okay=True))
@click.option("--keep", type=click.IntRange(1, 100_000), default=None, metavar="N",
              help=_("With a folder: keep only the newest N backups of that folder."))
def backup(destination: str, keep: int | None) -> None:
    from workbench.storage.backup import backup as do_backup

    if destination.endswith(("/", "\\")) and not Path(destination).is_dir():
        raise fail(_("The folder {folder} does not exist.").format(folder=destination))
    destination = Path(destination)
    if keep is not None and not destination.is_dir():
        raise fail(_("--keep applies to a folder only: {path} is not one.").format(
            path=destination))
    try:
        manifest = do_backup(destination, keep=keep)
    except WorkbenchError as error:
        raise fail(str(error)) from error
    echo_ok(_("Backup written: {path} ({summary}).").format(path=manifest.path,
                                                          summary=_summary(manifest)))


@click.command("restore", help=_("Replace the whole database with a backup made by "
                                 "'workbench backup' (checked before and after). Stop the "
                                 "servers first."))
@click.argument("source", metavar=_("FILE"),
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
def restore(source: Path, yes: bool) -> None:
    from workbench.storage.backup import inspect_backup
    from workbench.storage.backup import restore as do_restore
    from workbench.storage.engine import get_engine

    try:
        manifest = inspect_backup(source, get_engine())
        click.echo(_("Backup of {created} ({dialect}): {summary}.").format(
            created=manifest.created_at, dialect=manifest.dialect,
            summary=_summary(manifest)))
        url = get_engine().url.render_as_string(hide_password=True)
        if not yes and not click.confirm(_("This replaces the WHOLE database {url} with the "
                                           "backup: every change made since it is lost. The "
                                           "servers (workbench serve) must be stopped. "
                                           "Continue?").format(url=url), default=False):
            click.echo(_("Restore cancelled: the database is unchanged."))
            raise click.exceptions.Exit(1)
        manifest = do_restore(source)
    except WorkbenchError as error:
        raise fail(str(error)) from error
    echo_ok(_("Database restored from {path}: {summary}; every table checked against the "
              "manifest.").format(path=source, summary=_summary(manifest)))
