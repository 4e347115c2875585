"""Checking the cells of the tables staff import or type: dates, oui/non, amounts, and the
row-and-column French error when one is wrong (nothing is written then)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.tables import read_rows

__all__ = ["FieldError", "cell_text", "parse_amount", "parse_bool", "parse_commune", "parse_date",
           "parse_table"]

YES, NO = {"oui", "o", "1", "vrai", "yes", "true"}, {"non", "n", "0", "faux", "no", "false", ""}


class FieldError(ValueError):
    """A field is wrong: the column (import name) and a French message."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def cell_text(value: object) -> str:
    """A stored value as an import file holds it: ISO dates, oui/non, ``1500.5``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def parse_date(value: str, column: str) -> date | None:
    """``2026-03-01``, ``01/03/2026`` (or a spreadsheet's date-time); empty → None."""
    value = (value or "").strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise FieldError(column, _("'{value}' is not a date (YYYY-MM-DD or DD/MM/YYYY).").format(
        value=value))


def parse_bool(value: str, column: str) -> bool:
    value = (value or "").strip().lower()
    if value not in YES | NO:
        raise FieldError(column, _("'{value}' is not oui or non.").format(value=value))
    return value in YES


def parse_amount(value: str, column: str, required: bool = False) -> float | None:
    """``1 500,50 €``, ``1500.5`` → 1500.5 (euros, two decimals); empty → None."""
    text = re.sub(r"[\s\u202f\u00a0€]", "", value or "")
    if not text:
        if required:
            raise FieldError(column, _("the amount is missing."))
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = round(float(text), 2)
    except ValueError:
        raise FieldError(column, _("'{value}' is not an amount in euros.").format(
            value=value)) from None
    if amount < 0:
        raise FieldError(column, _("'{value}' is negative.").format(value=value))
    return amount


def parse_commune(value: str, column: str) -> str | None:
    """A commune of the territory by INSEE code or name (any case) → its code; empty → None."""
    from workbench.territory import communes

    value = (value or "").strip()
    if not value:
        return None
    for commune in communes():
        if value == commune.code_insee or value.lower() == commune.nom.lower():
            return commune.code_insee
    raise FieldError(column, _("'{value}' is not a commune of the territory.").format(
        value=value))


def parse_table(path: Path, required: tuple[str, ...],
                parse: Callable[[dict[str, str]], dict]) -> list[dict]:
    """Every row of ``path`` checked by ``parse``; the first wrong cell stops the import with
    its line and column (nothing is written by the caller then)."""
    rows = read_rows(path)
    if not rows:
        raise WorkbenchError(_("{file}: the file is empty.").format(file=path.name))
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise WorkbenchError(_("{file}: missing columns: {columns}.").format(
            file=path.name, columns=", ".join(missing)))
    out = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        try:
            out.append(parse(dict(zip(header, cells + [""] * len(header), strict=False))))
        except FieldError as error:
            index = header.index(error.column) + 1 if error.column in header else 0
            raise WorkbenchError(_("{file}, line {line}, column {column} ({name}): {message}")
                                 .format(file=path.name, line=line, column=index,
                                         name=error.column, message=error.message)) from None
    return out
