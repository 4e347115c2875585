"""The workbench's own errors: one base class, structured fields, a French message.

Domain code raises these and never prints; the boundary (CLI, Voilà page) shows ``str(error)``.
"""

from __future__ import annotations

__all__ = ["Cancelled", "WorkbenchError"]


class WorkbenchError(Exception):
    """Base class of every error a person may be shown."""

    def message(self) -> str:
        """The French message for a person; subclasses override it."""
        return str(self.args[0]) if self.args else self.__class__.__name__

    def __str__(self) -> str:
        return self.message()


class Cancelled(WorkbenchError):
    """The person cancelled long work (``workbench.web.background``)."""

    def message(self) -> str:
        from workbench.i18n import _

        return _("Cancelled.")
