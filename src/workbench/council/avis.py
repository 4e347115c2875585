"""Avis and their recommendations in the database; the ledger of their follow-up.

An avis is entered from a YAML file (``slug``, ``title``, ``kind`` saisine/auto-saisine,
``adopted_on``, ``text``, ``recommendations``: ``text``, ``addressee``, optional ``due_on``);
official answers and milestones are recorded as they come.

Recording needs ``Permission.COUNCIL`` and is written to the audit trail.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, update

from workbench.cells import day_value, text_problem
from workbench.council.follow_up import POSITIONS, STATUSES, LedgerEntry
from workbench.errors import WorkbenchError
from workbench.i18n import _, ngettext
from workbench.slugs import is_slug
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import insert_new
from workbench.storage.schema import avis_milestone, avis_recommendation, council_avis
from workbench.yamlfile import load_yaml_mapping

__all__ = ["add_milestone", "import_avis", "load_ledger", "record_answer"]


def _text(value: object, what: str) -> str:
    """A text field of the file, checked by the cell rules (no NUL byte, bounded)."""
    text = str(value)
    problem = text_problem(text)
    if problem:
        raise WorkbenchError(_("{what}: {problem}").format(what=what, problem=problem))
    return text


def import_avis(path: Path, engine=None) -> tuple[str, int]:
    """Store the avis of ``path`` with its recommendations; (slug, recommendations)."""
    require(Permission.COUNCIL, engine=engine)
    data = load_yaml_mapping(path)
    for key in ("slug", "title", "kind", "adopted_on", "recommendations"):
        if not data.get(key):
            raise WorkbenchError(_("{file}: '{key}' is required.").format(file=path.name,
                                                                         key=key))
    if data["kind"] not in ("saisine", "auto-saisine"):
        raise WorkbenchError(_("{file}: 'kind' is saisine or auto-saisine.").format(
            file=path.name))
    if not isinstance(data["slug"], str) or not is_slug(data["slug"]):
        raise WorkbenchError(_("{file}: 'slug' is an identifier (lower-case letters, digits "
                               "and dashes).").format(file=path.name))
    if not isinstance(data["recommendations"], list):
        raise WorkbenchError(_("{file}: 'recommendations' is a list.").format(file=path.name))
    adopted = day_value(data["adopted_on"], f"{path.name}: adopted_on")
    title = _text(data["title"], f"{path.name}: title")
    body = _text(data.get("text") or "", f"{path.name}: text")
    recommendations = []
    for n, item in enumerate(data["recommendations"], start=1):
        if not isinstance(item, dict) or not item.get("text") or not item.get("addressee"):
            raise WorkbenchError(_("{file}: recommendation {n} needs 'text' and "
                                   "'addressee'.").format(file=path.name, n=n))
        recommendations.append({"text": _text(item["text"], f"{path.name}: text"),
                                "addressee": _text(item["addressee"], f"{path.name}: addressee"),
                                "due_on": day_value(item["due_on"], f"{path.name}: due_on")
                                if item.get("due_on") else None})
    with write_transaction(engine) as conn:
        created = insert_new(conn, council_avis, {
            "slug": data["slug"], "title": title, "kind": data["kind"],
            "adopted_on": adopted, "text": body}, keys=["slug"])
        if created is None:
            raise WorkbenchError(_("The avis '{slug}' is already recorded.").format(
                slug=data["slug"]))
        avis_id = created.id
        conn.execute(insert(avis_recommendation),
                     [{"avis_id": avis_id, **r} for r in recommendations])
        audit.record(conn, "council.avis_import", "council_avis", data["slug"],
                     ngettext("Avis '{slug}' recorded with {n} recommendation.",
                              "Avis '{slug}' recorded with {n} recommendations.",
                              len(recommendations)).format(slug=data["slug"],
                                                           n=len(recommendations)),
                     before={"status": None},
                     after={"status": "recorded", "kind": data["kind"], "adopted_on": adopted,
                            "recommendations": len(recommendations)})
    return data["slug"], len(recommendations)


def _existing(conn, recommendation_id: int):
    """The recommendation's row (French error if there is none)."""
    row = conn.execute(select(avis_recommendation).where(
        avis_recommendation.c.id == recommendation_id)).first()
    if row is None:
        raise WorkbenchError(_("No recommendation no. {id}.").format(id=recommendation_id))
    return row


def record_answer(recommendation_id: int, on: date, position: str, text: str,
                  engine=None) -> None:
    require(Permission.COUNCIL, engine=engine)
    if position not in POSITIONS:
        raise WorkbenchError(_("The position is one of: {values}.").format(
            values=", ".join(POSITIONS)))
    with write_transaction(engine) as conn:
        old = _existing(conn, recommendation_id)
        conn.execute(update(avis_recommendation).where(
            avis_recommendation.c.id == recommendation_id).values(
            answered_on=on, position=position, answer=text))
        audit.record(conn, "council.avis_answer", "avis_recommendation", recommendation_id,
                     _("Official answer to recommendation no. {id}: {position}.").format(
                         id=recommendation_id, position=position),
                     before={"position": old.position, "answered_on": old.answered_on},
                     after={"position": position, "answered_on": on})


def add_milestone(recommendation_id: int, on: date, status: str, evidence: str = "",
                  engine=None) -> None:
    require(Permission.COUNCIL, engine=engine)
    if status not in STATUSES:
        raise WorkbenchError(_("The status is one of: {values}.").format(
            values=", ".join(STATUSES)))
    with write_transaction(engine) as conn:
        _existing(conn, recommendation_id)
        last = conn.execute(select(avis_milestone.c.status).where(
            avis_milestone.c.recommendation_id == recommendation_id).order_by(
            avis_milestone.c.on_date.desc(), avis_milestone.c.id.desc()).limit(1)).scalar()
        conn.execute(insert(avis_milestone).values(
            recommendation_id=recommendation_id, on_date=on, status=status,
            evidence=evidence))
        audit.record(conn, "council.avis_milestone", "avis_recommendation", recommendation_id,
                     _("Milestone of recommendation no. {id}: {status} ({date}).").format(
                         id=recommendation_id, status=status, date=on.isoformat()),
                     before={"status": last}, after={"status": status, "on": on})


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
