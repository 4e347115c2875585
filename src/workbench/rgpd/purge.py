"""Retention enforced: what is past its date is erased or anonymised (``workbench rgpd
purge``; a dry run unless ``apply``).

One rule per data category the database keeps with a date to go by (the catalogue's
retention, ``data/rgpd/traitements.yaml``, says the same in words). Anonymised records keep
what statistics need (council members: commune, sex, age band, attendance). The purge runs in
one transaction and writes one audit entry with its counts, never the data erased.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, delete, func, select, update

from workbench.council.registry import anonymise_members, expired_members
from workbench.dates import months_after
from workbench.i18n import _
from workbench.rgpd import consent
from workbench.staff import audit
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    answer,
    audit_event,
    council_draw,
    delphi_answer,
    form_version,
    invitation,
    pb_edition,
    pb_project,
    pb_proposer,
    pb_voter_roll,
    response,
    response_identity,
    staff_account,
    staff_password_link,
    staff_session,
)

__all__ = ["RULES", "Purged", "purge"]

SESSIONS_KEPT = timedelta(days=30)
ANSWERS_MONTHS = 24  # free text and identities, after the form closed
DRAW_MONTHS = 12  # volunteers' data, after the next draw
DELPHI_MONTHS = 24  # justifications, after the study's last answer
ACCOUNT_MONTHS = 6  # a disabled staff account
AUDIT_YEARS = 5
FREE_TEXT = ("short_text", "long_text")
REMOVED_ACCOUNT = "compte-{id}@supprime.invalid"


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
            "questionnaires/reponses": _("free-text answers erased"),
            "questionnaires/identite-invitation": _("links between answers and invitations "
                                                    "deleted"),
            "conseil-tirage/volontaires": _("draws' volunteers data erased"),
            "prospective/justifications": _("Delphi justifications erased"),
            "comptes-personnel/compte": _("disabled staff accounts anonymised"),
            "comptes-personnel/journal": _("audit trail entries deleted"),
            "recontact/contact": _("consents to be recontacted expired"),
            "preuves-consentement/preuve": _("proofs of ended consents deleted"),
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


def _forms_closed(conn: Connection, today: date, months: int) -> set[int]:
    """Forms closed more than ``months`` ago: their ``closes_at``, or, lacking one, their
    last answer (a form left open without answers for that long is over)."""
    last = dict(conn.execute(select(form_version.c.form_id, func.max(response.c.submitted_at))
                             .join(response, response.c.form_version_id == form_version.c.id)
                             .group_by(form_version.c.form_id)).all())
    done = set()
    for form_id, spec in _latest_specs(conn).items():
        closed = _closed_on(spec) or (last[form_id].date() if form_id in last else None)
        if closed is not None and months_after(closed, months) < today:
            done.add(form_id)
    return done


def _answers_of(forms: set[int]):
    return select(response.c.id).join(form_version, form_version.c.id == response.c.form_version_id
                                      ).where(form_version.c.form_id.in_(forms))


def _free_text(conn: Connection, today: date) -> list[tuple[int, str, str]]:
    """Free-text answers (text questions, "other" of multiple choices) of forms closed for
    2 years: (response, question, what to do). Each answer's question type is read from the
    version it answered (a later version may have dropped or retyped the question)."""
    import json

    forms = _forms_closed(conn, today, ANSWERS_MONTHS)
    if not forms:
        return []
    kinds = {version: {q["id"]: q["type"] for q in _questions(json.loads(spec))}
             for version, spec in conn.execute(
                 select(form_version.c.id, form_version.c.spec_json)
                 .where(form_version.c.form_id.in_(forms)))}
    found = []
    for row in conn.execute(select(answer.c.response_id, answer.c.question_id,
                                   answer.c.value_json, response.c.form_version_id)
                            .join(response, response.c.id == answer.c.response_id)
                            .join(form_version, form_version.c.id == response.c.form_version_id)
                            .where(form_version.c.form_id.in_(forms))):
        kind = kinds[row.form_version_id].get(row.question_id)
        if kind in FREE_TEXT:
            found.append((row.response_id, row.question_id, "delete"))
        elif kind == "multiple_choice":
            value = json.loads(row.value_json)
            if isinstance(value, dict) and value.get("other"):
                found.append((row.response_id, row.question_id, "other"))
    return found


def _questions(spec: dict) -> list[dict]:
    """Every question of a spec, in pages or not."""
    pages = spec.get("pages") or [spec]
    return [q for page in pages for q in page.get("questions", [])]


def _erase_free_text(conn: Connection, found: list[tuple[int, str, str]]) -> None:
    import json

    for response_id, question_id, what in found:
        key = (answer.c.response_id == response_id) & (answer.c.question_id == question_id)
        if what == "delete":
            conn.execute(delete(answer).where(key))
            continue
        value = json.loads(conn.scalar(select(answer.c.value_json).where(key)))
        conn.execute(update(answer).where(key).values(
            value_json=json.dumps(value | {"other": None}, ensure_ascii=False)))


def _identities(conn: Connection, today: date) -> list[int]:
    forms = _forms_closed(conn, today, ANSWERS_MONTHS)
    return list(conn.scalars(select(response_identity.c.response_id).where(
        response_identity.c.response_id.in_(_answers_of(forms))))) if forms else []


def _draws(conn: Connection, today: date) -> list[int]:
    """Draws followed by another one more than a year ago, whose data are not yet erased."""
    draws = conn.execute(select(council_draw.c.id, council_draw.c.drawn_at,
                                council_draw.c.panel_json).order_by(council_draw.c.drawn_at,
                                                                    council_draw.c.id)).all()
    return [draw.id for draw, later in itertools.pairwise(draws)
            if months_after(later.drawn_at.date(), DRAW_MONTHS) < today
            and draw.panel_json != "[]"]


def _erase_draws(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(update(council_draw).where(council_draw.c.id.in_(ids)).values(
            panel_json="[]", probabilities_json="{}", audit_json=None))


def _justifications(conn: Connection, today: date) -> list[tuple]:
    """Justifications of studies whose last answer is 2 years old: their answers' keys."""
    done = [study for study, last in conn.execute(
        select(delphi_answer.c.study, func.max(delphi_answer.c.answered_at))
        .group_by(delphi_answer.c.study)) if months_after(last.date(), DELPHI_MONTHS) < today]
    return [tuple(row) for row in conn.execute(select(
        delphi_answer.c.study, delphi_answer.c.round, delphi_answer.c.panelist_id,
        delphi_answer.c.item_id).where(delphi_answer.c.study.in_(done),
                                       delphi_answer.c.justification != ""))] if done else []


def _erase_justifications(conn: Connection, found: list[tuple]) -> None:
    for study in sorted({key[0] for key in found}):
        conn.execute(update(delphi_answer).where(delphi_answer.c.study == study,
                                                 delphi_answer.c.justification != "")
                     .values(justification=""))


def _accounts(conn: Connection, today: date) -> list[int]:
    rows = conn.execute(select(staff_account.c.id, staff_account.c.disabled_at,
                               staff_account.c.email).where(
        staff_account.c.active.is_(False), staff_account.c.disabled_at.is_not(None))).all()
    return [r.id for r in rows if months_after(r.disabled_at.date(), ACCOUNT_MONTHS) < today
            and r.email != REMOVED_ACCOUNT.format(id=r.id)]


def _anonymise_accounts(conn: Connection, ids: list[int]) -> None:
    from workbench.storage.schema import staff_role

    for account in ids:
        conn.execute(update(staff_account).where(staff_account.c.id == account).values(
            email=REMOVED_ACCOUNT.format(id=account), name=_("Removed account"),
            password_hash=None))
    if ids:
        conn.execute(delete(staff_role).where(staff_role.c.account_id.in_(ids)))


def _old_events(conn: Connection, today: date) -> list[int]:
    """Entries past 5 years, counted from today or the real clock, whichever is earlier:
    the database refuses to delete a younger entry (migration 0018)."""
    now = datetime.now(UTC).replace(tzinfo=None)  # the trigger's clock: UTC
    day = min(today, now.date()) - timedelta(days=1)  # a day's margin: local date vs UTC
    limit = datetime.combine(months_after(day, -12 * AUDIT_YEARS), time())
    return list(conn.scalars(select(audit_event.c.id).where(audit_event.c.at < limit)))


def _recipients(conn: Connection, today: date) -> list[int]:
    """Anonymous forms: once the invitation is used or the form closed. Identified forms
    (the recipient is who answered): 2 years after the form closed, with the answers' link."""
    specs = _latest_specs(conn)
    past = _forms_closed(conn, today, ANSWERS_MONTHS)
    found = []
    for row in conn.execute(select(invitation.c.id, invitation.c.form_id, invitation.c.used_on)
                            .where(invitation.c.recipient.is_not(None))):
        spec = specs.get(row.form_id, {})
        closed = _closed_on(spec)
        if spec.get("anonymity", "anonymous") == "identified":
            if row.form_id in past:  # with its answers' link (closed, or last answer)
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
    Rule("questionnaires", "reponses", _free_text, _erase_free_text),
    Rule("questionnaires", "identite-invitation", _identities,
         _deleting(response_identity, response_identity.c.response_id)),
    Rule("conseil-tirage", "volontaires", _draws, _erase_draws),
    Rule("prospective", "justifications", _justifications, _erase_justifications),
    Rule("comptes-personnel", "compte", _accounts, _anonymise_accounts),
    Rule("comptes-personnel", "journal", _old_events, _deleting(audit_event, audit_event.c.id)),
    Rule("recontact", "contact", consent.expired,
         lambda conn, ids: consent.end_consents(conn, ids, consent.Ended.EXPIRED)),
    Rule("preuves-consentement", "preuve", consent.old_proofs, consent.delete_proofs),
)


def purge(today: date | None = None, apply: bool = False, engine=None) -> list[Purged]:
    """What is past its retention, per rule; erased or anonymised only with ``apply`` (one
    transaction, one audit entry with the counts)."""
    require(Permission.PERSONAL_DATA, engine=engine)
    if apply and today is not None and today > date.today():
        raise Refused(_("A purge is applied today at the latest: a later day ({day}) would "
                        "erase data before their time. Try it as a dry run.").format(
                            day=today.isoformat()))
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
