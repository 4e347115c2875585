"""A person's rights (RGPD art. 15 and 17): find every record about someone across the
processings, export it (access), erase it (erasure, opposition).

The person is named by e-mail (and, where records hold only a name, by name). What a legal
obligation or the traceability of public decisions requires is kept, and the answer says so
(an assessor's scores of subsidy files, the audit trail of a staff account). Anonymous answers
cannot be found: nothing links them to anyone. Each search, export and erasure is written to
the audit trail with a hash of the e-mail, never the data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, delete, func, select, update

from workbench.council.registry import anonymise_members
from workbench.i18n import _
from workbench.rgpd import consent
from workbench.rgpd.keys import person_key
from workbench.staff import audit
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    audit_event,
    committee_review,
    council_attendance,
    council_member,
    invitation,
    pb_proposer,
    response_identity,
    staff_account,
)

__all__ = ["Found", "erase_person", "export_person", "find_person", "person_key"]


@dataclass(frozen=True)
class Found:
    """Records of one source about the person."""

    processing: str
    category: str
    source: str
    records: list[dict] = field(default_factory=list)
    kept: str = ""  # why erasure keeps them ("" : erased or anonymised)


@dataclass(frozen=True)
class Source:
    processing: str
    category: str
    name: str
    find: Callable[[Connection, str, str], list[dict]]
    erase: Callable[[Connection, list[dict]], None] | None  # None: kept (see ``kept``)
    kept: str = ""


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _rows(conn: Connection, query) -> list[dict]:
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in conn.execute(query)]


def _members(conn: Connection, email: str, name: str) -> list[dict]:
    match = func.lower(council_member.c.email) == email
    if name:
        match = match | (council_member.c.name == name)
    return _rows(conn, select(council_member.c.id, council_member.c.name,
                              council_member.c.email, council_member.c.phone,
                              council_member.c.commune, council_member.c.sex,
                              council_member.c.age_band, council_member.c.college,
                              council_member.c.entry_date, council_member.c.exit_date,
                              council_member.c.consent).where(match))


def _attendance(conn: Connection, email: str, name: str) -> list[dict]:
    ids = [m["id"] for m in _members(conn, email, name)]
    return _rows(conn, select(council_attendance).where(
        council_attendance.c.member_id.in_(ids))) if ids else []


def _invitations(conn: Connection, email: str, _name: str) -> list[dict]:
    return _rows(conn, select(invitation.c.id, invitation.c.recipient, invitation.c.created_at,
                              invitation.c.used_on).where(
        func.lower(invitation.c.recipient).contains(email, autoescape=True)))


def _identified(conn: Connection, email: str, name: str) -> list[dict]:
    ids = [i["id"] for i in _invitations(conn, email, name)]
    return _rows(conn, select(response_identity).where(
        response_identity.c.invitation_id.in_(ids))) if ids else []


def _proposers(conn: Connection, email: str, name: str) -> list[dict]:
    match = func.lower(pb_proposer.c.email) == email
    if name:
        match = match | (pb_proposer.c.name == name)
    return _rows(conn, select(pb_proposer).where(match))


def _staff(conn: Connection, email: str, _name: str) -> list[dict]:
    return _rows(conn, select(staff_account.c.id, staff_account.c.email, staff_account.c.name,
                              staff_account.c.active, staff_account.c.created_at).where(
        staff_account.c.email == email))


def _audit(conn: Connection, email: str, _name: str) -> list[dict]:
    return _rows(conn, select(audit_event.c.at, audit_event.c.action, audit_event.c.object_type,
                              audit_event.c.object_id).where(audit_event.c.actor == email))


def _assessor(conn: Connection, _email: str, name: str) -> list[dict]:
    return _rows(conn, select(committee_review).where(
        committee_review.c.assessor == name)) if name else []


def _consents(conn: Connection, email: str, _name: str) -> list[dict]:
    return [{"id": r.id, "purpose": r.purpose, "email": r.email, "name": r.name,
             "text_version": r.text_version, "given_at": _plain(r.given_at),
             "source": r.source, "ended_at": _plain(r.ended_at),
             "status": consent.ended_label(r.ended_how)}
            for r in consent.records_of(conn, email)]


def _end_consents(conn: Connection, found: list[dict]) -> None:
    consent.end_consents(conn, [c["id"] for c in found if c["ended_at"] is None])


def _anonymise(conn: Connection, found: list[dict]) -> None:
    anonymise_members(conn, [m["id"] for m in found])


def _forget_recipients(conn: Connection, found: list[dict]) -> None:
    conn.execute(update(invitation).where(invitation.c.id.in_([i["id"] for i in found]))
                 .values(recipient=None))


def _unlink_answers(conn: Connection, found: list[dict]) -> None:
    conn.execute(delete(response_identity).where(
        response_identity.c.response_id.in_([r["response_id"] for r in found])))


def _delete_proposers(conn: Connection, found: list[dict]) -> None:
    for row in found:
        conn.execute(delete(pb_proposer).where(pb_proposer.c.project_id == row["project_id"],
                                               pb_proposer.c.email == row["email"]))


def _sources() -> tuple[Source, ...]:
    return (
        # In this order: attendance and answers are found through the member and the
        # invitation, before those are anonymised or forgotten.
        Source("conseil-registre", "presences", _("council attendance"), _attendance, None,
               _("kept, linked to the anonymised member (statistics of past years)")),
        Source("conseil-registre", "identite", _("council registry"), _members, _anonymise),
        Source("preuves-consentement", "preuve", _("consents"), _consents, _end_consents,
               _("current consents end and their address is erased; the proof (dates, text "
                 "version, a hash of the address) is kept 5 years (art. 7.1)")),
        Source("questionnaires", "identite-invitation", _("identified answers"), _identified,
               _unlink_answers),
        Source("invitations", "destinataire", _("invitations"), _invitations,
               _forget_recipients),
        Source("budget-participatif", "porteurs", _("participatory budget proposers"),
               _proposers, _delete_proposers),
        Source("comptes-personnel", "compte", _("staff account"), _staff, None,
               _("kept: an administrator disables the account (workbench staff disable); it "
                 "is deleted 6 months after the person's duties end")),
        Source("comptes-personnel", "journal", _("audit trail"), _audit, None,
               _("kept 5 years: the traceability of the public body's actions")),
        Source("associations", "commission", _("committee scores (as an assessor)"), _assessor,
               None, _("kept 10 years: records of the subsidy decisions")),
    )


def find_person(email: str, name: str = "", engine=None) -> list[Found]:
    """Every source's records about the person (sources without any are left out)."""
    require(Permission.PERSONAL_DATA, engine=engine)
    email, name = email.strip().lower(), " ".join(name.split())
    if "@" not in email:
        raise Refused(_("'{email}' is not an e-mail address.").format(email=email))
    with read_connection(engine) as conn:
        found = [Found(s.processing, s.category, s.name, records, s.kept)
                 for s in _sources() if (records := s.find(conn, email, name))]
    with write_transaction(engine) as conn:
        audit.record(conn, "rgpd.search", "person", person_key(email), _(
            "Records of a person searched (right of access or erasure): {n} sources.").format(
                n=len(found)), after={"sources": [f.source for f in found]})
    return found


def export_person(found: list[Found], folder: Path, key: str) -> tuple[Path, Path]:
    """The records as JSON and as a French workbook (one row per value), for the person."""
    from workbench.spreadsheets import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    note = _("Anonymous answers to questionnaires are not linked to anyone: they cannot be "
             "found, exported nor erased.")
    data = {"note": note, "records": [
        {"processing": f.processing, "category": f.category, "source": f.source,
         "records": f.records} for f in found]}
    json_path = folder / f"donnees-{key}.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                         encoding="utf-8")
    book = Workbook()
    sheet = book.sheet(_("Your data"))
    sheet.append([_("Source"), _("Record"), _("Data"), _("Value")])
    for f in found:
        for number, record in enumerate(f.records, start=1):
            for key_name, value in record.items():
                sheet.append([f.source, number, key_name, "" if value is None else value])
    sheet.append([note])
    xlsx_path = folder / f"donnees-{key}.xlsx"
    book.save(xlsx_path)
    return json_path, xlsx_path


def erase_person(email: str, reason: str, name: str = "", engine=None) -> list[Found]:
    """Erase or anonymise the person's records in one transaction; what is kept says why."""
    require(Permission.PERSONAL_DATA, engine=engine)
    email, name = email.strip().lower(), " ".join(name.split())
    if not reason.strip():
        raise Refused(_("Say why the records are erased (--reason): the request's date and "
                        "channel, or the opposition."))
    done = []
    with write_transaction(engine) as conn:
        for source in _sources():
            records = source.find(conn, email, name)
            if not records:
                continue
            if source.erase is not None:
                source.erase(conn, records)
            done.append(Found(source.processing, source.category, source.name, records,
                              source.kept))
        audit.record(conn, "rgpd.erase", "person", person_key(email), _(
            "A person's records erased or anonymised ({reason}).").format(reason=reason.strip()),
            after={f.source: {"records": len(f.records), "kept": bool(f.kept)} for f in done})
    return done
