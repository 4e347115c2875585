"""Reading the tables staff keep: CSV (``;`` or ``,``, UTF-8 with or without BOM, else
Windows-1252) or the first sheet of an XLSX workbook, as text cells.

A file that is not a table (an empty or damaged workbook, a binary file, a file over
``MAX_BYTES``) or a cell that ``workbench.cells.text_problem`` refuses (a NUL byte, more than
``MAX_TEXT`` characters) gives a French ``WorkbenchError`` with its line, never a traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.french import french_number
from workbench.i18n import _

__all__ = ["MAX_BYTES", "MAX_CELLS", "read_records", "read_rows"]

MAX_BYTES = 100_000_000  # INSEE's national census file is about 25 MB
MAX_CELLS = 10_000_000  # that file holds about 3.5 million; a small XLSX may claim far more


def read_rows(path: Path) -> list[list[str]]:
    """The cells of the first sheet (XLSX) or of the CSV (``;`` or ``,``), as text."""
    if not path.is_file():
        raise WorkbenchError(_("{file}: file not found.").format(file=path))
    if path.stat().st_size > MAX_BYTES:
        raise WorkbenchError(_("{file}: the file is larger than {size} MB.").format(
            file=path.name, size=MAX_BYTES // 1_000_000))
    from workbench.cells import text_problem

    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    for line, row in enumerate(rows, start=1):
        for column, cell in enumerate(row, start=1):
            problem = text_problem(cell)
            if problem:
                raise WorkbenchError(_("{file}, line {line}, column {column}: {problem}").format(
                    file=path.name, line=line, column=column, problem=problem))
    while rows and not any(rows[-1]):
        rows.pop()
    return [row[:max((i for i, c in enumerate(row) if c), default=-1) + 1] for row in rows]


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet's cells as text; a damaged or empty workbook is a French error."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            return _collect(book.worksheets[0].iter_rows(values_only=True), path.name)
        finally:
            book.close()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, InvalidFileException, KeyError,
            IndexError, ValueError, TypeError, AttributeError, OSError, EOFError,
            SyntaxError):  # SyntaxError: ElementTree's ParseError
        raise WorkbenchError(_("{file}: not a readable XLSX workbook (empty, damaged or "
                               "of another format).").format(file=path.name)) from None


def _collect(rows: Iterable[Iterable[object]], name: str) -> list[list[str]]:
    """The rows as stripped text, at most ``MAX_CELLS`` cells (a workbook claiming a million
    rows of 16,384 columns stops here, not in memory)."""
    out: list[list[str]] = []
    count = 0
    for row in rows:
        cells = ["" if v is None else str(v).strip() for v in row]
        count += len(cells)
        if count > MAX_CELLS:
            raise WorkbenchError(_("{file}: more than {n} cells, more than any table the "
                                   "workbench reads.").format(file=name,
                                                              n=french_number(MAX_CELLS)))
        out.append(cells)
    return out


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets save CSV in France."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(path: Path) -> list[list[str]]:
    from workbench.cells import MAX_TEXT, text_problem
    from workbench.spreadsheets import read_csv_cell

    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        # A cell the workbench's own CSV writer protected ('+33 6…) reads back as written.
        return [[read_csv_cell(cell) for cell in row] for row in _collect(reader, path.name)]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            problem = text_problem("x" * (MAX_TEXT + 1))
        else:
            problem = _("not a readable CSV table (is it a spreadsheet saved as CSV?).")
        raise WorkbenchError(_("{file}, line {line}: {problem}").format(
            file=path.name, line=reader.line_num, problem=problem)) from None


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
