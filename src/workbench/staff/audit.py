"""The audit trail: who did what, when, to which object, with the values before and after.

``record`` writes in the caller's transaction, so an entry exists exactly when its change
does (a failed change rolls its entry back). ``audit_event`` is append-only: no code path
updates it and database triggers refuse any update (migration 0017); the only deletion is
the retention purge of entries past 5 years, and the database refuses to delete a younger one
(migration 0018).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from workbench.i18n import _
from workbench.staff.acting import Actor, current
from workbench.storage import read_connection
from workbench.storage.schema import audit_event

__all__ = ["Event", "events", "export_rows", "record"]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def _json(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=_plain)


def record(conn, action: str, object_type: str, object_id: object, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           actor: Actor | None = None) -> None:
    """One entry, in ``conn``'s transaction (see module doc). ``summary`` is French."""
    actor = actor or current()
    conn.execute(audit_event.insert().values(
        at=datetime.now(UTC).replace(tzinfo=None), account_id=actor.account_id,
        actor=actor.label or "?", action=action, object_type=object_type,
        object_id=str(object_id)[:120], summary=summary, before=_json(before),
        after=_json(after)))


@dataclass(frozen=True)
class Event:
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    summary: str
    before: str | None
    after: str | None


def events(since: date | None = None, until: date | None = None, actor: str = "",
           action: str = "", limit: int | None = 500, engine=None) -> list[Event]:
    """Entries, newest first, filtered by day range, actor (part of) and action (prefix)."""
    query = select(audit_event).order_by(audit_event.c.id.desc())
    if since:
        query = query.where(audit_event.c.at >= datetime.combine(since, time()))
    if until:
        query = query.where(audit_event.c.at < datetime.combine(until, time()) + timedelta(1))
    if actor:
        query = query.where(audit_event.c.actor.contains(actor.strip().lower(),
                                                         autoescape=True))
    if action:
        query = query.where(audit_event.c.action.startswith(action, autoescape=True))
    if limit:
        query = query.limit(limit)
    with read_connection(engine) as conn:
        return [Event(r.id, r.at, r.actor, r.action, r.object_type, r.object_id, r.summary,
                      r.before, r.after) for r in conn.execute(query)]


def export_rows(entries: Iterable[Event]) -> Iterable[list[object]]:
    """The rows of the audit export (French headers), for ``workbench.spreadsheets``."""
    yield [_("Date and time (UTC)"), _("Who"), _("Action"), _("Object"), _("Identifier"),
           _("Summary"), _("Before"), _("After")]
    for e in entries:
        yield [e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action, e.object_type,
               e.object_id, e.summary, e.before or "", e.after or ""]
