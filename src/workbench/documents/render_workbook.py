"""Every table of the report in one workbook, a sheet each, French headers.

Written to be byte-identical for the same data: fixed document dates and zip entry times.
Participant text stays text (never a formula).
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.documents.document import Document
from workbench.french import column_places, cover_labels
from workbench.i18n import _
from workbench.spreadsheets import Workbook

__all__ = ["write_workbook"]

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_names(titles: list[str]) -> list[str]:
    names: list[str] = []
    for title in titles:
        base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Tableau"
        name, n = base, 2
        while name.lower() in (x.lower() for x in names):
            suffix = f" ({n})"
            name, n = base[:31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def write_workbook(document: Document, path: Path) -> None:
    """Write the report's tables as ``.xlsx``."""
    from openpyxl.styles import Font

    book = Workbook()
    tables = document.tables
    about = book.sheet(_("About"))
    period, data_as_of, _produced = cover_labels()
    for row in ((_("Report"), document.cover.get("title", "")),
                (_("Subject"), document.cover.get("subject", "")),
                (period, document.cover.get("period", "")),
                (data_as_of, document.cover.get("data_as_of", "")),
                (_("Tables"), len(tables))):
        about.append(row)
    for name, table in zip(_sheet_names([t["sheet"] for t in tables]), tables, strict=True):
        sheet = book.sheet(name)
        sheet.append([table["title"]])[0].font = Font(bold=True)
        for cell in sheet.append(table["columns"]):
            cell.font = Font(bold=True)
        formats = ["0." + "0" * p if p else None for p in column_places(table)]
        for row in table["rows"]:
            for cell, number_format in zip(sheet.append(row), formats, strict=False):
                if number_format and cell.data_type == "n":
                    cell.number_format = number_format
        if table.get("note"):
            sheet.append([])
            sheet.append([table["note"]])
        ws = sheet.worksheet
        ws.freeze_panes = "A3"
        for index, column in enumerate(table["columns"], start=1):
            width = max([len(str(column))] + [len(str(r[index - 1])) for r in table["rows"][:200]])
            ws.column_dimensions[ws.cell(2, index).column_letter].width = min(60, width + 2)
    book.save(path, reproducible=True)
