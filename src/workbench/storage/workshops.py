"""Queries on live workshop sessions: state, releases, presence, answers for the results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update

from workbench.storage.conflicts import insert_new, upsert
from workbench.storage.schema import (
    answer,
    form,
    form_version,
    response,
    session_presence,
    session_release,
    workshop_session,
)

__all__ = ["SessionState", "answer_counts", "count_present", "find_session", "insert_session",
           "list_sessions", "release_question", "session_answers", "session_fingerprint",
           "set_session", "touch_presence", "withdraw_question"]


@dataclass(frozen=True)
class SessionState:
    """A session as participants, the console and the results page see it."""

    id: int
    code: str
    title: str
    slug: str
    form_version_id: int
    spec: dict
    paced: bool
    status: str  # draft | open | closed
    frozen: bool
    released: tuple[str, ...]
    created_at: datetime | None = None
    closed_at: datetime | None = None


def insert_session(conn: Connection, *, code: str, form_version_id: int, title: str,
                   paced: bool, now: datetime) -> int:
    """A new session in draft; call inside a write transaction."""
    return conn.scalar(insert(workshop_session).values(
        code=code, form_version_id=form_version_id, title=title, paced=paced, status="draft",
        frozen=False, created_at=now,
    ).returning(workshop_session.c.id))


def _select_sessions():
    return (
        select(workshop_session, form.c.slug, form_version.c.spec_json)
        .join(form_version, form_version.c.id == workshop_session.c.form_version_id)
        .join(form, form.c.id == form_version.c.form_id)
    )


def _state(conn: Connection, row) -> SessionState:
    released = tuple(conn.scalars(
        select(session_release.c.question_id).where(session_release.c.session_id == row.id)
        .order_by(session_release.c.released_at, session_release.c.question_id)
    ))
    return SessionState(row.id, row.code, row.title, row.slug, row.form_version_id,
                        json.loads(row.spec_json), bool(row.paced), row.status, bool(row.frozen),
                        released, row.created_at, row.closed_at)


def find_session(conn: Connection, code: str) -> SessionState | None:
    """The session with ``code`` (case-insensitive), or None."""
    row = conn.execute(_select_sessions().where(workshop_session.c.code == code.upper())).first()
    return _state(conn, row) if row else None


def list_sessions(conn: Connection, include_closed: bool = False) -> list[SessionState]:
    """Sessions, newest first."""
    query = _select_sessions().order_by(workshop_session.c.id.desc())
    if not include_closed:
        query = query.where(workshop_session.c.status != "closed")
    return [_state(conn, row) for row in conn.execute(query)]


def set_session(conn: Connection, session_id: int, **values) -> None:
    """Change a session's status, frozen flag or dates."""
    conn.execute(update(workshop_session).where(workshop_session.c.id == session_id)
                 .values(**values))


def release_question(conn: Connection, session_id: int, question_id: str, now: datetime) -> None:
    """Show a question to participants (idempotent)."""
    insert_new(conn, session_release, {"session_id": session_id, "question_id": question_id,
                                       "released_at": now}, keys=["session_id", "question_id"])


def withdraw_question(conn: Connection, session_id: int, question_id: str) -> None:
    """Hide a released question again."""
    conn.execute(delete(session_release).where(session_release.c.session_id == session_id,
                                               session_release.c.question_id == question_id))


def touch_presence(conn: Connection, session_id: int, presence_id: str, now: datetime) -> None:
    """Record that a participant page is open."""
    upsert(conn, session_presence, {"session_id": session_id, "presence_id": presence_id,
                                    "last_seen": now}, keys=["session_id", "presence_id"])


def count_present(conn: Connection, session_id: int, now: datetime,
                  window: timedelta = timedelta(seconds=45)) -> int:
    """Participant pages seen within ``window``."""
    return conn.scalar(select(func.count()).select_from(session_presence).where(
        session_presence.c.session_id == session_id,
        session_presence.c.last_seen >= now - window)) or 0


def session_fingerprint(conn: Connection, session_id: int) -> tuple[int, int | None]:
    """How many responses the session has and the last one's id: changes on every answer."""
    count, last = conn.execute(select(func.count(), func.max(response.c.id))
                               .where(response.c.session_id == session_id)).one()
    return count, last


def answer_counts(conn: Connection, session_id: int) -> dict[str, int]:
    """Answers per question in the session (one query)."""
    rows = conn.execute(
        select(answer.c.question_id, func.count())
        .join(response, response.c.id == answer.c.response_id)
        .where(response.c.session_id == session_id).group_by(answer.c.question_id))
    return {question_id: n for question_id, n in rows}


def session_answers(conn: Connection, session_id: int) -> dict[str, list]:
    """Every answer of the session, by question, oldest first (one query for all questions)."""
    rows = conn.execute(
        select(answer.c.question_id, answer.c.value_json)
        .join(response, response.c.id == answer.c.response_id)
        .where(response.c.session_id == session_id)
        .order_by(response.c.submitted_at, response.c.id))
    out: dict[str, list] = {}
    for question_id, value in rows:
        out.setdefault(question_id, []).append(json.loads(value))
    return out
