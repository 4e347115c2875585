"""Avis and their recommendations in the database; the ledger of their follow-up.

An avis is entered from a YAML file (``slug``, ``title``, ``kind`` saisine/auto-saisine,
``adopted_on``, ``text``, ``recommendations``: ``text``, ``addressee``, optional ``due_on``);
official answers and milestones are recorded as they come.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, update

from workbench.council.follow_up import POSITIONS, STATUSES, LedgerEntry
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import avis_milestone, avis_recommendation, council_avis
from workbench.yamlfile import load_yaml_mapping

__all__ = ["add_milestone", "import_avis", "load_ledger", "record_answer"]


def _day(value: object, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise WorkbenchError(_("{what}: '{value}' is not a date (YYYY-MM-DD).").format(
            what=what, value=value)) from None


def import_avis(path: Path, engine=None) -> tuple[str, int]:
    """Store the avis of ``path`` with its recommendations; (slug, recommendations)."""
    data = load_yaml_mapping(path)
    for key in ("slug", "title", "kind", "adopted_on", "recommendations"):
        if not data.get(key):
            raise WorkbenchError(_("{file}: '{key}' is required.").format(file=path.name,
                                                                         key=key))
    if data["kind"] not in ("saisine", "auto-saisine"):
        raise WorkbenchError(_("{file}: 'kind' is saisine or auto-saisine.").format(
            file=path.name))
    adopted = _day(data["adopted_on"], f"{path.name}: adopted_on")
    recommendations = []
    for n, item in enumerate(data["recommendations"], start=1):
        if not isinstance(item, dict) or not item.get("text") or not item.get("addressee"):
            raise WorkbenchError(_("{file}: recommendation {n} needs 'text' and "
                                   "'addressee'.").format(file=path.name, n=n))
        recommendations.append({"text": str(item["text"]), "addressee": str(item["addressee"]),
                                "due_on": _day(item["due_on"], f"{path.name}: due_on")
                                if item.get("due_on") else None})
    with write_transaction(engine) as conn:
        if conn.scalar(select(council_avis.c.id).where(council_avis.c.slug == data["slug"])):
            raise WorkbenchError(_("The avis '{slug}' is already recorded.").format(
                slug=data["slug"]))
        avis_id = conn.scalar(insert(council_avis).values(
            slug=data["slug"], title=data["title"], kind=data["kind"], adopted_on=adopted,
            text=str(data.get("text") or "")).returning(council_avis.c.id))
        conn.execute(insert(avis_recommendation),
                     [{"avis_id": avis_id, **r} for r in recommendations])
    return data["slug"], len(recommendations)


def _existing(conn, recommendation_id: int) -> None:
    if not conn.scalar(select(avis_recommendation.c.id).where(
            avis_recommendation.c.id == recommendation_id)):
        raise WorkbenchError(_("No recommendation no. {id}.").format(id=recommendation_id))


def record_answer(recommendation_id: int, on: date, position: str, text: str,
                  engine=None) -> None:
    if position not in POSITIONS:
        raise WorkbenchError(_("The position is one of: {values}.").format(
            values=", ".join(POSITIONS)))
    with write_transaction(engine) as conn:
        _existing(conn, recommendation_id)
        conn.execute(update(avis_recommendation).where(
            avis_recommendation.c.id == recommendation_id).values(
            answered_on=on, position=position, answer=text))


def add_milestone(recommendation_id: int, on: date, status: str, evidence: str = "",
                  engine=None) -> None:
    if status not in STATUSES:
        raise WorkbenchError(_("The status is one of: {values}.").format(
            values=", ".join(STATUSES)))
    with write_transaction(engine) as conn:
        _existing(conn, recommendation_id)
        conn.execute(insert(avis_milestone).values(
            recommendation_id=recommendation_id, on_date=on, status=status,
            evidence=evidence))


def load_ledger(engine=None) -> list[LedgerEntry]:
    with read_connection(engine) as conn:
        milestones: dict[int, list[tuple[date, str]]] = {}
        for row in conn.execute(select(avis_milestone)):
            milestones.setdefault(row.recommendation_id, []).append((row.on_date, row.status))
        rows = conn.execute(select(avis_recommendation, council_avis.c.slug,
                                   council_avis.c.adopted_on)
                            .join(council_avis, council_avis.c.id == avis_recommendation.c.avis_id)
                            .order_by(avis_recommendation.c.id)).all()
    return [LedgerEntry(r.id, r.slug, r.text, r.addressee, r.adopted_on, r.due_on,
                        r.answered_on, r.position, tuple(sorted(milestones.get(r.id, []))))
            for r in rows]
