"""Staff sign-in sessions: an opaque random secret in an ``HttpOnly`` cookie, kept hashed in
the database (so sessions survive a restart of the staff server and end everywhere at once).

A session ends at sign-out, after ``WORKBENCH_STAFF_IDLE_MINUTES`` without use (default 30),
after ``WORKBENCH_STAFF_SESSION_HOURS`` in all (default 10), when its account is disabled or
its password changes.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from workbench.staff.acting import Actor
from workbench.staff.roles import Role
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import staff_account, staff_role, staff_session

__all__ = ["digest", "end_account_sessions", "end_session", "idle_minutes", "open_session",
           "session_actor", "session_hours"]

TOUCH_EVERY = timedelta(seconds=60)  # last use is written at most once a minute


def _setting(name: str, default: float, top: float) -> float:
    try:
        value = float(os.environ.get(name, "").strip())
    except ValueError:
        return default
    return value if 0 < value <= top else default


def idle_minutes() -> float:
    """``WORKBENCH_STAFF_IDLE_MINUTES`` (default 30): a session unused that long ends."""
    return _setting("WORKBENCH_STAFF_IDLE_MINUTES", 30.0, 24 * 60)


def session_hours() -> float:
    """``WORKBENCH_STAFF_SESSION_HOURS`` (default 10, a working day): a session's longest life."""
    return _setting("WORKBENCH_STAFF_SESSION_HOURS", 10.0, 24 * 30)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(conn, account_id: int) -> str:
    """A new session of the account (in the caller's transaction); its secret."""
    secret = secrets.token_urlsafe(32)
    moment = _now()
    conn.execute(staff_session.insert().values(token_sha256=digest(secret),
                                               account_id=account_id, created_at=moment,
                                               last_seen_at=moment))
    return secret


def session_actor(secret: str, engine=None, touch: bool = True) -> Actor | None:
    """The person behind a live session, with their roles now; ``None`` if it has ended."""
    if not secret:
        return None
    moment = _now()
    with read_connection(engine) as conn:
        row = conn.execute(
            select(staff_session.c.id, staff_session.c.created_at, staff_session.c.last_seen_at,
                   staff_account.c.id.label("account_id"), staff_account.c.email,
                   staff_account.c.name)
            .join(staff_account, staff_account.c.id == staff_session.c.account_id)
            .where(staff_session.c.token_sha256 == digest(secret),
                   staff_session.c.ended_at.is_(None), staff_account.c.active.is_(True))
        ).first()
        if row is None:
            return None
        roles = frozenset(Role(r) for r in conn.scalars(
            select(staff_role.c.role).where(staff_role.c.account_id == row.account_id))
            if r in Role._value2member_map_)
    if (moment - row.last_seen_at > timedelta(minutes=idle_minutes())
            or moment - row.created_at > timedelta(hours=session_hours())):
        return None
    if touch and moment - row.last_seen_at > TOUCH_EVERY:
        with write_transaction(engine) as conn:
            conn.execute(update(staff_session).where(staff_session.c.id == row.id)
                         .values(last_seen_at=moment))
    return Actor(label=row.email, roles=roles, account_id=row.account_id, name=row.name,
                 session=secret)


def end_session(secret: str, engine=None) -> None:
    """Sign-out: the session ends for the browser and every page's kernel."""
    with write_transaction(engine) as conn:
        conn.execute(update(staff_session).where(staff_session.c.token_sha256 == digest(secret),
                                                 staff_session.c.ended_at.is_(None))
                     .values(ended_at=_now()))


def end_account_sessions(conn, account_id: int) -> None:
    """End every session of an account (disabled, password changed), in ``conn``'s transaction."""
    conn.execute(update(staff_session).where(staff_session.c.account_id == account_id,
                                             staff_session.c.ended_at.is_(None))
                 .values(ended_at=_now()))
