"""Workshop sessions: created from a published questionnaire, opened, paced, frozen, closed."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from workbench.errors import WorkbenchError
from workbench.forms.access import AccessDenied
from workbench.i18n import _
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import get_engine, read_connection, write_transaction
from workbench.storage.forms import latest_version
from workbench.storage.workshops import (
    SessionState,
    find_session,
    insert_session,
    release_question,
    set_session,
    withdraw_question,
)

__all__ = ["SessionNotFound", "close_session", "create_session", "freeze_session",
           "get_session", "new_session_code", "open_session", "release", "withdraw"]

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read aloud


class SessionNotFound(WorkbenchError):
    """No session with this code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def message(self) -> str:
        return _("No workshop session with the code {code}.").format(code=self.code)


def new_session_code() -> str:
    """A six-character code that can be read aloud and typed on a phone."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create_session(slug: str, title: str, paced: bool = False,
                   engine: Engine | None = None) -> SessionState:
    """A new session (draft) on the latest published version of ``slug``."""
    engine = engine or get_engine()
    require(Permission.SESSIONS, engine=engine)
    with write_transaction(engine) as conn:
        version = latest_version(conn, slug)
        if version is None:
            raise AccessDenied(_("This questionnaire does not exist or is not published."),
                               "unknown")
        code = new_session_code()
        while find_session(conn, code) is not None:
            code = new_session_code()
        title = title.strip() or version.spec["title"]
        session_id = insert_session(conn, code=code, form_version_id=version.id, title=title,
                                    paced=paced, now=_now())
        audit.record(conn, "session.create", "workshop_session", code,
                     _("Session {code} created on '{slug}' ({title}).").format(
                         code=code, slug=slug, title=title),
                     after={"id": session_id, "slug": slug, "version": version.version,
                            "paced": paced})
    return get_session(code, engine)


def get_session(code: str, engine: Engine | None = None) -> SessionState:
    """The session's current state."""
    with read_connection(engine or get_engine()) as conn:
        session = find_session(conn, code)
    if session is None:
        raise SessionNotFound(code)
    return session


def _change(code: str, engine: Engine | None, action, audited=None) -> SessionState:
    """Run ``action(conn, session)`` on the session; ``audited(session)`` gives the audit
    entry's (action, summary, before, after), or None for a change not audited."""
    engine = engine or get_engine()
    require(Permission.SESSIONS, engine=engine)
    with write_transaction(engine) as conn:
        session = find_session(conn, code)
        if session is None:
            raise SessionNotFound(code)
        action(conn, session)
        entry = audited(session) if audited else None
        if entry is not None:
            name, summary, before, after = entry
            audit.record(conn, name, "workshop_session", session.code, summary,
                         before=before, after=after)
    return get_session(code, engine)


def reopen_hours() -> float:
    """How long after closing a session may be reopened (``WORKBENCH_REOPEN_HOURS``, 24)."""
    return float(os.environ.get("WORKBENCH_REOPEN_HOURS", "24") or 24)


def reopen_until(session: SessionState) -> datetime | None:
    """Until when a closed session may be reopened (``WORKBENCH_REOPEN_HOURS`` after it
    closed, 24 by default); None if it is not closed."""
    if session.status != "closed" or session.closed_at is None:
        return None
    return session.closed_at + timedelta(hours=reopen_hours())


def _open(conn, session: SessionState) -> None:
    until = reopen_until(session)
    if until is not None and _now() > until:
        raise WorkbenchError(_(
            "Session {code} closed on {day} at {time}: it can be reopened only within "
            "{hours} hours of closing. Create a new session.").format(
                code=session.code, day=session.closed_at.strftime("%d/%m/%Y"),
                time=session.closed_at.strftime("%H:%M"),
                hours=round(reopen_hours())))
    set_session(conn, session.id, status="open", opened_at=_now(), closed_at=None)


def open_session(code: str, engine: Engine | None = None) -> SessionState:
    """Let participants in; a closed session reopens only within its window."""
    return _change(code, engine, _open, lambda s: (
        "session.reopen" if s.status == "closed" else "session.open",
        (_("Session {code} reopened.") if s.status == "closed"
         else _("Session {code} opened.")).format(code=s.code),
        {"status": s.status}, {"status": "open"}))


def close_session(code: str, engine: Engine | None = None) -> SessionState:
    """Stop taking answers (already stored answers stay)."""
    return _change(code, engine, lambda conn, s: set_session(
        conn, s.id, status="closed", closed_at=_now()),
        lambda s: ("session.close", _("Session {code} closed.").format(code=s.code),
                   {"status": s.status}, {"status": "closed"}))


def freeze_session(code: str, frozen: bool, engine: Engine | None = None) -> SessionState:
    """Stop (or resume) the updates of the projected results, for the discussion."""
    return _change(code, engine, lambda conn, s: set_session(conn, s.id, frozen=frozen),
                   lambda s: None if s.frozen == frozen else (
                       "session.freeze",
                       (_("Results of session {code} frozen.") if frozen
                        else _("Results of session {code} updated again.")).format(code=s.code),
                       {"frozen": s.frozen}, {"frozen": frozen}))


def release(code: str, question_id: str, engine: Engine | None = None) -> SessionState:
    """Show one more question to participants (paced sessions)."""
    return _change(code, engine, lambda conn, s: release_question(conn, s.id, question_id,
                                                                  _now()))


def withdraw(code: str, question_id: str, engine: Engine | None = None) -> SessionState:
    """Hide a released question again."""
    return _change(code, engine, lambda conn, s: withdraw_question(conn, s.id, question_id))
