"""The services' feasibility review of the proposed projects.

A project is *recevable* (with the services' cost, which replaces the proposer's), *non
recevable* (a reason category and a public text, both required: the public list shows them),
or *fusionné* with another received project (its votes then go to that one). Every change is
one transaction; a wrong review changes nothing. Reviewing needs the BUDGET permission; each
review is in the audit trail (status and cost before and after).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from workbench.budget.voting import BallotError, find_edition
from workbench.i18n import _
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import pb_project

__all__ = ["REASONS", "STATUSES", "ProjectRow", "ReviewError", "projects", "review_project"]

STATUSES = ("proposee", "recevable", "non_recevable", "fusionnee")
REASONS = ("competence", "cout", "technique", "existant", "interet_general", "autre")


class ReviewError(BallotError):
    """A review refused: the French reason is the message."""


def status_label(status: str) -> str:
    return {"proposee": _("to review"), "recevable": _("received"),
            "non_recevable": _("not received"), "fusionnee": _("merged")}.get(status, status)


def reason_label(reason: str) -> str:
    return {"competence": _("outside the Agglomération's remit"),
            "cout": _("cost beyond the envelope"), "technique": _("not feasible technically"),
            "existant": _("already planned or funded"),
            "interet_general": _("not of general interest"), "autre": _("other")}.get(
        reason, reason)


@dataclass(frozen=True)
class ProjectRow:
    id: int
    code: str
    title: str
    commune: str | None
    proposed_cost: float | None
    cost: float | None
    status: str
    merged_into: int | None
    refusal_category: str | None
    refusal_text: str | None
    service: str | None


def projects(slug: str, engine: Engine | None = None) -> list[ProjectRow]:
    with read_connection(engine) as conn:
        edition = find_edition(conn, slug)
        rows = conn.execute(select(pb_project).where(pb_project.c.edition_id == edition.id)
                            .order_by(pb_project.c.id)).all()
    return [ProjectRow(r.id, r.code, r.title, r.commune, r.proposed_cost, r.cost, r.status,
                       r.merged_into, r.refusal_category, r.refusal_text, r.service)
            for r in rows]


def review_project(slug: str, code: str, status: str, *, cost: float | None = None,
                   reason: str | None = None, text: str = "", merged_into: str | None = None,
                   service: str = "", engine: Engine | None = None) -> None:
    """Record the review of project ``code`` of edition ``slug``."""
    require(Permission.BUDGET, engine=engine)
    if status not in STATUSES:
        raise ReviewError(_("Unknown status “{status}”.").format(status=status))
    values: dict = {"status": status, "service": service.strip() or None,
                    "refusal_category": None, "refusal_text": None, "merged_into": None}
    with write_transaction(engine) as conn:
        edition = find_edition(conn, slug)
        rows = {r.code: r for r in conn.execute(select(pb_project).where(
            pb_project.c.edition_id == edition.id))}
        if code not in rows:
            raise ReviewError(_("No project {code} in this edition.").format(code=code))
        if status == "recevable":
            if cost is None or cost <= 0:
                raise ReviewError(_("Give the services' estimate of the cost (in euros)."))
            values["cost"] = cost
        elif status == "non_recevable":
            if reason not in REASONS or not text.strip():
                raise ReviewError(_("A project not received needs a reason and a public "
                                    "text explaining it."))
            values.update(refusal_category=reason, refusal_text=text.strip())
        elif status == "fusionnee":
            target = rows.get(merged_into or "")
            if target is None or target.code == code or target.status != "recevable":
                raise ReviewError(_("A project is merged into another, received project."))
            values["merged_into"] = target.id
        old = rows[code]
        conn.execute(update(pb_project).where(pb_project.c.id == old.id).values(**values))
        after = {"status": status, "cost": values.get("cost", old.cost)}
        if status == "non_recevable":
            after["reason"] = reason
        elif status == "fusionnee":
            after["merged_into"] = merged_into
        audit.record(conn, "budget.project.review", "pb_project", old.id,
                     _("Participatory budget {edition}, project {code}: {status}.").format(
                         edition=slug, code=code, status=status_label(status)),
                     before={"status": old.status, "cost": old.cost}, after=after)
