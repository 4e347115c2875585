"""Findings and recommendations that staff record for an evaluation (database).

Writing them needs ``Permission.REPORTS``; reading them is open to the staff pages (the
evaluation page itself asks for ``Permission.READ``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import evaluation_finding, evaluation_recommendation

__all__ = ["PRIORITIES", "Finding", "Recommendation", "add_finding", "add_recommendation",
           "list_findings", "list_recommendations", "remove_finding", "remove_recommendation"]

PRIORITIES = ("haute", "moyenne", "basse")


@dataclass(frozen=True)
class Finding:
    id: int
    question_id: str
    text: str


@dataclass(frozen=True)
class Recommendation:
    id: int
    text: str
    addressee: str
    priority: str


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkbenchError(_("The {what} is empty.").format(what=what))
    if len(value) > 5000:
        raise WorkbenchError(_("The {what} is too long (5,000 characters at most).").format(
            what=what))
    return value


def add_finding(evaluation: str, question_id: str, text: str, engine=None) -> int:
    require(Permission.REPORTS, engine=engine)
    text = _text(text, _("finding"))
    with write_transaction(engine) as conn:
        return conn.scalar(insert(evaluation_finding).values(
            evaluation=evaluation, question_id=question_id, text=text, created_at=_now())
            .returning(evaluation_finding.c.id))


def add_recommendation(evaluation: str, text: str, addressee: str, priority: str,
                       engine=None) -> int:
    require(Permission.REPORTS, engine=engine)
    text = _text(text, _("recommendation"))
    addressee = _text(addressee, _("addressee"))
    if priority not in PRIORITIES:
        raise WorkbenchError(_("Priority must be one of: {values}.").format(
            values=", ".join(PRIORITIES)))
    with write_transaction(engine) as conn:
        return conn.scalar(insert(evaluation_recommendation).values(
            evaluation=evaluation, text=text, addressee=addressee, priority=priority,
            created_at=_now()).returning(evaluation_recommendation.c.id))


def list_findings(evaluation: str, engine=None) -> list[Finding]:
    with read_connection(engine) as conn:
        return [Finding(r.id, r.question_id, r.text) for r in conn.execute(
            select(evaluation_finding).where(evaluation_finding.c.evaluation == evaluation)
            .order_by(evaluation_finding.c.question_id, evaluation_finding.c.id))]


def list_recommendations(evaluation: str, engine=None) -> list[Recommendation]:
    order = {p: i for i, p in enumerate(PRIORITIES)}
    with read_connection(engine) as conn:
        rows = [Recommendation(r.id, r.text, r.addressee, r.priority) for r in conn.execute(
            select(evaluation_recommendation)
            .where(evaluation_recommendation.c.evaluation == evaluation)
            .order_by(evaluation_recommendation.c.id))]
    return sorted(rows, key=lambda r: (order.get(r.priority, 9), r.id))


def remove_finding(finding_id: int, engine=None) -> None:
    require(Permission.REPORTS, engine=engine)
    with write_transaction(engine) as conn:
        conn.execute(delete(evaluation_finding).where(evaluation_finding.c.id == finding_id))


def remove_recommendation(recommendation_id: int, engine=None) -> None:
    require(Permission.REPORTS, engine=engine)
    with write_transaction(engine) as conn:
        conn.execute(delete(evaluation_recommendation).where(
            evaluation_recommendation.c.id == recommendation_id))
