"""The pabulib ``.pb`` file format (https://pabulib.org/format), read and written.

A file has three sections, each a title line (``META``, ``PROJECTS``, ``VOTES``), a header and
``;``-separated rows (values quoted as in CSV when they hold ``;`` or quotes). Fields are kept
as text, in file order, so that reading then writing a file loses nothing; ``election`` turns
them into numbers for the rules.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.budget.errors import PabulibError
from workbench.cells import text_problem
from workbench.i18n import _

__all__ = ["PabulibFile", "dumps", "loads", "read", "write"]

SECTIONS = ("META", "PROJECTS", "VOTES")
KEYS = {"META": "key", "PROJECTS": "project_id", "VOTES": "voter_id"}


@dataclass
class PabulibFile:
    """The three sections of a file: ``meta`` (key → value), ``projects`` and ``votes`` (id →
    fields, in file order, with their column order)."""

    meta: dict[str, str] = field(default_factory=dict)
    projects: dict[str, dict[str, str]] = field(default_factory=dict)
    votes: dict[str, dict[str, str]] = field(default_factory=dict)
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])


def loads(text: str) -> PabulibFile:
    """Parse a file's text; a ``PabulibError`` names the first wrong line."""
    parsed = PabulibFile()
    section: str | None = None
    header: list[str] | None = None
    lines = text.lstrip("\ufeff").splitlines()
    for number, row in enumerate(_rows(lines), start=1):
        if not row or not "".join(row).strip():
            continue
        problem = next(filter(None, map(text_problem, row)), None)
        if problem:
            raise PabulibError(number, problem)
        first = row[0].strip()
        if first.upper() in SECTIONS and not any(cell.strip() for cell in row[1:]):
            if section is None and first.upper() != "META":
                raise PabulibError(number, _("the file must start with a META section."))
            section, header = first.upper(), None
            continue
        if section is None:
            raise PabulibError(number, _("the file must start with a META section."))
        if header is None:
            header = [cell.strip() for cell in row]
            if header[0] != KEYS[section]:
                raise PabulibError(number, _("the {section} section must start with a "
                                             "“{key}” column.").format(section=section,
                                                                       key=KEYS[section]))
            if section == "PROJECTS":
                parsed.project_columns = header
            elif section == "VOTES":
                parsed.vote_columns = header
            continue
        if len(row) != len(header):
            raise PabulibError(number, _("{found} values where the header has {expected}.")
                               .format(found=len(row), expected=len(header)))
        values = dict(zip(header, (cell.strip() for cell in row), strict=True))
        key = values[header[0]]
        if section == "META":
            parsed.meta[key] = values.get("value", "")
            continue
        target = parsed.projects if section == "PROJECTS" else parsed.votes
        if key in target:
            raise PabulibError(number, _("“{key}” appears twice.").format(key=key))
        target[key] = values
    if section is None:
        raise PabulibError(1, _("the file is empty."))
    return parsed


def _rows(lines: list[str]) -> Iterator[list[str]]:
    """The ``;``-separated rows; one the csv module cannot read is a ``PabulibError``."""
    reader = csv.reader(lines, delimiter=";")
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise PabulibError(reader.line_num, _("the row cannot be read (quotes or a field "
                                                  "too long).")) from None


def dumps(pb: PabulibFile) -> str:
    """The file's text: META, PROJECTS, VOTES, values quoted only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    writer.writerows(pb.meta.items())
    for title, columns, rows in (("PROJECTS", pb.project_columns, pb.projects),
                                 ("VOTES", pb.vote_columns, pb.votes)):
        out.write(title + "\n")
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows.values())
    return out.getvalue()


def read(path: Path) -> PabulibFile:
    """Read a ``.pb`` file (UTF-8; another encoding is a ``PabulibError`` with its line)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PabulibError(data[:error.start].count(b"\n") + 1, _(
            "the file is not in UTF-8 (byte {position}); save it again as UTF-8.").format(
                position=error.start + 1)) from None
    return loads(text)


def write(pb: PabulibFile, path: Path) -> None:
    """Write a ``.pb`` file (UTF-8)."""
    Path(path).write_text(dumps(pb), encoding="utf-8")
