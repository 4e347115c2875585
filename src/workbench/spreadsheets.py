"""Every CSV and XLSX file the workbench writes: cells never run as spreadsheet formulas.

Text from participants, imports or staff (a name ``=HYPERLINK(…)``, a phone ``+33 6 …``)
would run as a formula in a spreadsheet ("CSV injection", OWASP). In a CSV, a text cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or ``'``, so that
reading strips exactly one) gets a leading ``'``; in an XLSX, text is always a text cell
(marked "quote prefix" when it starts so), never a formula. Numbers typed as numbers stay
numbers. Files are written whole or not at all (a temporary file, then renamed).

This is the only module that writes CSV or XLSX (a test checks the sources).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from numbers import Number, Real
from pathlib import Path
from typing import IO, Any

__all__ = ["FORMULA_STARTS", "CsvWriter", "Sheet", "Workbook", "csv_bytes", "csv_cell",
           "csv_text", "read_csv_cell", "write_csv"]

# A spreadsheet runs a cell starting with these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Row = Sequence[object]


def csv_cell(value: object) -> object:
    """A value as a CSV cell: None empty, numbers as they are, text that a spreadsheet would
    run as a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, Number):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def read_csv_cell(text: str) -> str:
    """The text ``csv_cell`` was given: one leading ``'`` removed where ``csv_cell`` puts one
    (before a formula's first character or another ``'``); any other text as it is."""
    return text[1:] if text.startswith("'") and text[1:2] and text[1:].startswith(
        (*FORMULA_STARTS, "'")) else text


class CsvWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell``."""

    def __init__(self, stream: IO[str], delimiter: str = ";",
                 lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator=lineterminator)

    def writerow(self, row: Row) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Row], delimiter: str = ";", lineterminator: str = "\r\n") -> str:
    """The rows as CSV text."""
    out = io.StringIO()
    CsvWriter(out, delimiter, lineterminator).writerows(rows)
    return out.getvalue()


def csv_bytes(rows: Iterable[Row], delimiter: str = ";", lineterminator: str = "\r\n") -> bytes:
    """The rows as CSV for French spreadsheets (UTF-8 with BOM)."""
    return csv_text(rows, delimiter, lineterminator).encode("utf-8-sig")


@contextmanager
def _replacing(path: Path, mode: str = "w", **open_args: Any) -> Iterator[IO]:
    """A temporary file beside ``path`` that replaces it once written whole (removed on any
    error: nothing is written half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    os.close(handle)
    try:
        with open(temporary, mode, **open_args) as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_csv(path: Path, rows: Iterable[Row], delimiter: str = ";",
              lineterminator: str = "\r\n", encoding: str = "utf-8-sig") -> int:
    """Write the rows to ``path`` (whole or not at all); the number of rows written."""
    count = 0
    with _replacing(Path(path), encoding=encoding, newline="") as stream:
        writer = CsvWriter(stream, delimiter, lineterminator)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _set(cell, value: object) -> None:
    """Numbers and dates as they are (other real numbers as floats), anything else as text
    without the characters XML refuses; text is never a formula."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TIME_TYPES
    from openpyxl.compat.numbers import NUMERIC_TYPES

    if value is None or isinstance(value, (*NUMERIC_TYPES, *TIME_TYPES)):
        cell.value = value
    elif isinstance(value, Real):  # a Fraction
        cell.value = float(value)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = text
        cell.data_type = "s"  # never "f" (formula)
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # stays text even when edited


class Sheet:
    """One worksheet written row by row; ``worksheet`` (openpyxl) is there for styling."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet
        self._row = 0

    def append(self, row: Row) -> list:
        """Write one row below the last; its cells (an empty row skips a line)."""
        self._row += 1
        cells = []
        for column, value in enumerate(row, start=1):
            cell = self.worksheet.cell(row=self._row, column=column)
            _set(cell, value)
            cells.append(cell)
        return cells

    @property
    def rows_written(self) -> int:
        return self._row


class Workbook:
    """An XLSX workbook with no sheet until ``sheet`` adds one."""

    def __init__(self) -> None:
        from openpyxl import Workbook as OpenpyxlWorkbook

        self.book = OpenpyxlWorkbook()
        self.book.remove(self.book.active)

    def sheet(self, title: str) -> Sheet:
        """A new sheet called ``title``."""
        return Sheet(self.book.create_sheet(title))

    def save(self, path: Path, reproducible: bool = False) -> None:
        """Write the workbook to ``path`` whole; ``reproducible``: same content, same bytes
        (fixed zip entry times and document dates)."""
        written = io.BytesIO()
        self.book.save(written)
        with _replacing(Path(path), "wb") as stream:
            if reproducible:
                _copy_with_fixed_times(written, stream)
            else:
                stream.write(written.getvalue())


def _copy_with_fixed_times(source: IO[bytes], target: IO[bytes]) -> None:
    """Same content, same bytes: fixed zip entry times, no creation/modification dates."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>2000-01-01T00:00:00Z", data)
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME), data,
                          compress_type=zipfile.ZIP_DEFLATED)
