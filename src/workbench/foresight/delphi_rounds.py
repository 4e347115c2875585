"""Delphi rounds in the database: the panel, the open round, answers and their feedback.

Panelists answer through a personal link (token stored hashed) so that round r + 1 can show
each one their own previous answer; nobody sees another panelist's answers, only the
panel's statistics. A round's answers are stored together, once (resending replaces them).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update

from workbench.errors import WorkbenchError
from workbench.foresight.delphi import DelphiStudy, ItemStats, item_stats
from workbench.i18n import _
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import upsert
from workbench.storage.invitations import hash_token
from workbench.storage.schema import delphi_answer, delphi_panelist, delphi_round

__all__ = ["create_panel", "current_round", "find_panelist", "open_round", "own_answers",
           "round_stats", "submit_round"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create_panel(study: str, count: int, engine=None) -> list[str]:
    """``count`` personal links' tokens (shown once, stored hashed)."""
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    with write_transaction(engine) as conn:
        conn.execute(insert(delphi_panelist), [
            {"study": study, "token_sha256": hash_token(t), "created_at": _now()}
            for t in tokens])
    return tokens


def find_panelist(study: str, token: str | None, engine=None) -> int | None:
    if not token:
        return None
    with read_connection(engine) as conn:
        return conn.scalar(select(delphi_panelist.c.id).where(
            delphi_panelist.c.study == study,
            delphi_panelist.c.token_sha256 == hash_token(token)))


def open_round(study: DelphiStudy, number: int, engine=None) -> None:
    """Open round ``number`` (closing the others); rounds go up one at a time."""
    if not 1 <= number <= study.rules.max_rounds:
        raise WorkbenchError(_("Round {n} is outside this study's {max} rounds.").format(
            n=number, max=study.rules.max_rounds))
    with write_transaction(engine) as conn:
        last = conn.scalar(select(func.max(delphi_round.c.round)).where(
            delphi_round.c.study == study.slug)) or 0
        if number > last + 1:
            raise WorkbenchError(_("Open round {n} first.").format(n=last + 1))
        conn.execute(update(delphi_round).where(delphi_round.c.study == study.slug)
                     .values(status="closed"))
        upsert(conn, delphi_round, {"study": study.slug, "round": number, "status": "open",
                                    "opened_at": _now()},
               keys=["study", "round"], update=["status"])


def current_round(study: str, engine=None) -> int | None:
    with read_connection(engine) as conn:
        return conn.scalar(select(delphi_round.c.round).where(
            delphi_round.c.study == study, delphi_round.c.status == "open"))


def round_stats(study: DelphiStudy, number: int, engine=None) -> dict[str, ItemStats | None]:
    with read_connection(engine) as conn:
        rows = conn.execute(select(delphi_answer.c.item_id, delphi_answer.c.value).where(
            delphi_answer.c.study == study.slug, delphi_answer.c.round == number)).all()
    values: dict[str, list[int]] = {}
    for row in rows:
        values.setdefault(row.item_id, []).append(row.value)
    return {item: item_stats(values.get(item, []), study.scale, study.rules.top_band)
            for item, _statement in study.items}


def own_answers(study: str, number: int, panelist: int, engine=None) -> dict[str, int]:
    with read_connection(engine) as conn:
        return {r.item_id: r.value for r in conn.execute(
            select(delphi_answer.c.item_id, delphi_answer.c.value).where(
                delphi_answer.c.study == study, delphi_answer.c.round == number,
                delphi_answer.c.panelist_id == panelist))}


def submit_round(study: DelphiStudy, number: int, panelist: int,
                 answers: dict[str, tuple[int | None, str]], engine=None) -> dict[str, str]:
    """Store a panelist's answers to the round; returns French errors per item (nothing is
    stored if any)."""
    previous = round_stats(study, number - 1, engine) if number > 1 else {}
    errors: dict[str, str] = {}
    low, high = study.scale
    for item, _statement in study.items:
        value, justification = answers.get(item, (None, ""))
        if value is None:
            errors[item] = _("Please give a score.")
        elif not low <= value <= high:
            errors[item] = _("The score goes from {low} to {high}.").format(low=low, high=high)
        else:
            stats = previous.get(item)
            if stats and not stats.q1 <= value <= stats.q3 and not justification.strip():
                errors[item] = _("Your score is outside the panel's interquartile range: "
                                 "please explain it in a few words.")
    if errors:
        return errors
    with write_transaction(engine) as conn:
        open_now = conn.scalar(select(delphi_round.c.round).where(
            delphi_round.c.study == study.slug, delphi_round.c.status == "open"))
        if open_now != number:
            return {"_": _("This round is closed.")}
        for item, _s in study.items:  # upserts: the same link sent twice at once is fine
            upsert(conn, delphi_answer, {
                "study": study.slug, "round": number, "panelist_id": panelist,
                "item_id": item, "value": answers[item][0],
                "justification": answers[item][1].strip(), "answered_at": _now()},
                keys=["study", "round", "panelist_id", "item_id"])
    return {}
