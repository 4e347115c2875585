"""French number and date formatting shared by the report renderers."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["column_places", "cover_labels", "french_date", "french_fixed", "french_number",
           "table_cell", "tidy"]

NARROW_NBSP = "\u202f"


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
    """``2026-11-29`` → ``29/11/2026`` (with the time, if any, as 19 h 58)."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    if isinstance(moment, datetime):
        return moment.strftime("%d/%m/%Y à %H h %M")
    return moment.strftime("%d/%m/%Y")


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
