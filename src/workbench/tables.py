"""Reading the tables staff keep: CSV (``;`` or ``,``, UTF-8 with or without BOM) or the
first sheet of an XLSX workbook, as text cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["read_records", "read_rows"]


def read_rows(path: Path) -> list[list[str]]:
    """The cells of the first sheet (XLSX) or of the CSV (``;`` or ``,``), as text."""
    if not path.is_file():
        raise WorkbenchError(_("{file}: file not found.").format(file=path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)]
    else:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text),
                                                                 delimiter=delimiter)]
    while rows and not any(rows[-1]):
        rows.pop()
    return [row[:max((i for i, c in enumerate(row) if c), default=-1) + 1] for row in rows]


def read_records(path: Path, header_marker: str | None = None
                 ) -> tuple[list[str], list[dict[str, str]]]:
    """The header and one dict per row below it. The header is the first row, or the first
    holding ``header_marker`` (INSEE workbooks start with title lines)."""
    rows = read_rows(path)
    start = next((i for i, row in enumerate(rows) if header_marker in row), 0) \
        if header_marker else 0
    header = rows[start] if rows else []
    return header, [dict(zip(header, row + [""] * len(header), strict=False))
                    for row in rows[start + 1:]]
