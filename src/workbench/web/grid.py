"""Staff tables as data grids: sort by any column, filter, page, select rows.

Built on itables' ``ITable`` widget (an anywidget over DataTables, MIT): chosen because it is
maintained (2.9, 2026), ships DataTables as an offline bundle (nothing downloaded at run
time), and renders a real HTML ``<table>`` — sortable headers are buttons with ``aria-sort``,
the filter is a labelled search box, the pager is a list of buttons — where canvas grids
(ipydatagrid) give screen readers nothing. Cells are data, never markup (``allow_html`` off:
member and participant text is escaped). Every string DataTables shows is French.

Dates are shown dd/mm/yyyy and numbers the French way (12 345,5), and both sort by value:
each such column is ordered by a hidden copy holding the raw value (DataTables'
``orderData``; the page's Content Security Policy allows no JavaScript from options, so no
render function).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from workbench.i18n import _

__all__ = ["DataGrid", "french_language"]

PAGE = 25


def french_language() -> dict:
    """DataTables' texts (search, pager, counts, sort announcements) in French."""
    return {
        "search": _("Filter:"),
        "searchPlaceholder": _("words in any column"),
        "lengthMenu": _("_MENU_ rows per page"),
        "info": _("Rows _START_ to _END_ of _TOTAL_"),
        "infoEmpty": _("No row"),
        "infoFiltered": _("(filtered from _MAX_)"),
        "zeroRecords": _("No row matches the filter"),
        "emptyTable": _("No row"),
        "lengthLabels": {"-1": _("all")},
        "decimal": ",",
        "thousands": "\u202f",
        "paginate": {"first": _("First page"), "last": _("Last page"),
                     "next": _("Next page"), "previous": _("Previous page")},
        # Said after the column's title ("Nom : trier selon cette colonne").
        "aria": {"orderable": "\u00a0: " + _("sort by this column"),
                 "orderableReverse": "\u00a0: " + _("sort in the other order"),
                 "orderableRemove": "\u00a0: " + _("remove this sort"),
                 "paginate": {"first": _("First page"), "last": _("Last page"),
                              "next": _("Next page"), "previous": _("Previous page")}},
        "select": {"rows": {"_": _("%d rows selected"), "0": "", "1": _("1 row selected")}},
    }


def _french_day(value: object) -> object:
    """An ISO day as dd/mm/yyyy (anything else as it is)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"
    return value


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


class DataGrid:
    """A grid of ``columns`` (French headers); ``update(rows)`` shows new rows; selected rows
    are ``selected`` (indices in the rows given). ``numeric``: columns aligned right and
    sorted as numbers; ``dates``: columns of ISO days shown dd/mm/yyyy."""

    def __init__(self, columns: Sequence[str], *, caption: str, numeric: Iterable[int] = (),
                 dates: Iterable[int] = (), select: bool = False, page: int = PAGE) -> None:
        from itables.widget import ITable

        self.columns = list(columns)
        self.caption = caption
        self.numeric, self.dates = sorted(set(numeric)), sorted(set(dates))
        self.options = {
            "pageLength": page, "lengthMenu": [10, 25, 50, 100, -1],
            "language": french_language(), "showIndex": False, "maxBytes": 0,
            "classes": "display compact wb-grid", "autoWidth": False,
            "columnDefs": self._column_defs(),
        }
        if select:
            self.options["select"] = {"style": "os", "items": "row"}
        self.widget = ITable(caption=caption, **self.options)
        self.widget.add_class("wb-grid-box")
        self.rows: list[list] = []

    @property
    def _sorted(self) -> list[int]:
        """Columns shown formatted and ordered by a hidden raw copy."""
        return sorted(set(self.numeric) | set(self.dates))

    def _column_defs(self) -> list[dict]:
        defs: list[dict] = []
        if self.numeric:
            defs.append({"targets": self.numeric, "className": "dt-right wb-num"})
        if self.dates:
            defs.append({"targets": self.dates, "className": "wb-day"})
        hidden = len(self.columns)
        for offset, column in enumerate(self._sorted):
            defs.append({"targets": column, "orderData": [hidden + offset]})
        if self._sorted:
            defs.append({"targets": list(range(hidden, hidden + len(self._sorted))),
                         "visible": False, "searchable": False})
        return defs

    def _shown(self, index: int, value: object) -> object:
        if index in self.dates:
            return _french_day(value)
        if index in self.numeric and isinstance(value, int | float):
            from workbench.french import french_number

            return french_number(value)
        return value

    def update(self, rows: Iterable[Sequence[object]]) -> None:
        import pandas as pd

        self.rows = [[_cell(v) for v in row] for row in rows]
        raw = self._sorted
        # The hidden sort copies are text (numeric text sorts as numbers): a float column
        # would bring itables' own render function, which the pages' CSP refuses.
        shown = [[self._shown(i, v) for i, v in enumerate(row)]
                 + [str(row[i]) if isinstance(row[i], int | float) or i in self.dates
                    else None for i in raw] for row in self.rows]
        columns = self.columns + [f"_{i}" for i in raw]
        frame = pd.DataFrame(shown, columns=columns) if shown else pd.DataFrame(
            {c: pd.Series(dtype="object") for c in columns})
        self.widget.update(frame, selected_rows=[], caption=self.caption, **self.options)
        # The widget draws a new table for new data, without its caption (the grid's
        # accessible name): DataTables' own ``caption`` option puts it back.
        self.widget._dt_args = {**self.widget._dt_args, "caption": self.caption}

    @property
    def selected(self) -> list[int]:
        return list(self.widget.selected_rows)
