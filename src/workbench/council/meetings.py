"""Bodies, meetings and attendance of the council; attendance statistics.

Attendance rates per member, per body and per commune over a year; members absent from three
meetings in a row (among those they were invited to) are flagged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    council_attendance,
    council_body,
    council_meeting,
    council_member,
)

__all__ = ["BODY_KINDS", "AttendanceStats", "add_meeting", "attendance_stats", "create_body"]

BODY_KINDS = ("plénière", "bureau", "comité de coordination", "groupe de travail")


def create_body(name: str, kind: str, engine=None) -> int:
    if kind not in BODY_KINDS:
        raise WorkbenchError(_("The kind of body is one of: {values}.").format(
            values=", ".join(BODY_KINDS)))
    with write_transaction(engine) as conn:
        existing = conn.scalar(select(council_body.c.id).where(council_body.c.name == name))
        if existing:
            return existing
        return conn.scalar(insert(council_body).values(name=name, kind=kind)
                           .returning(council_body.c.id))


def add_meeting(body_id: int, held_on: date, place: str, agenda: str,
                attendance: dict[int, bool], engine=None) -> int:
    """A meeting and, for each invited member, whether they attended."""
    with write_transaction(engine) as conn:
        meeting = conn.scalar(insert(council_meeting).values(
            body_id=body_id, held_on=held_on, place=place, agenda=agenda)
            .returning(council_meeting.c.id))
        if attendance:
            conn.execute(insert(council_attendance), [
                {"meeting_id": meeting, "member_id": m, "present": p}
                for m, p in attendance.items()])
    return meeting


@dataclass(frozen=True)
class AttendanceStats:
    year: int
    meetings: int
    by_body: tuple[tuple[str, int, float], ...]  # body, meetings, attendance rate %
    by_member: tuple[tuple[str, int, float], ...]  # member, invitations, rate %
    by_commune: tuple[tuple[str, int, float], ...]  # INSEE code, members, rate %
    flagged: tuple[str, ...]  # absent three times in a row
    overall: float | None


def attendance_stats(year: int, engine=None) -> AttendanceStats:
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
