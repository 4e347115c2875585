"""Errors raised by the storage layer."""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["DatabaseUnavailable", "SchemaOutOfDate", "StorageError"]


class StorageError(WorkbenchError):
    """A storage failure a person may be told about."""


class DatabaseUnavailable(StorageError):
    """The database cannot be reached."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(url, detail)
        self.url, self.detail = url, detail

    def message(self) -> str:
        return _("The database cannot be reached ({url}): {detail}").format(
            url=self.url, detail=self.detail
        )


class SchemaOutOfDate(StorageError):
    """The database schema is not at the code's revision."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(current, head)
        self.current, self.head = current, head

    def message(self) -> str:
        return _(
            "The database schema is at revision {current}, the code expects {head}: "
            "run 'workbench db upgrade'."
        ).format(current=self.current or _("none"), head=self.head)
