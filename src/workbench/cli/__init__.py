"""The ``workbench`` command: one click group per domain; French messages for staff."""

from __future__ import annotations

import click

from workbench.cli.common import WorkbenchGroup, frenchify_click
from workbench.i18n import _

__all__ = ["main"]

frenchify_click()


@click.group(cls=WorkbenchGroup, help=_("Participation workbench of Guingamp-Paimpol "
                                      "Agglomération."))
@click.version_option(package_name="workbench", message="workbench %(version)s")
def main() -> None:
    """Root command."""


def _register() -> None:
    from workbench.cli import (
        associations,
        backup,
        budget,
        council,
        db,
        demo,
        evaluation,
        foresight,
        forms,
        invitations,
        report,
        responses,
        rgpd,
        serve,
        staff,
    )

    for module in (associations, budget, council, db, demo, evaluation, foresight, forms,
                   invitations, report, responses, rgpd, staff):
        main.add_command(module.group)
    main.add_command(serve.serve)
    main.add_command(backup.backup)
    main.add_command(backup.restore)


_register()
