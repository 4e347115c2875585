"""The members registry as staff keep it: list, add or edit one member, export, purge.

Fields use the import's French column names (``members.COLUMNS``) so that an export can be
edited and imported again. Personal data leaves the database only through staff pages and
these exports. Past their retention date (and once they have left), members are anonymised:
their name becomes "Membre retiré N" and their contact details are erased; sex, age band,
commune and attendance stay for the statistics of past years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from workbench.cells import cell_text
from workbench.council.members import COLUMNS, FieldError, member_key, parse_member
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.spreadsheets import Workbook, csv_bytes, write_csv
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import council_member

__all__ = ["MemberRecord", "export_members", "list_members", "members_csv", "purge_expired",
           "save_member"]

ANONYMOUS = "Membre retiré {id}"


@dataclass(frozen=True)
class MemberRecord:
    id: int
    fields: dict[str, str]  # import columns, as text
    active: bool


def list_members(engine=None, today: date | None = None) -> list[MemberRecord]:
    """Every member, in name order, with their fields as text and whether they sit today."""
    today = today or date.today()
    names = dict(zip(("name", "email", "phone", "commune", "sex", "age_band", "college",
                      "community_councillor", "entry_date", "exit_date", "consent",
                      "retention_until"), COLUMNS, strict=True))
    with read_connection(engine) as conn:
        rows = conn.execute(select(council_member).order_by(council_member.c.name)).all()
    return [MemberRecord(r.id, {column: cell_text(getattr(r, key))
                                for key, column in names.items()},
                         r.entry_date <= today and (r.exit_date is None or r.exit_date > today))
            for r in rows]


def save_member(fields: dict[str, str], member_id: int | None = None, engine=None) -> int:
    """Add (``member_id`` None) or change a member; French error naming the field."""
    try:
        member = parse_member(fields)
    except FieldError as error:
        raise WorkbenchError(_("Field '{name}': {message}").format(
            name=error.column, message=error.message)) from None
    with write_transaction(engine) as conn:
        other = conn.scalar(select(council_member.c.id).where(member_key(member)))
        if other is not None and other != member_id:
            raise WorkbenchError(_("Another member already has this e-mail address (or, "
                                   "without one, this name)."))
        if member_id is None:
            return conn.scalar(insert(council_member).values(
                **member, created_at=datetime.now(UTC).replace(tzinfo=None))
                .returning(council_member.c.id))
        if conn.execute(update(council_member).where(council_member.c.id == member_id)
                        .values(**member)).rowcount != 1:
            raise WorkbenchError(_("This member does not exist."))
        return member_id


def _member_rows(engine=None) -> list[list[str]]:
    """The import's header, then a row per member."""
    return [list(COLUMNS), *([record.fields[c] for c in COLUMNS]
                             for record in list_members(engine))]


def members_csv(engine=None) -> bytes:
    """The registry as CSV (UTF-8 with BOM, semicolons: what spreadsheets here open)."""
    return csv_bytes(_member_rows(engine))


def export_members(path: Path, engine=None) -> int:
    """Write the registry to ``path`` (.csv or .xlsx), in the import's format."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise WorkbenchError(_("Export to a .csv or .xlsx file."))
    rows = _member_rows(engine)
    if path.suffix.lower() == ".csv":
        return write_csv(path, rows) - 1
    book = Workbook()
    sheet = book.sheet("membres")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return len(rows) - 1


def purge_expired(today: date | None = None, engine=None) -> int:
    """Anonymise members who have left and whose retention date has passed."""
    today = today or date.today()
    with write_transaction(engine) as conn:
        ids = list(conn.scalars(select(council_member.c.id).where(
            council_member.c.retention_until < today, council_member.c.exit_date <= today,
            council_member.c.email.is_not(None) | council_member.c.phone.is_not(None)
            | ~council_member.c.name.like("Membre retiré %"))))
        for member in ids:
            conn.execute(update(council_member).where(council_member.c.id == member).values(
                name=ANONYMOUS.format(id=member), email=None, phone=None, consent=False))
    return len(ids)
