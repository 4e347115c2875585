"""Staff forms whose widgets stand for an import's text columns: fill them from, and read them
back as, the same text an import file holds (dates ISO, oui/non, lists comma-separated)."""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from workbench.web.date_input import FrenchDate

__all__ = ["fill_widgets", "read_widgets"]


def fill_widgets(inputs: dict[str, w.Widget], fields: dict[str, str]) -> None:
    for column, widget in inputs.items():
        value = fields.get(column, "") or ""
        if isinstance(widget, FrenchDate):
            widget.day = date.fromisoformat(value) if value else None
        elif isinstance(widget, w.Checkbox):
            widget.value = value == "oui"
        elif isinstance(widget, w.SelectMultiple):
            widget.value = tuple(c.strip() for c in value.split(",") if c.strip())
        else:
            widget.value = value


def read_widgets(inputs: dict[str, w.Widget]) -> dict[str, str]:
    out = {}
    for column, widget in inputs.items():
        if isinstance(widget, FrenchDate):
            day = widget.day
            out[column] = day.isoformat() if day else ""
        elif isinstance(widget, w.Checkbox):
            out[column] = "oui" if widget.value else "non"
        elif isinstance(widget, w.SelectMultiple):
            out[column] = ", ".join(widget.value)
        else:
            out[column] = widget.value or ""
    return out
