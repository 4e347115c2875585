"""``workbench db``: apply and check migrations."""

from __future__ import annotations

import click

from workbench.cli.common import WorkbenchGroup, echo_ok
from workbench.i18n import _


@click.group("db", cls=WorkbenchGroup, help=_("Database: migrations and schema version."))
def group() -> None:
    """Database commands."""


@group.command("upgrade", help=_("Apply the migrations (creates the database if needed)."))
def upgrade() -> None:
    from workbench.storage.migrate import upgrade as do_upgrade

    status = do_upgrade()
    echo_ok(_("Database up to date (revision {rev}): {url}").format(
        rev=status.current, url=status.url))


@group.command("check", help=_("Report the schema version; fails if it is not up to date."))
def check() -> None:
    from workbench.storage.errors import SchemaOutOfDate
    from workbench.storage.migrate import schema_status

    status = schema_status()
    if not status.up_to_date:
        raise SchemaOutOfDate(status.current, status.head)
    echo_ok(_("Schema at revision {rev} (latest): {url}").format(rev=status.current,
                                                                 url=status.url))
