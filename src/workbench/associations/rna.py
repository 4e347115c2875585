"""Import of the national associations register (RNA, "waldec" CSV extracts), streamed.

Only the associations whose registered office (``adrs_codeinsee``) is in one of the territory's
communes are kept; rows are upserted on the RNA number (``id``): a newer extract updates, never
duplicates. The file is read line by line (extracts weigh hundreds of MB), never more than
``MAX_LINE`` bytes at once, and decoded per line (UTF-8, else Windows-1252, as older extracts
are). Bad rows (too long, a NUL byte, a wrong cell) are reported (line, column), not fatal; the
rows kept are written in one transaction. A file whose every row is bad is refused.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import insert, select, update

from workbench.associations.directory import row_search_key
from workbench.cells import check_columns, text_problem
from workbench.errors import WorkbenchError
from workbench.i18n import _, ngettext
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import write_transaction
from workbench.storage.schema import association
from workbench.territory import communes

__all__ = ["RnaReport", "import_rna"]

REQUIRED = ("id", "titre", "adrs_codeinsee", "position")
RNA_ID = re.compile(r"^W\d{9}$")
NO_DATE = "0001-01-01"
BATCH = 2000
SHOWN_ERRORS = 20
MAX_LINE = 64 * 1024  # bytes: a waldec row is well under 2 kB
FIELDS = ("id_ex", "siret", "title", "short_title", "object", "waldec", "waldec2", "commune",
          "postcode", "address", "created_on", "published_on", "dissolved_on", "position",
          "rna_updated")


@dataclass
class RnaReport:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dissolved: int = 0  # among the territory's rows of this file
    outside: int = 0  # registered office outside the territory
    errors: list[str] = field(default_factory=list)
    bad_rows: int = 0

    def error(self, line: int, column: str, message: str) -> None:
        self.bad_rows += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(_("line {line}, column {column}: {message}").format(
                line=line, column=column, message=message))


def _lines(handle: BinaryIO, report: RnaReport) -> Iterator[str]:
    """The decoded lines of ``handle``; a line over ``MAX_LINE`` bytes is skipped (reported,
    read in bounded pieces) and stands as an empty line, so that line numbers stay right."""
    number = 0
    while raw := handle.readline(MAX_LINE):
        number += 1
        if len(raw) == MAX_LINE and not raw.endswith(b"\n"):
            while (rest := handle.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                pass
            report.read += 1
            report.error(number, "-", _("the line is longer than {n} bytes.").format(
                n=MAX_LINE))
            yield "\n"
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def _rows(reader: Iterator[list[str]], report: RnaReport,
          line: Callable[[], int]) -> Iterator[list[str]]:
    """The rows of ``reader``; a row the csv module cannot read is reported and skipped."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            report.read += 1
            report.error(line(), "-", _("the row cannot be read (quotes or a field too "
                                        "long)."))
            continue
        if cells:
            yield cells


def _date(value: str) -> date | None:
    value = value.strip()
    if not value or value.startswith(NO_DATE):
        return None
    return date.fromisoformat(value[:10])


class _BadRow(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _record(row: dict[str, str]) -> dict:
    def text(column: str) -> str | None:
        return (row.get(column) or "").strip() or None

    if not RNA_ID.match(row["id"].strip()):
        raise _BadRow("id", _("'{value}' is not an RNA number (W and 9 digits).").format(
            value=row["id"]))
    if not text("titre"):
        raise _BadRow("titre", _("the name is empty."))
    position = (text("position") or "A").upper()
    if position not in ("A", "D", "S"):
        raise _BadRow("position", _("'{value}' is not A, D or S.").format(value=position))
    out = {"rna": row["id"].strip(), "id_ex": text("id_ex"),
           "siret": (text("siret") or "").replace(" ", "") or None,
           "title": text("titre"), "short_title": text("titre_court"), "object": text("objet"),
           "waldec": text("objet_social1"), "waldec2": text("objet_social2"),
           "commune": row["adrs_codeinsee"].strip(), "postcode": text("adrs_codepostal"),
           "address": " ".join(filter(None, (text(c) for c in (
               "adrs_complement", "adrs_numvoie", "adrs_repetition", "adrs_typevoie",
               "adrs_libvoie", "adrs_distrib")))) or None,
           "position": position, "rna_updated": text("maj_time")}
    for column, key in (("date_creat", "created_on"), ("date_publi", "published_on"),
                        ("date_disso", "dissolved_on")):
        try:
            out[key] = _date(row.get(column) or "")
        except ValueError:
            raise _BadRow(column, _("'{value}' is not a date (YYYY-MM-DD).").format(
                value=row[column])) from None
    if out["dissolved_on"] and position == "A":
        out["position"] = "D"
    out["search_key"] = row_search_key(out)
    return out


def _flush(conn, batch: list[dict], report: RnaReport, now: datetime) -> None:
    existing = {r.rna: r for r in conn.execute(
        select(association).where(association.c.rna.in_([b["rna"] for b in batch])))}
    new = []
    for record in batch:
        old = existing.get(record["rna"])
        if old is None:
            new.append({**record, "source": "rna", "imported_at": now})
        elif any(getattr(old, key) != record[key] for key in FIELDS):
            conn.execute(update(association).where(association.c.id == old.id)
                         .values(**record, imported_at=now))
            report.updated += 1
        else:
            if old.search_key != record["search_key"]:  # folded differently since: not a change
                conn.execute(update(association).where(association.c.id == old.id)
                             .values(search_key=record["search_key"]))
            report.unchanged += 1
    if new:
        conn.execute(insert(association), new)
        report.new += len(new)


def import_rna(path: Path, engine=None) -> RnaReport:
    """Import the territory's associations from an RNA waldec extract (ASSOCIATIONS)."""
    require(Permission.ASSOCIATIONS, engine=engine)
    with path.open("rb") as handle:
        return _import(handle, path.name, engine)


def _bad_cell(row: dict[str, str]) -> tuple[str, str] | None:
    """The first cell of ``row`` the cell rules refuse (NUL byte, too long), with why."""
    for column, value in row.items():
        problem = text_problem(value)
        if problem:
            return column, problem
    return None


def _import(handle: BinaryIO, name: str, engine) -> RnaReport:
    territory = {c.code_insee for c in communes()}
    report = RnaReport()
    reader = csv.reader(_lines(handle, report), delimiter=";")
    rows = _rows(reader, report, lambda: reader.line_num)
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise WorkbenchError(_("{file}: not an RNA extract, missing columns: {columns}.").format(
            file=name, columns=", ".join(missing)))
    report.read = report.bad_rows = 0  # what was skipped above the header is not a row
    report.errors.clear()
    now = datetime.now(UTC).replace(tzinfo=None)
    batch: list[dict] = []
    seen: set[str] = set()
    with write_transaction(engine) as conn:
        for cells in rows:
            report.read += 1
            line = reader.line_num
            if len(cells) != len(header):
                report.error(line, "-", _("{found} columns instead of {expected}.").format(
                    found=len(cells), expected=len(header)))
                continue
            row = dict(zip(header, cells, strict=True))
            bad = _bad_cell(row)
            if bad:
                report.error(line, *bad)
                continue
            if row["adrs_codeinsee"].strip() not in territory:
                report.outside += 1
                continue
            try:
                record = _record(row)
            except _BadRow as error:
                report.error(line, error.column, error.message)
                continue
            misfit = check_columns(association, record)  # PostgreSQL would refuse it
            if misfit:
                report.error(line, *misfit)
                continue
            if record["rna"] in seen:  # the same association twice in one file: last wins
                batch = [b for b in batch if b["rna"] != record["rna"]]
            seen.add(record["rna"])
            report.dissolved += record["position"] == "D"
            batch.append(record)
            if len(batch) >= BATCH:
                _flush(conn, batch, report, now)
                batch = []
        if batch:
            _flush(conn, batch, report, now)
        _refuse_if_all_bad(report, name)
    return report


def _refuse_if_all_bad(report: RnaReport, name: str) -> None:
    """A file whose every row is bad is not an extract to import (nothing is written)."""
    if report.read and report.bad_rows == report.read:
        shown = "\n".join(report.errors[:5])
        raise WorkbenchError(ngettext(
            "{file}: its {n} row is invalid, nothing imported.\n{errors}",
            "{file}: all its {n} rows are invalid, nothing imported.\n{errors}",
            report.read).format(file=name, n=report.read, errors=shown))
