"""Checking the cells of the tables staff import or type: dates, oui/non, amounts, and the
row-and-column French error when one is wrong (nothing is written then).

The one set of rules every importer goes through, so that SQLite and PostgreSQL store the same
things: text has no NUL byte and at most ``MAX_TEXT`` characters (:func:`text_problem`, applied
to every cell by ``workbench.tables``); numbers are finite and bounded (:func:`parse_number`),
amounts fit the ``Numeric(12, 2)`` money columns (:data:`MAX_AMOUNT`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Column, Integer, Numeric, Table

from workbench.errors import WorkbenchError
from workbench.french import french_number
from workbench.i18n import _
from workbench.tables import read_rows

__all__ = ["MAX_AMOUNT", "MAX_TEXT", "FieldError", "cell_text", "check_columns", "check_texts",
           "column_problem", "day_value",
           "parse_amount", "parse_bool", "parse_commune", "parse_date", "parse_number",
           "parse_table", "text_problem"]

MAX_TEXT = 100_000  # characters in one cell (below csv's own 131,072 limit)
MAX_AMOUNT = 9_999_999_999.99  # euros: Numeric(12, 2), the money columns on both databases
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")  # tab, line breaks allowed
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
YES, NO = {"oui", "o", "1", "vrai", "yes", "true"}, {"non", "n", "0", "faux", "no", "false", ""}


class FieldError(ValueError):
    """A field is wrong: the column (import name) and a French message."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def text_problem(value: str) -> str | None:
    """Why a text cell cannot be stored (a NUL byte, another control character that no XLSX or
    Word document can hold, too long), in French; None if it can."""
    if "\x00" in value:
        return _("the cell holds a NUL character (a binary file?).")
    control = CONTROL.search(value)
    if control:
        return _("the cell holds a control character (U+{code:04X}).").format(
            code=ord(control.group()))
    if len(value) > MAX_TEXT:
        return _("the cell is longer than {n} characters.").format(n=french_number(MAX_TEXT))
    return None


def column_problem(column: Column, value: object) -> str | None:
    """Why ``value`` does not fit ``column`` on both databases, in French (PostgreSQL enforces
    lengths and ranges, SQLite stores anything); None if it fits."""
    kind = column.type
    if isinstance(value, str):
        length = getattr(kind, "length", None)
        if length and len(value) > length:
            return _("the cell is longer than {n} characters.").format(n=length)
        return text_problem(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(kind, Integer):
        low, high = -(2**31), 2**31 - 1
    elif isinstance(kind, Numeric) and kind.precision:
        high = 10 ** (kind.precision - (kind.scale or 0)) - 10 ** -(kind.scale or 0)
        low = -high
    else:
        return None
    if not (math.isfinite(value) and low <= value <= high):
        return _("'{value}' is not between {low} and {high}.").format(
            value=value, low=cell_text(float(low)), high=cell_text(float(high)))
    return None


def check_columns(table: Table, values: dict[str, object]) -> tuple[str, str] | None:
    """The first of ``values`` (by column name) that does not fit ``table``, with why."""
    for name, value in values.items():
        if name in table.c:
            problem = column_problem(table.c[name], value)
            if problem:
                return name, problem
    return None


def check_texts(row: dict[str, str]) -> None:
    """Raise a ``FieldError`` for the first cell of ``row`` that :func:`text_problem` refuses."""
    for column, value in row.items():
        problem = text_problem(value or "")
        if problem:
            raise FieldError(column, problem)


def _number(value: str) -> float:
    """``1 500,5`` or ``1500.5`` (``1.500,5``, ``1.5e3``, a euro sign) as a float; NaN for
    anything else, for ``nan`` and ``inf`` as for ``12 abc`` (``float()`` alone takes them)."""
    text = re.sub(r"[\s\u202f\u00a0€]", "", value or "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return float(text) if NUMBER.fullmatch(text) else math.nan


def parse_number(value: str, column: str, low: float, high: float) -> float:
    """A finite number between ``low`` and ``high`` (``1500.5``, ``1 500,5``, ``1.5e3``);
    ``nan``, ``inf`` and anything out of bounds are a ``FieldError``."""
    number = _number(value)
    if not math.isfinite(number):
        raise FieldError(column, _("'{value}' is not a number.").format(value=value))
    if not low <= number <= high:
        raise FieldError(column, _("'{value}' is not between {low} and {high}.").format(
            value=value, low=cell_text(float(low)), high=cell_text(float(high))))
    return number


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


def day_value(value: object, what: str) -> date:
    """A date as a YAML file gives it (a date, or ``YYYY-MM-DD`` text), else a French
    ``WorkbenchError`` naming ``what``."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise WorkbenchError(_("{what}: '{value}' is not a date (YYYY-MM-DD).").format(
            what=what, value=value)) from None


def parse_bool(value: str, column: str) -> bool:
    value = (value or "").strip().lower()
    if value not in YES | NO:
        raise FieldError(column, _("'{value}' is not oui or non.").format(value=value))
    return value in YES


def parse_amount(value: str, column: str, required: bool = False) -> float | None:
    """``1 500,50 €``, ``1500.5`` → 1500.5 (euros, two decimals); empty → None."""
    if not re.sub(r"[\s\u202f\u00a0€]", "", value or ""):
        if required:
            raise FieldError(column, _("the amount is missing."))
        return None
    amount = round(_number(value), 2)
    if not math.isfinite(amount):
        raise FieldError(column, _("'{value}' is not an amount in euros.").format(value=value))
    if amount < 0:
        raise FieldError(column, _("'{value}' is negative.").format(value=value))
    if amount > MAX_AMOUNT:
        raise FieldError(column, _("'{value}' is above {max} €.").format(
            value=value, max="9 999 999 999,99"))
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
