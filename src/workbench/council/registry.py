"""The members registry as staff keep it: list, add or edit one member, export, purge.

Fields use the import's French column names (``members.COLUMNS``) so that an export can be
edited and imported again. Personal data leaves the database only through staff pages and
these exports. Past their retention date (and once they have left), members are anonymised:
their name becomes "Membre retiré N" and their contact details are erased; sex, age band,
commune and attendance stay for the statistics of past years.

Every function here needs ``Permission.COUNCIL`` (the secretariat's registry: its exports
hold personal data). Additions, changes, anonymisations and exports are written to the audit
trail without any personal value: which fields changed, never what they hold (only the
registry's administrative fields, such as the college or the dates, show their values).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from workbench.cells import cell_text
from workbench.council.members import (
    COLUMNS,
    FieldError,
    check_consent_again,
    find_member,
    parse_member,
)
from workbench.dates import months_after
from workbench.errors import WorkbenchError
from workbench.i18n import _, ngettext
from workbench.rgpd.consent import council_consent
from workbench.spreadsheets import Workbook, csv_bytes, write_csv
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import council_member

__all__ = ["MemberRecord", "anonymise_members", "expired_members", "export_members",
           "field_labels", "list_members", "members_csv", "purge_expired", "save_member"]

ANONYMOUS = "Membre retiré {id}"
# Fields whose values the audit trail may show (the others are personal: only their names).
ADMINISTRATIVE = ("college", "community_councillor", "entry_date", "exit_date", "consent",
                  "retention_until")
# The registry's columns: the import's, less the date of a signed consent form (kept in the
# consent's record, not in the registry).
STORED = tuple(c for c in COLUMNS if c != "date_consentement")
FIELD_COLUMNS = dict(zip(("name", "email", "phone", "commune", "sex", "age_band", "college",
                          "community_councillor", "entry_date", "exit_date", "consent",
                          "retention_until"), STORED, strict=True))


def field_labels() -> dict[str, str]:
    """Each import column's French label, as the staff form shows it."""
    return {"nom": _("Name"), "email": _("E-mail"), "telephone": _("Telephone"),
            "commune": _("Commune"), "sexe": _("Sex"), "tranche_age": _("Age band"),
            "college": _("College"), "elu_communautaire": _("Community councillor"),
            "entree": _("Entry"), "sortie": _("Exit"),
            "consentement": _("Has consented to keeping their e-mail and phone (signed "
                              "form)"),
            "date_consentement": _("Signed on"), "conservation_jusqu_au": _("Keep data until")}


def _field_label(column: str) -> str:
    """The label of an import column, or of a stored column (``phone``: a value too long)."""
    column = FIELD_COLUMNS.get(column, column)
    return field_labels().get(column, column)


@dataclass(frozen=True)
class MemberRecord:
    id: int
    fields: dict[str, str]  # import columns, as text
    active: bool


def list_members(engine=None, today: date | None = None) -> list[MemberRecord]:
    """Every member, in name order, with their fields as text and whether they sit today."""
    require(Permission.COUNCIL, engine=engine)
    today = today or date.today()
    names = FIELD_COLUMNS
    with read_connection(engine) as conn:
        rows = conn.execute(select(council_member).order_by(council_member.c.name)).all()
    return [MemberRecord(r.id, {column: cell_text(getattr(r, key))
                                for key, column in names.items()},
                         r.entry_date <= today and (r.exit_date is None or r.exit_date > today))
            for r in rows]


def _audit_values(fields: list[str], values: dict) -> dict:
    """The changed fields' import names, and the values of the administrative ones."""
    return {"fields": [FIELD_COLUMNS[f] for f in fields],
            **{f: values[f] for f in fields if f in ADMINISTRATIVE}}


def save_member(fields: dict[str, str], member_id: int | None = None, engine=None) -> int:
    """Add (``member_id`` None) or change a member; French error naming the field by its
    label on the staff form ("Courriel"), not its import column."""
    require(Permission.COUNCIL, engine=engine)
    try:
        member = parse_member(fields)
    except FieldError as error:
        raise WorkbenchError(_("Field '{name}': {message}").format(
            name=_field_label(error.column), message=error.message)) from None
    signed_on = member.pop("consent_signed_on")
    with write_transaction(engine) as conn:
        other = find_member(conn, member)
        if other is not None and other != member_id:
            raise WorkbenchError(_("Another member already has this e-mail address (or, "
                                   "without one, this name)."))
        if member_id is None:
            member_id = conn.scalar(insert(council_member).values(
                **member, created_at=datetime.now(UTC).replace(tzinfo=None))
                .returning(council_member.c.id))
            council_consent(conn, member_id, member["consent"], member["email"], signed_on)
            given = [f for f in FIELD_COLUMNS if member[f] not in (None, "")]
            audit.record(conn, "council.member_add", "council_member", member_id,
                         _("Member no. {id} added to the registry.").format(id=member_id),
                         after=_audit_values(given, member))
            return member_id
        old = conn.execute(select(council_member).where(council_member.c.id == member_id)
                           ).first()
        if old is None:
            raise WorkbenchError(_("This member does not exist."))
        check_consent_again(conn, member_id, member, signed_on)
        conn.execute(update(council_member).where(council_member.c.id == member_id)
                     .values(**member))
        council_consent(conn, member_id, member["consent"], member["email"], signed_on)
        changed = [f for f in FIELD_COLUMNS if getattr(old, f) != member[f]]
        audit.record(conn, "council.member_edit", "council_member", member_id,
                     _("Member no. {id} edited: {fields}.").format(
                         id=member_id, fields=", ".join(FIELD_COLUMNS[f] for f in changed)
                         or _("no change")),
                     before=_audit_values(changed, old._mapping),
                     after=_audit_values(changed, member))
        return member_id


def _member_rows(engine=None) -> list[list[str]]:
    """The import's header, then a row per member."""
    return [list(STORED), *([record.fields[c] for c in STORED]
                             for record in list_members(engine))]


def _audit_export(engine, count: int, fmt: str) -> None:
    with write_transaction(engine) as conn:  # the export itself writes nothing
        audit.record(conn, "council.members_export", "council_member", "*",
                     ngettext("Registry exported ({format}, personal data): {count} member.",
                              "Registry exported ({format}, personal data): {count} members.",
                              count).format(format=fmt, count=count),
                     after={"format": fmt, "rows": count})


def members_csv(engine=None) -> bytes:
    """The registry as CSV (UTF-8 with BOM, semicolons: what spreadsheets here open)."""
    require(Permission.COUNCIL, engine=engine)
    rows = _member_rows(engine)
    data = csv_bytes(rows)
    _audit_export(engine, len(rows) - 1, "csv")
    return data


def export_members(path: Path, engine=None) -> int:
    """Write the registry to ``path`` (.csv or .xlsx), in the import's format."""
    require(Permission.COUNCIL, engine=engine)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise WorkbenchError(_("Export to a .csv or .xlsx file."))
    rows = _member_rows(engine)
    if path.suffix.lower() == ".csv":
        write_csv(path, rows)
    else:
        book = Workbook()
        sheet = book.sheet("membres")
        for row in rows:
            sheet.append(row)
        book.save(path)
    _audit_export(engine, len(rows) - 1, path.suffix.lower()[1:])
    return len(rows) - 1


def expired_members(conn, today: date) -> list[int]:
    """Members not yet anonymised who have left and whose retention has passed: their
    retention date, or one year after they left when none was set (a member who left in
    2012 without a date was kept for ever)."""
    rows = conn.execute(select(council_member.c.id, council_member.c.exit_date,
                               council_member.c.retention_until).where(
        council_member.c.exit_date.is_not(None), council_member.c.exit_date <= today,
        council_member.c.email.is_not(None) | council_member.c.phone.is_not(None)
        | ~council_member.c.name.like("Membre retiré %"))).all()
    return [r.id for r in rows
            if (r.retention_until or months_after(r.exit_date, 12)) < today]


def anonymise_members(conn, ids: list[int]) -> None:
    """Replace the members' names and erase their contacts (audited, no personal value);
    their contact consents end."""
    from workbench.rgpd.consent import Ended, end_consents
    from workbench.storage.schema import consent_record

    end_consents(conn, list(conn.scalars(select(consent_record.c.id).where(
        consent_record.c.member_id.in_(ids), consent_record.c.ended_at.is_(None)))),
        Ended.ERASED)
    for member in ids:
        conn.execute(update(council_member).where(council_member.c.id == member).values(
            name=ANONYMOUS.format(id=member), email=None, phone=None, consent=False))
        audit.record(conn, "council.member_anonymise", "council_member", member,
                     _("Member no. {id} anonymised (retention date passed).").format(
                         id=member),
                     after={"fields": [FIELD_COLUMNS[f] for f in
                                       ("name", "email", "phone", "consent")],
                            "consent": False})


def purge_expired(today: date | None = None, engine=None) -> int:
    """Anonymise members who have left and whose retention has passed (``expired_members``)."""
    require(Permission.COUNCIL, engine=engine)
    today = today or date.today()
    with write_transaction(engine) as conn:
        ids = expired_members(conn, today)
        anonymise_members(conn, ids)
    return len(ids)
