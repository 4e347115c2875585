"""Consents (RGPD art. 7): recorded with the date, the source and the version of the text the
person accepted; withdrawable; ended by withdrawal, expiry, erasure or a new text version.

Two consents exist (``consents`` in ``data/rgpd/traitements.yaml``): council members'
contact details (``conseil-coordonnees``, recorded by the secretariat from the signed form,
column ``consentement``), and being recontacted for the next consultations (``recontact``,
ticked by the person on a public page). When a consent ends, the e-mail and name it held are
erased at once and, for a council member, the e-mail and phone of the registry too; the proof
keeps only a hash of the address, the dates and the text version (5 years, art. 7.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from workbench.dates import months_after
from workbench.i18n import _
from workbench.rgpd.keys import person_key
from workbench.staff import audit
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import consent_record, council_member

__all__ = ["COUNCIL", "RECONTACT", "Ended", "Record", "active_contacts", "consents_of",
           "council_consent", "end_consents", "expired", "give", "old_proofs", "records_of",
           "withdraw", "withdrawn_on"]

COUNCIL = "conseil-coordonnees"
RECONTACT = "recontact"
RECONTACT_MONTHS = 36  # then the consent expires unless given again
PROOF_MONTHS = 60  # the proof is kept 5 years after the consent ended


class Ended(StrEnum):
    WITHDRAWN = "retrait"
    EXPIRED = "expiration"
    ERASED = "effacement"
    RENEWED = "nouvelle-version"


def ended_label(how: str | None) -> str:
    return {None: _("current"), Ended.WITHDRAWN: _("withdrawn"), Ended.EXPIRED: _("expired"),
            Ended.ERASED: _("erased"), Ended.RENEWED: _("replaced by a new version")}.get(
        how, how or "")


@dataclass(frozen=True)
class Record:
    id: int
    purpose: str
    subject_key: str
    email: str | None
    name: str | None
    member_id: int | None
    text_version: str
    given_at: datetime
    source: str
    ended_at: datetime | None
    ended_how: str | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _version(purpose: str) -> str:
    from workbench.rgpd.catalogue import load_catalogue

    return load_catalogue().consent(purpose).version


def give(conn: Connection, purpose: str, *, source: str, email: str | None = None,
         name: str | None = None, member_id: int | None = None,
         signed_on: date | None = None) -> int:
    """Record a consent given now on a page (in the caller's transaction). The person's
    current record of the same text version is renewed (its date and source: the 3 years
    start again); one of an older version ends as replaced. Only ``recontact`` keeps the
    e-mail and name: a member's contact details stay in the registry. ``signed_on``: the
    date of a signed form (the council's), else now."""
    version = _version(purpose)
    key = person_key(email) if email else person_key(f"membre:{member_id}")
    given = datetime.combine(signed_on, time()) if signed_on else _now()
    current = _current(conn, purpose, key, member_id)
    if current is not None and current.text_version == version:
        conn.execute(update(consent_record).where(consent_record.c.id == current.id)
                     .values(given_at=max(given, current.given_at), source=source))
        return current.id
    if current is not None:
        _end(conn, [current.id], Ended.RENEWED)
    keep = purpose == RECONTACT
    return conn.execute(insert(consent_record).values(
        purpose=purpose, subject_key=key, member_id=member_id,
        email=email.strip().lower() if keep and email else None,
        name=" ".join(name.split())[:200] if keep and name else None, text_version=version,
        given_at=given, source=source)).inserted_primary_key[0]


def _current(conn: Connection, purpose: str, key: str, member_id: int | None):
    who = consent_record.c.member_id == member_id if member_id is not None else (
        consent_record.c.subject_key == key)
    return conn.execute(select(consent_record).where(
        consent_record.c.purpose == purpose, consent_record.c.ended_at.is_(None), who)).first()


def _end(conn: Connection, ids: list[int], how: Ended) -> None:
    """End consents: the e-mail and name they held are erased; a council member's contact
    details too (unless the consent is only replaced by a new version)."""
    if not ids:
        return
    if how != Ended.RENEWED:
        members = conn.scalars(select(consent_record.c.member_id).where(
            consent_record.c.id.in_(ids), consent_record.c.purpose == COUNCIL,
            consent_record.c.member_id.is_not(None))).all()
        _forget_contacts(conn, list(members))
    conn.execute(update(consent_record).where(consent_record.c.id.in_(ids)).values(
        ended_at=_now(), ended_how=how.value, email=None, name=None))


def _forget_contacts(conn: Connection, members: list[int]) -> None:
    if members:
        conn.execute(update(council_member).where(council_member.c.id.in_(members))
                     .values(email=None, phone=None, consent=False))


def withdrawn_on(conn: Connection, member_id: int) -> datetime | None:
    """When the member last withdrew their contact consent (None: never, or given since)."""
    last = conn.execute(select(consent_record.c.ended_at, consent_record.c.ended_how).where(
        consent_record.c.purpose == COUNCIL, consent_record.c.member_id == member_id)
        .order_by(consent_record.c.given_at.desc(), consent_record.c.id.desc())).first()
    return last.ended_at if last is not None and last.ended_how == Ended.WITHDRAWN else None


def council_consent(conn: Connection, member_id: int, consent: bool, email: str | None,
                    signed_on: date | None = None) -> None:
    """Keep a member's consent record in step with the registry's ``consent`` column. A
    current consent is kept as it is, whatever the catalogue's text now says: the member
    signed the form they signed (a new text needs a new signed form, ``signed_on``)."""
    current = _current(conn, COUNCIL, "", member_id)
    if consent and current is None:
        give(conn, COUNCIL, source="registre", email=email, member_id=member_id,
             signed_on=signed_on)
    elif consent and signed_on and current.given_at.date() < signed_on:
        _end(conn, [current.id], Ended.RENEWED)  # a newly signed form
        give(conn, COUNCIL, source="registre", email=email, member_id=member_id,
             signed_on=signed_on)
    elif consent and email:
        conn.execute(update(consent_record).where(consent_record.c.id == current.id)
                     .values(subject_key=person_key(email)))  # found by their address
    elif not consent and current is not None:
        _end(conn, [current.id], Ended.WITHDRAWN)


def end_consents(conn: Connection, ids: list[int], how: Ended = Ended.ERASED) -> None:
    _end(conn, ids, how)


def _matching(email: str):
    """A person's consents: by the hash of their address, or through their member record."""
    key = person_key(email)
    members = select(council_member.c.id).where(func.lower(council_member.c.email) == email)
    return or_(consent_record.c.subject_key == key, consent_record.c.member_id.in_(members))


def records_of(conn: Connection, email: str) -> list[Record]:
    rows = conn.execute(select(consent_record).where(_matching(email.strip().lower()))
                        .order_by(consent_record.c.given_at)).all()
    return [Record(**row._mapping) for row in rows]


def withdraw(email: str, purpose: str | None = None, engine=None) -> list[Record]:
    """Withdraw the person's current consents (one purpose, or all); audited with a hash of
    the address. Returns the records as they were."""
    require(Permission.PERSONAL_DATA, engine=engine)
    email = email.strip().lower()
    if "@" not in email:
        raise Refused(_("'{email}' is not an e-mail address.").format(email=email))
    with write_transaction(engine) as conn:
        found = [r for r in records_of(conn, email) if r.ended_at is None
                 and (purpose is None or r.purpose == purpose)]
        _end(conn, [r.id for r in found], Ended.WITHDRAWN)
        if purpose in (None, COUNCIL):  # a member recorded before consents had records
            _forget_contacts(conn, list(conn.scalars(select(council_member.c.id).where(
                func.lower(council_member.c.email) == email))))
        audit.record(conn, "rgpd.consent_withdraw", "person", person_key(email), _(
            "Consent withdrawn: {n} records.").format(n=len(found)),
            after={"purposes": sorted({r.purpose for r in found})})
    return found


def consents_of(email: str, engine=None) -> list[Record]:
    """A person's consents, current and ended (administrators; audited, hash only)."""
    require(Permission.PERSONAL_DATA, engine=engine)
    email = email.strip().lower()
    with write_transaction(engine) as conn:
        found = records_of(conn, email)
        audit.record(conn, "rgpd.consent_search", "person", person_key(email), _(
            "A person's consents read: {n} records.").format(n=len(found)),
            after={"count": len(found)})
    return found


def active_contacts(engine=None) -> list[Record]:
    """Who asked to be recontacted (current consents), for the next invitation; audited."""
    require(Permission.PERSONAL_DATA, engine=engine)
    with read_connection(engine) as conn:
        rows = conn.execute(select(consent_record).where(
            consent_record.c.purpose == RECONTACT, consent_record.c.ended_at.is_(None),
            consent_record.c.email.is_not(None)).order_by(consent_record.c.given_at)).all()
    with write_transaction(engine) as conn:
        audit.record(conn, "rgpd.recontact_list", "consent", RECONTACT, _(
            "List of people to recontact read: {n} people.").format(n=len(rows)),
            after={"count": len(rows)})
    return [Record(**row._mapping) for row in rows]


def expired(conn: Connection, today: date) -> list[int]:
    """Current ``recontact`` consents given more than 3 years ago."""
    rows = conn.execute(select(consent_record.c.id, consent_record.c.given_at).where(
        consent_record.c.purpose == RECONTACT, consent_record.c.ended_at.is_(None))).all()
    return [r.id for r in rows if months_after(r.given_at.date(), RECONTACT_MONTHS) < today]


def old_proofs(conn: Connection, today: date) -> list[int]:
    """Ended consents whose proof has been kept 5 years."""
    limit = datetime.combine(today, time())
    rows = conn.execute(select(consent_record.c.id, consent_record.c.ended_at).where(
        and_(consent_record.c.ended_at.is_not(None), consent_record.c.ended_at < limit))).all()
    return [r.id for r in rows if months_after(r.ended_at.date(), PROOF_MONTHS) < today]


def delete_proofs(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(consent_record).where(consent_record.c.id.in_(ids)))
