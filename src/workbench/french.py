"""French number and date formatting shared by the report renderers."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["NARROW_NBSP", "NBSP", "column_places", "cover_labels", "french_date",
           "french_fixed", "french_month", "french_number", "table_cell", "tidy", "typeset"]

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
# French month names: this module writes French, whatever the interface language.
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
# A number in groups of three ("1 000", "12 345 678"), the groups separated by a space.
_GROUPS = re.compile(r"(?<![\d,.])(\d{1,3})((?: \d{3})+)(?![\d,])")
# A number and the unit after it: "46 %", "1 000 €", "1 000 habitants", "19 h 58".
_UNIT = re.compile(r"(?<=\d) (?=(?:%|‰|€|k€|M€|h\b|habitants?\b|inhabitants?\b))")


def cover_labels() -> tuple[str, str, str]:
    """The title page's labels: the period, the date the data stops at, the run date."""
    from workbench.i18n import _

    return _("Period"), _("Data as of"), _("Report produced on")


def french_number(value: object) -> str:
    """``12345.6`` → ``12 345,6``, ``0.85`` → ``0,85`` (one or two decimals, as rounded by the
    producer); None → an em dash; text unchanged."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return f"{value:,}".replace(",", NARROW_NBSP)
    if isinstance(value, float):  # the decimals the producer kept: one or two
        text = f"{value:,.2f}" if abs(value) < 1e15 else str(value)
        text = text[:-1] if abs(value) < 1e15 and text.endswith("0") else text
        return text.replace(",", NARROW_NBSP).replace(".", ",")
    return str(value)


def french_date(moment: date | datetime | str) -> str:
    """``2026-11-29`` → ``29/11/2026`` (with the time, if any, as 19 h 58, its spaces
    non-breaking)."""
    if isinstance(moment, str):
        try:  # a date alone ("2026-11-02") has no time to show
            moment = (date.fromisoformat(moment) if len(moment) == 10
                      else datetime.fromisoformat(moment))
        except ValueError:
            return moment
    if isinstance(moment, datetime):
        return moment.strftime(f"%d/%m/%Y à %H{NBSP}h{NBSP}%M")
    return moment.strftime("%d/%m/%Y")


def french_month(moment: date) -> str:
    """``2026-11-02`` → ``novembre 2026`` (its space non-breaking)."""
    return f"{MONTHS[moment.month - 1]}{NBSP}{moment.year}"


def typeset(text: str) -> str:
    """Text a person reads, with non-breaking spaces where French typography wants them:
    between a number's groups of digits (``1 000``) and between a number and its unit
    (``46 %``, ``1 000 €``, ``1 000 habitants``), so that no line breaks inside them."""
    text = _GROUPS.sub(lambda m: m.group(1) + m.group(2).replace(" ", NARROW_NBSP), text)
    return _UNIT.sub(NBSP, text)


def tidy(value: float | None, places: int = 1) -> float | int | None:
    """Rounded for display; a whole number loses its decimals (18500.0 → 18500)."""
    if value is None:
        return None
    rounded = round(float(value), places)
    return int(rounded) if rounded.is_integer() else rounded


def french_fixed(value: float, places: int) -> str:
    """``value`` with exactly ``places`` decimals, in French (``53.0`` → ``53,0``): for figures
    read side by side, such as an estimate and its interval."""
    return f"{value:,.{places}f}".replace(",", NARROW_NBSP).replace(".", ",")


def column_places(content: dict) -> list[int | None]:
    """A table's decimals per column (``Table.decimals``), None where not set."""
    width = len(content["columns"])
    places = list(content.get("decimals") or [])[:width]
    return places + [None] * (width - len(places))


def table_cell(value: object, places: int | None = None) -> str:
    """A table cell in French: numbers with the column's decimals when it sets them."""
    if places is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return french_fixed(value, places)
    return french_number(value)
