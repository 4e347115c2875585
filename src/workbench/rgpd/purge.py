"""Retention enforced: what is past its date is erased or anonymised (``workbench rgpd
purge``; a dry run unless ``apply``).

One rule per data category the database keeps with a date to go by (the catalogue's
retention, ``data/rgpd/traitements.yaml``, says the same in words). Anonymised records keep
what statistics need (council members: commune, sex, age band, attendance). The purge runs in
one transaction and writes one audit entry with its counts, never the data erased.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, delete, select, update

from workbench.council.registry import anonymise_members, expired_members
from workbench.dates import months_after
from workbench.i18n import _
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    form_version,
    invitation,
    pb_edition,
    pb_project,
    pb_proposer,
    pb_voter_roll,
    staff_password_link,
    staff_session,
)

__all__ = ["RULES", "Purged", "purge"]

SESSIONS_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Rule:
    processing: str
    category: str
    find: Callable[[Connection, date], list]  # the rows past their date
    act: Callable[[Connection, list], None]  # erase or anonymise them

    @property
    def description(self) -> str:
        return {
            "invitations/destinataire": _("invitations' recipients erased"),
            "conseil-registre/identite": _("council members anonymised"),
            "comptes-personnel/sessions": _("staff sessions and password links deleted"),
            "budget-participatif/porteurs": _("proposers' contacts deleted"),
            "budget-participatif/liste-votants": _("voter roll entries deleted"),
        }[f"{self.processing}/{self.category}"]


@dataclass(frozen=True)
class Purged:
    processing: str
    category: str
    description: str
    count: int


def _latest_specs(conn: Connection) -> dict[int, dict]:
    """Each form's latest published spec, by form id."""
    import json

    latest: dict[int, tuple[int, str]] = {}
    for form_id, version, spec in conn.execute(
            select(form_version.c.form_id, form_version.c.version, form_version.c.spec_json)):
        if form_id not in latest or version > latest[form_id][0]:
            latest[form_id] = (version, spec)
    return {form_id: json.loads(spec) for form_id, (_v, spec) in latest.items()}


def _closed_on(spec: dict) -> date | None:
    """The day the form closed (its ``closes_at``), if it has one."""
    value = str(spec.get("closes_at") or "")
    return date.fromisoformat(value[:10]) if value else None


def _recipients(conn: Connection, today: date) -> list[int]:
    """Anonymous forms: once the invitation is used or the form closed. Identified forms
    (the recipient is who answered): 2 years after the form closed, with the answers' link."""
    specs = _latest_specs(conn)
    found = []
    for row in conn.execute(select(invitation.c.id, invitation.c.form_id, invitation.c.used_on)
                            .where(invitation.c.recipient.is_not(None))):
        spec = specs.get(row.form_id, {})
        closed = _closed_on(spec)
        if spec.get("anonymity", "anonymous") == "identified":
            if closed is not None and months_after(closed, 24) < today:
                found.append(row.id)
        elif row.used_on is not None or (closed is not None and closed < today):
            found.append(row.id)
    return found


def _erase_recipients(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(update(invitation).where(invitation.c.id.in_(ids)).values(recipient=None))


def _sessions(conn: Connection, today: date) -> list[tuple[str, int]]:
    limit = datetime.combine(today, time()) - SESSIONS_KEPT
    sessions = conn.scalars(select(staff_session.c.id).where(
        (staff_session.c.ended_at < limit) | (staff_session.c.last_seen_at < limit))).all()
    links = conn.scalars(select(staff_password_link.c.id).where(
        (staff_password_link.c.used_at < limit) | (staff_password_link.c.expires_at < limit)
    )).all()
    return [("session", i) for i in sessions] + [("link", i) for i in links]


def _delete_sessions(conn: Connection, found: list[tuple[str, int]]) -> None:
    for kind, table in (("session", staff_session), ("link", staff_password_link)):
        ids = [i for k, i in found if k == kind]
        if ids:
            conn.execute(delete(table).where(table.c.id.in_(ids)))


def _editions_closed(conn: Connection, today: date, months: int) -> list[int]:
    return [row.id for row in conn.execute(select(pb_edition.c.id, pb_edition.c.vote_close)
                                           .where(pb_edition.c.vote_close.is_not(None)))
            if months_after(row.vote_close, months) < today]


def _proposers(conn: Connection, today: date) -> list[int]:
    editions = _editions_closed(conn, today, 12)
    return list(conn.scalars(select(pb_proposer.c.project_id).join(
        pb_project, pb_project.c.id == pb_proposer.c.project_id).where(
        pb_project.c.edition_id.in_(editions)))) if editions else []


def _voters(conn: Connection, today: date) -> list[int]:
    editions = _editions_closed(conn, today, 2)
    return list(conn.scalars(select(pb_voter_roll.c.id).where(
        pb_voter_roll.c.edition_id.in_(editions)))) if editions else []


def _deleting(table, column) -> Callable[[Connection, list], None]:
    def act(conn: Connection, ids: list) -> None:
        if ids:
            conn.execute(delete(table).where(column.in_(ids)))
    return act


RULES = (
    Rule("invitations", "destinataire", _recipients, _erase_recipients),
    Rule("conseil-registre", "identite", expired_members, anonymise_members),
    Rule("comptes-personnel", "sessions", _sessions, _delete_sessions),
    Rule("budget-participatif", "porteurs", _proposers,
         _deleting(pb_proposer, pb_proposer.c.project_id)),
    Rule("budget-participatif", "liste-votants", _voters,
         _deleting(pb_voter_roll, pb_voter_roll.c.id)),
)


def purge(today: date | None = None, apply: bool = False, engine=None) -> list[Purged]:
    """What is past its retention, per rule; erased or anonymised only with ``apply`` (one
    transaction, one audit entry with the counts)."""
    require(Permission.PERSONAL_DATA, engine=engine)
    today = today or date.today()
    if not apply:
        with read_connection(engine) as conn:
            return [Purged(r.processing, r.category, r.description, len(r.find(conn, today)))
                    for r in RULES]
    with write_transaction(engine) as conn:
        done = []
        for rule in RULES:
            found = rule.find(conn, today)
            rule.act(conn, found)
            done.append(Purged(rule.processing, rule.category, rule.description, len(found)))
        counts = {f"{p.processing}/{p.category}": p.count for p in done}
        audit.record(conn, "rgpd.purge", "rgpd", today.isoformat(), _(
            "Retention purge of {day}: {n} records erased or anonymised.").format(
                day=today.isoformat(), n=sum(counts.values())), after=counts)
    return done
