"""Dropdowns whose options change while the page is open."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

__all__ = ["set_options"]


def set_options(dropdown: w.Dropdown, options: list[tuple[str, Any]], keep: Any = None) -> None:
    """Replace the options; select ``keep`` if offered, else the first option.

    (A dropdown created empty keeps no selection when options arrive later.)
    """
    dropdown.options = options
    values = [value for _label, value in options]
    if keep in values:
        dropdown.value = keep
    elif values and dropdown.value not in values:
        dropdown.value = values[0]
