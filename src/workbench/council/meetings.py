"""Bodies, meetings and attendance of the council; attendance statistics.

A meeting is planned with its invited members (attendance not marked yet), then marked on the
staff sign-in sheet or by the members themselves on the sign-in page (the room's code, shown as a
QR code, and their e-mail address). Once the day is over, an invited member not marked present
counts as absent. Attendance rates per member, per body and per commune over a year; members
absent from three meetings in a row (among those they were invited to) are flagged.

The staff functions need ``Permission.COUNCIL``; the members' own sign-in (``sign_in``,
``signin_meeting``) is the public page's and needs none.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select, update

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import insert_new, upsert
from workbench.storage.schema import (
    council_attendance,
    council_body,
    council_meeting,
    council_member,
    council_signin_attempt,
)
from workbench.territory.clock import local_today

__all__ = ["BODY_KINDS", "AttendanceStats", "Meeting", "SignIn", "SignInActivity",
           "add_meeting", "attempts_limit", "attendance_sheet", "attendance_stats",
           "create_body", "list_bodies", "list_meetings", "plan_meeting", "record_attendance",
           "sign_in", "signin_activity", "signin_meeting"]

BODY_KINDS = ("plénière", "bureau", "comité de coordination", "groupe de travail")


def create_body(name: str, kind: str, engine=None) -> int:
    require(Permission.COUNCIL, engine=engine)
    if kind not in BODY_KINDS:
        raise WorkbenchError(_("The kind of body is one of: {values}.").format(
            values=", ".join(BODY_KINDS)))
    with write_transaction(engine) as conn:
        insert_new(conn, council_body, {"name": name, "kind": kind}, keys=["name"])
        return conn.scalar(select(council_body.c.id).where(council_body.c.name == name))


def list_bodies(engine=None) -> list[tuple[int, str, str]]:
    """(id, name, kind) of every body."""
    with read_connection(engine) as conn:
        return [tuple(r) for r in conn.execute(
            select(council_body.c.id, council_body.c.name, council_body.c.kind)
            .order_by(council_body.c.name))]


def add_meeting(body_id: int, held_on: date, place: str, agenda: str,
                attendance: dict[int, bool], engine=None) -> int:
    """A meeting and, for each invited member, whether they attended."""
    require(Permission.COUNCIL, engine=engine)
    with write_transaction(engine) as conn:
        meeting = conn.scalar(insert(council_meeting).values(
            body_id=body_id, held_on=held_on, place=place, agenda=agenda)
            .returning(council_meeting.c.id))
        if attendance:
            conn.execute(insert(council_attendance), [
                {"meeting_id": meeting, "member_id": m, "present": p}
                for m, p in attendance.items()])
    return meeting


def plan_meeting(body_id: int, held_on: date, place: str, agenda: str, documents: str,
                 invited: Iterable[int], engine=None) -> int:
    """A meeting to come: its invited members (not marked yet) and a sign-in code."""
    require(Permission.COUNCIL, engine=engine)
    invited = list(invited)
    if not invited:
        raise WorkbenchError(_("Invite at least one member."))
    with write_transaction(engine) as conn:
        meeting = conn.scalar(insert(council_meeting).values(
            body_id=body_id, held_on=held_on, place=place.strip(), agenda=agenda.strip(),
            documents=documents.strip(), signin_code=secrets.token_urlsafe(12))
            .returning(council_meeting.c.id))
        conn.execute(insert(council_attendance), [
            {"meeting_id": meeting, "member_id": m, "present": None} for m in invited])
    return meeting


@dataclass(frozen=True)
class Meeting:
    id: int
    body: str
    kind: str
    held_on: date
    place: str
    agenda: str
    documents: tuple[str, ...]
    signin_code: str | None
    invited: int
    present: int


def list_meetings(engine=None) -> list[Meeting]:
    """Every meeting, the latest first, with how many were invited and present."""
    invited = func.count(council_attendance.c.member_id)
    present = func.count(council_attendance.c.member_id).filter(
        council_attendance.c.present.is_(True))
    with read_connection(engine) as conn:
        rows = conn.execute(
            select(council_meeting, council_body.c.name.label("body"),
                   council_body.c.kind, invited.label("invited"), present.label("present"))
            .join(council_body, council_body.c.id == council_meeting.c.body_id)
            .outerjoin(council_attendance,
                       council_attendance.c.meeting_id == council_meeting.c.id)
            .group_by(council_meeting.c.id, council_body.c.name, council_body.c.kind)
            .order_by(council_meeting.c.held_on.desc(), council_meeting.c.id.desc())).all()
    return [Meeting(r.id, r.body, r.kind, r.held_on, r.place, r.agenda,
                    tuple(line.strip() for line in (r.documents or "").splitlines()
                          if line.strip()), r.signin_code, r.invited, r.present)
            for r in rows]


def attendance_sheet(meeting_id: int, engine=None) -> list[tuple[int, str, bool | None]]:
    """(member id, name, present or None if not marked) of the meeting's invited members."""
    require(Permission.COUNCIL, engine=engine)
    with read_connection(engine) as conn:
        return [tuple(r) for r in conn.execute(
            select(council_member.c.id, council_member.c.name, council_attendance.c.present)
            .join(council_attendance, council_attendance.c.member_id == council_member.c.id)
            .where(council_attendance.c.meeting_id == meeting_id)
            .order_by(council_member.c.name))]


def _tally(marks: Iterable[bool | None]) -> dict[str, int]:
    marks = list(marks)
    return {"present": sum(m is True for m in marks), "absent": sum(m is False for m in marks),
            "unmarked": sum(m is None for m in marks)}


def record_attendance(meeting_id: int, marks: dict[int, bool], engine=None) -> None:
    """Mark members present or absent (staff sign-in sheet); new names are added as invited."""
    require(Permission.COUNCIL, engine=engine)
    with write_transaction(engine) as conn:
        if conn.scalar(select(council_meeting.c.id).where(council_meeting.c.id == meeting_id)) \
                is None:
            raise WorkbenchError(_("This meeting does not exist."))
        before = dict(conn.execute(
            select(council_attendance.c.member_id, council_attendance.c.present)
            .where(council_attendance.c.meeting_id == meeting_id)).all())
        for member, present in marks.items():
            upsert(conn, council_attendance, {"meeting_id": meeting_id, "member_id": member,
                                              "present": present},
                   keys=["meeting_id", "member_id"])
        after = before | marks
        changed = sorted(m for m in after if m not in before or before[m] != after[m])
        audit.record(conn, "council.attendance", "council_meeting", meeting_id,
                     _("Sign-in sheet of meeting no. {id} saved: {present} present out of "
                       "{invited}.").format(id=meeting_id, invited=len(after),
                                            present=_tally(after.values())["present"]),
                     before=_tally(before.values()),
                     after=_tally(after.values()) | {"changed_member_ids": changed})


def signin_meeting(meeting_id: int | None, code: str | None,
                   engine=None) -> tuple[str, date, str] | None:
    """(body, date, place) of the meeting whose sign-in code is ``code``, else None."""
    if meeting_id is None or not code:
        return None
    with read_connection(engine) as conn:
        row = conn.execute(
            select(council_body.c.name, council_meeting.c.held_on, council_meeting.c.place,
                   council_meeting.c.signin_code)
            .join(council_body, council_body.c.id == council_meeting.c.body_id)
            .where(council_meeting.c.id == meeting_id)).first()
    if row is None or not row.signin_code or not secrets.compare_digest(row.signin_code, code):
        return None
    return row.name, row.held_on, row.place


class SignIn:
    """Outcomes of a member's sign-in.

    The page shows SIGNED, ALREADY and NOT_INVITED alike: the room's code must not tell who
    is invited. LIMITED: too many attempts, the sign-in by phone is closed.
    """

    SIGNED = "signed"
    ALREADY = "already"
    NOT_INVITED = "not-invited"
    CLOSED = "closed"
    UNKNOWN = "unknown"
    LIMITED = "limited"


def attempts_limit(invited: int) -> int:
    """Sign-in attempts a meeting accepts by phone: one per invited member, plus some for
    typos and second tries (max(10, invited ÷ 4))."""
    return invited + max(10, invited // 4)


def sign_in(meeting_id: int | None, code: str | None, email: str, today: date,
            engine=None, now: datetime | None = None) -> str:
    """A member signs in with the room's code and their e-mail, on the meeting's day only.

    Every attempt counts, whatever the address (only its moment and whether it was an
    invited member's are kept): past ``attempts_limit`` the sign-in by phone closes for that
    meeting. Counting every attempt, not only the unrecognised ones, keeps the moment it
    closes from telling whether an address was invited.
    """
    with write_transaction(engine) as conn:
        meeting = signin_meeting(meeting_id, code, engine)
        if meeting is None:
            return SignIn.UNKNOWN
        if meeting[1] != today:
            return SignIn.CLOSED
        invited = conn.scalar(select(func.count()).select_from(council_attendance).where(
            council_attendance.c.meeting_id == meeting_id))
        attempts = conn.scalar(select(func.count()).select_from(council_signin_attempt).where(
            council_signin_attempt.c.meeting_id == meeting_id))
        if attempts >= attempts_limit(invited):
            return SignIn.LIMITED
        row = conn.execute(
            select(council_attendance.c.member_id, council_attendance.c.present)
            .join(council_member, council_member.c.id == council_attendance.c.member_id)
            .where(council_attendance.c.meeting_id == meeting_id,
                   func.lower(council_member.c.email) == email.strip().lower())).first() \
            if email.strip() else None
        moment = now or datetime.now(UTC).replace(tzinfo=None)
        conn.execute(insert(council_signin_attempt).values(
            meeting_id=meeting_id, attempted_at=moment, recognised=row is not None))
        if row is None:
            return SignIn.NOT_INVITED
        if row.present:
            return SignIn.ALREADY
        conn.execute(update(council_attendance).where(
            council_attendance.c.meeting_id == meeting_id,
            council_attendance.c.member_id == row.member_id).values(
                present=True, signed_in_at=moment))
        return SignIn.SIGNED


UNUSUAL = 5  # unrecognised addresses from which staff are told to check the room


@dataclass(frozen=True)
class SignInActivity:
    """What staff see of a meeting's sign-in by phone."""

    signed: list[tuple[str, datetime]]  # member, when (UTC), in order
    unrecognised: int
    attempts: int
    limit: int

    @property
    def closed(self) -> bool:
        return self.attempts >= self.limit

    @property
    def unusual(self) -> bool:
        """Many unrecognised addresses: someone may be trying addresses with the code."""
        return self.unrecognised >= UNUSUAL


def signin_activity(meeting_id: int, engine=None) -> SignInActivity:
    """Sign-ins by phone of ``meeting_id``, the attempts and the unrecognised ones."""
    require(Permission.COUNCIL, engine=engine)
    attempt = council_signin_attempt
    with read_connection(engine) as conn:
        signed = conn.execute(
            select(council_member.c.name, council_attendance.c.signed_in_at)
            .join(council_member, council_member.c.id == council_attendance.c.member_id)
            .where(council_attendance.c.meeting_id == meeting_id,
                   council_attendance.c.signed_in_at.is_not(None))
            .order_by(council_attendance.c.signed_in_at)).all()
        invited = conn.scalar(select(func.count()).select_from(council_attendance).where(
            council_attendance.c.meeting_id == meeting_id))
        attempts, recognised = conn.execute(
            select(func.count(), func.count().filter(attempt.c.recognised))
            .where(attempt.c.meeting_id == meeting_id)).one()
    return SignInActivity([(r.name, r.signed_in_at) for r in signed], attempts - recognised,
                          attempts, attempts_limit(invited))


@dataclass(frozen=True)
class AttendanceStats:
    year: int
    meetings: int
    by_body: tuple[tuple[str, int, float], ...]  # body, meetings, attendance rate %
    by_member: tuple[tuple[str, int, float], ...]  # member, invitations, rate %
    by_commune: tuple[tuple[str, int, float], ...]  # INSEE code, members, rate %
    flagged: tuple[str, ...]  # absent three times in a row
    overall: float | None


def attendance_stats(year: int, engine=None, today: date | None = None) -> AttendanceStats:
    """Rates over the year's meetings; today's and later meetings' unmarked invitations are
    left out (their sign-in is not over)."""
    today = today or local_today()
    with read_connection(engine) as conn:
        rows = conn.execute(
            select(council_meeting.c.id, council_meeting.c.held_on, council_body.c.name,
                   council_member.c.name.label("member"), council_member.c.commune,
                   council_attendance.c.present)
            .join(council_body, council_body.c.id == council_meeting.c.body_id)
            .join(council_attendance, council_attendance.c.meeting_id == council_meeting.c.id)
            .join(council_member, council_member.c.id == council_attendance.c.member_id)
            .where(council_meeting.c.held_on >= date(year, 1, 1),
                   council_meeting.c.held_on < date(year + 1, 1, 1))
            .order_by(council_meeting.c.held_on, council_meeting.c.id)).all()
    rows = [r for r in rows if r.present is not None or r.held_on < today]

    def rate(values: list[bool]) -> float:
        return round(100 * sum(values) / len(values), 1)

    bodies: dict[str, dict[int, list[bool]]] = defaultdict(lambda: defaultdict(list))
    members: dict[str, list[bool]] = defaultdict(list)
    places: dict[str, list[bool]] = defaultdict(list)
    people: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        bodies[row.name][row.id].append(bool(row.present))
        members[row.member].append(bool(row.present))
        if row.commune:
            places[row.commune].append(bool(row.present))
            people[row.commune].add(row.member)
    flagged = tuple(sorted(name for name, seen in members.items()
                           if any(not any(seen[i:i + 3]) for i in range(len(seen) - 2))))
    everything = [bool(r.present) for r in rows]
    return AttendanceStats(
        year, len({r.id for r in rows}),
        tuple((body, len(meetings), rate([p for v in meetings.values() for p in v]))
              for body, meetings in sorted(bodies.items())),
        tuple((name, len(seen), rate(seen)) for name, seen in sorted(members.items())),
        tuple((code, len(people[code]), rate(seen)) for code, seen in sorted(places.items())),
        flagged, rate(everything) if everything else None)
