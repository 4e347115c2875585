"""Errors raised by the storage layer."""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["DatabaseUnavailable", "SchemaOutOfDate", "StorageError", "explain_database_error"]


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


def _causes() -> tuple[tuple[tuple[str, ...], str], ...]:
    """What the database said (lower-case words, most specific first) and what to tell staff;
    ``{detail}`` is the database's own first line."""
    return (
        (("readonly", "read-only", "read only"),
         _("The database is read-only ({detail}): check the rights on its file and folder, or "
           "the server's settings. Nothing was saved.")),
        (("disk is full", "no space left", "disk full", "diskfull"),
         _("The database's disk is full ({detail}): free some space, then try again. Nothing "
           "was saved.")),
        (("disk i/o error", "input/output error"),
         _("The disk of the database failed to read or write ({detail}): check the disk, then "
           "try again. Nothing was saved.")),
        (("no such table", "does not exist", "undefinedtable", "no such column"),
         _("The database is not initialised or not up to date ({detail}): run 'workbench db "
           "upgrade'.")),
    )


def explain_database_error(error: Exception) -> str:
    """A French sentence for a database failure: what happened and what to do.

    ``error`` is SQLAlchemy's (``OperationalError``, ``ProgrammingError``…) or the driver's.
    A read-only or full disk is not "unreachable": staff must know which to fix.
    """
    original = getattr(error, "orig", None) or error
    detail = str(original).strip().splitlines()[0] if str(original).strip() else ""
    said = f"{type(original).__name__} {original}".lower()
    message = next((text for words, text in _causes() if any(w in said for w in words)),
                   _("The database is unreachable or refused the operation ({detail}): check "
                     "that it runs and that WORKBENCH_DATABASE_URL points at it. Nothing was "
                     "saved."))
    return message.format(detail=detail)
