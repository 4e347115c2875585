"""What every command shares: French errors instead of tracebacks, shared options."""

from __future__ import annotations

import click

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["StaffError", "WorkbenchGroup", "echo_ok", "fail", "frenchify_click",
           "slug_argument"]


def frenchify_click() -> None:
    """Give click's own messages (usage, help, parameter errors) their French wording.

    click calls the module-level ``gettext``/``ngettext`` of the stdlib, bound in each of its
    modules; they are rebound to the ``click`` catalogue shipped in ``workbench/locale``.
    """
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.termui
    import click.types

    from workbench.i18n import catalogue

    translation = catalogue("click")
    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.termui, click.types):
        if hasattr(module, "_"):
            module._ = translation.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = translation.ngettext


class StaffError(click.ClickException):
    """An error for staff: printed as ``Erreur : …`` on stderr, exit status 1."""

    def show(self, file=None) -> None:
        click.echo(_("Error: {message}").format(message=self.format_message()), err=True)


class WorkbenchGroup(click.Group):
    """A click group whose commands report ``WorkbenchError`` as a French message (exit 1)."""

    def invoke(self, ctx: click.Context):
        from sqlalchemy.exc import OperationalError, ProgrammingError

        from workbench.storage.errors import explain_database_error

        try:
            return super().invoke(ctx)
        except WorkbenchError as error:
            raise StaffError(str(error)) from error
        except (OperationalError, ProgrammingError) as error:
            raise StaffError(explain_database_error(error)) from error


def fail(message: str) -> StaffError:
    """An error for staff, already in French."""
    return StaffError(message)


def echo_ok(message: str) -> None:
    """A success line."""
    click.secho(message, fg="green")


def slug_argument():
    """The questionnaire identifier argument."""
    return click.argument("slug", metavar=_("SLUG"))
