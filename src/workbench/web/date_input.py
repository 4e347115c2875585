"""A date typed the French way (dd/mm/yyyy), whatever the browser's language.

The native date input (ipywidgets' ``DatePicker``) shows the browser's format: mm/dd/yyyy in
an English browser, which a French form cannot have. ``FrenchDate`` is a text input with a
``jj/mm/aaaa`` placeholder; ``day`` is its date (ISO typed text is accepted too), and a
malformed one is a French error naming the field.
"""

from __future__ import annotations

from datetime import date, datetime

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["FrenchDate"]


class FrenchDate(w.Text):
    def __init__(self, description: str, value: date | None = None, **kwargs) -> None:
        super().__init__(description=description, placeholder=_("dd/mm/yyyy"), **kwargs)
        self.add_class("wb-date")
        self.day = value

    @property
    def day(self) -> date | None:
        """The date typed (None if empty); ``WorkbenchError`` if it is not one."""
        text = (self.value or "").strip()
        if not text:
            return None
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise WorkbenchError(_("{field}: '{value}' is not a date (dd/mm/yyyy).").format(
            field=self.description, value=text))

    @day.setter
    def day(self, value: date | None) -> None:
        self.value = value.strftime("%d/%m/%Y") if value else ""
