"""The committee's scores: each assessor scores the requests assigned to them, criterion by
criterion; results per request (weighted score, spread between assessors), inter-rater
agreement per criterion (Krippendorff's alpha, ordinal, ``krippendorff`` package), proposals
within each service's envelope, staff adjustments and the decisions voted.

Scoring needs the SCORE permission, and a signed-in person scores (and reads their scores)
only as the edition's assessor whose e-mail is theirs (``access.require_assessor``); storing
the proposals, adjusting them and recording the votes need COMMITTEE and are audited."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select, update

from workbench.associations.access import require_assessor
from workbench.associations.allocation import Candidate, propose
from workbench.associations.grid import Assessor, Edition
from workbench.errors import WorkbenchError
from workbench.french import french_number, tidy
from workbench.i18n import _, ngettext
from workbench.staff import audit
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import upsert
from workbench.storage.schema import (
    association,
    committee_review,
    committee_score,
    subsidy_request,
)

__all__ = ["Assignment", "RequestResult", "Results", "adjust", "agreement", "assignments",
           "own_scores", "record_decision", "record_scores", "results", "store_proposals",
           "weighted"]


@dataclass(frozen=True)
class Assignment:
    request_id: int
    reference: str
    association: str
    service: str
    title: str
    completed: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def assignments(edition: Edition, assessor: str, engine=None) -> list[Assignment]:
    """The requests of the edition in the assessor's services, with their review's state."""
    return _assignments(edition, require_assessor(edition, assessor, engine), engine)


def _assignments(edition: Edition, person: Assessor, engine=None) -> list[Assignment]:
    with read_connection(engine) as conn:
        done = set(conn.scalars(select(committee_review.c.request_id).where(
            committee_review.c.edition == edition.slug,
            committee_review.c.assessor == person.name,
            committee_review.c.completed_at.is_not(None))))
        query = (select(subsidy_request.c.id, subsidy_request.c.reference,
                        association.c.title.label("name"), subsidy_request.c.service,
                        subsidy_request.c.title)
                 .join(association, association.c.id == subsidy_request.c.association_id)
                 .where(subsidy_request.c.edition == edition.slug)
                 .order_by(subsidy_request.c.service, subsidy_request.c.reference))
        if person.services:
            query = query.where(subsidy_request.c.service.in_(person.services))
        if person.recusals:  # déport: no file of an association the assessor is linked to
            query = query.where(association.c.rna.is_(None)
                                | association.c.rna.not_in(person.recusals))
        rows = conn.execute(query).all()
    return [Assignment(r.id, r.reference, r.name, r.service, r.title, r.id in done)
            for r in rows]


def record_scores(edition: Edition, request_id: int, assessor: str, scores: dict[str, int],
                  comment: str = "", engine=None) -> None:
    """One assessor's scores of one request (replacing earlier ones); complete when every
    criterion is scored."""
    person = require_assessor(edition, assessor, engine)
    if not any(a.request_id == request_id for a in _assignments(edition, person, engine)):
        raise Refused(_("This request is not assigned to you."))
    with read_connection(engine) as conn:
        service = conn.scalar(select(subsidy_request.c.service).where(
            subsidy_request.c.id == request_id))
    criteria = {c.id for c in edition.criteria_for(service)}
    low, high = edition.scale.min, edition.scale.max
    for criterion, score in scores.items():
        if criterion not in criteria:
            raise WorkbenchError(_("Unknown criterion '{id}'.").format(id=criterion))
        if not isinstance(score, int) or not low <= score <= high:
            raise WorkbenchError(_("The score of '{id}' must be a whole number from {low} to "
                                   "{high}.").format(id=criterion, low=low, high=high))
    review = {"edition": edition.slug, "request_id": request_id, "assessor": assessor}
    with write_transaction(engine) as conn:  # upserts: two pages saving at once both succeed
        conn.execute(delete(committee_score).where(
            committee_score.c.edition == edition.slug,
            committee_score.c.request_id == request_id, committee_score.c.assessor == assessor,
            committee_score.c.criterion.not_in(list(scores))))
        for criterion, score in scores.items():
            upsert(conn, committee_score, {**review, "criterion": criterion, "score": score},
                   keys=[*review, "criterion"])
        upsert(conn, committee_review, {
            **review, "comment": comment.strip(),
            "completed_at": _now() if set(scores) == criteria else None}, keys=list(review))


def own_scores(edition: Edition, request_id: int, assessor: str,
               engine=None) -> tuple[dict[str, int], str]:
    """What the assessor already gave (to resume), and their comment."""
    require_assessor(edition, assessor, engine)
    with read_connection(engine) as conn:
        scores = {r.criterion: r.score for r in conn.execute(select(committee_score).where(
            committee_score.c.edition == edition.slug,
            committee_score.c.request_id == request_id,
            committee_score.c.assessor == assessor))}
        comment = conn.scalar(select(committee_review.c.comment).where(
            committee_review.c.edition == edition.slug,
            committee_review.c.request_id == request_id,
            committee_review.c.assessor == assessor)) or ""
    return scores, comment


def weighted(edition: Edition, service: str, scores: dict[str, int]) -> float | None:
    """An assessor's weighted score of a request, on the scale (None if incomplete)."""
    criteria = edition.criteria_for(service)
    if any(c.id not in scores for c in criteria):
        return None
    return sum(c.weight * scores[c.id] for c in criteria) / sum(c.weight for c in criteria)


def agreement(ratings: dict[str, dict[int, int]], scale: tuple[int, int]) -> float | None:
    """Krippendorff's alpha (ordinal) of assessors' ratings {assessor: {unit: value}}; None
    when it is not defined (fewer than two ratings of any unit, or a single value used)."""
    import krippendorff
    import numpy as np

    units = sorted({u for values in ratings.values() for u in values})
    coders = [c for c in ratings if ratings[c]]
    paired = [u for u in units if sum(u in ratings[c] for c in coders) >= 2]
    if len(coders) < 2 or not paired:
        return None
    matrix = np.array([[ratings[c].get(u, np.nan) for u in paired] for c in coders],
                      dtype=float)
    values = set(matrix[~np.isnan(matrix)].tolist())
    if len(values) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal",
                                    value_domain=list(range(scale[0], scale[1] + 1))))


@dataclass(frozen=True)
class RequestResult:
    request_id: int
    reference: str
    association: str
    service: str
    title: str
    requested: float
    by_assessor: dict[str, float]  # complete weighted scores
    score: float | None  # mean of the assessors' weighted scores
    spread: float | None  # max − min between assessors
    flagged: bool  # assessors disagree strongly
    proposed: float  # the rule's proposal
    adjusted: float | None  # what staff set (stored amount_proposed)
    voted: float | None


@dataclass(frozen=True)
class Results:
    edition: Edition
    requests: list[RequestResult]
    alpha: dict[str, float | None]  # per criterion
    totals: dict[str, tuple[float, float, float, float]]  # service: envelope, proposed,
    #                                                       adjusted (or proposed), voted


def results(edition: Edition, engine=None) -> Results:
    with read_connection(engine) as conn:
        requests = conn.execute(
            select(subsidy_request, association.c.title.label("name"))
            .join(association, association.c.id == subsidy_request.c.association_id)
            .where(subsidy_request.c.edition == edition.slug)
            .order_by(subsidy_request.c.service, subsidy_request.c.reference)).all()
        scores = conn.execute(select(committee_score).where(
            committee_score.c.edition == edition.slug)).all()
    given: dict[int, dict[str, dict[str, int]]] = {}
    ratings: dict[str, dict[str, dict[int, int]]] = {}
    for s in scores:
        given.setdefault(s.request_id, {}).setdefault(s.assessor, {})[s.criterion] = s.score
        ratings.setdefault(s.criterion, {}).setdefault(s.assessor, {})[s.request_id] = s.score
    scale = (edition.scale.min, edition.scale.max)
    alpha = {c.id: agreement(ratings.get(c.id, {}), scale)
             for c in [*edition.criteria,
                       *(c for items in edition.service_criteria.values() for c in items)]}
    partial = []
    for r in requests:
        by = {a: w for a, s in given.get(r.id, {}).items()
              if (w := weighted(edition, r.service, s)) is not None}
        mean = sum(by.values()) / len(by) if by else None
        spread = max(by.values()) - min(by.values()) if len(by) >= 2 else None
        partial.append((r, by, mean, spread))
    proposals: dict[int, float] = {}
    rule = edition.allocation
    for service, envelope in edition.envelopes.items():
        proposals.update(propose(
            [Candidate(r.id, r.amount_requested, mean) for r, _b, mean, _s in partial
             if r.service == service], envelope, rule.rule, rule.threshold,
            edition.scale.max, rule.rounding))
    out = [RequestResult(r.id, r.reference, r.name, r.service, r.title, r.amount_requested,
                         by, None if mean is None else round(mean, 2),
                         None if spread is None else round(spread, 2),
                         spread is not None and spread >= edition.disagreement,
                         proposals.get(r.id, 0.0), r.amount_proposed, r.amount_voted)
           for r, by, mean, spread in partial]
    totals = {}
    for service, envelope in edition.envelopes.items():
        mine = [x for x in out if x.service == service]
        totals[service] = (envelope, sum(x.proposed for x in mine),
                           sum(x.proposed if x.adjusted is None else x.adjusted for x in mine),
                           sum(x.voted or 0 for x in mine))
    return Results(edition, out, alpha, totals)


def store_proposals(edition: Edition, engine=None) -> int:
    """Write the rule's proposals as the amounts proposed (staff then adjust them)."""
    require(Permission.COMMITTEE, engine=engine)
    found = results(edition, engine)
    with write_transaction(engine) as conn:
        for r in found.requests:
            conn.execute(update(subsidy_request).where(subsidy_request.c.id == r.request_id)
                         .values(amount_proposed=r.proposed, updated_at=_now()))
        audit.record(conn, "associations.committee.proposals", "committee_edition",
                     edition.slug, ngettext(
                         "Committee {edition}: the rule's proposal stored for {n} request.",
                         "Committee {edition}: the rule's proposals stored for {n} requests.",
                         len(found.requests)).format(edition=edition.slug,
                                                     n=len(found.requests)),
                     after={"edition": edition.slug, "count": len(found.requests),
                            "total": sum(r.proposed for r in found.requests)})
    return len(found.requests)


def _within_request(conn, request_id: int, amount: float, message: str):
    """The request's row; refuse an amount below 0, above what was requested, or not a
    number (NaN)."""
    row = conn.execute(select(subsidy_request).where(subsidy_request.c.id == request_id)).first()
    if row is None:
        raise WorkbenchError(_("No request no. {id}.").format(id=request_id))
    if not math.isfinite(amount) or amount < 0 or amount > row.amount_requested:
        raise WorkbenchError(message.format(requested=french_number(tidy(row.amount_requested))))
    return row


def adjust(request_id: int, amount: float, engine=None) -> None:
    """Staff's adjusted proposal (never above the amount requested)."""
    require(Permission.COMMITTEE, engine=engine)
    with write_transaction(engine) as conn:
        row = _within_request(conn, request_id, amount, _(
            "The amount proposed must lie between 0 and the amount requested ({requested} €)."))
        conn.execute(update(subsidy_request).where(subsidy_request.c.id == request_id)
                     .values(amount_proposed=amount, updated_at=_now()))
        audit.record(conn, "associations.committee.adjust", "subsidy_request", request_id,
                     _("Request {reference}: amount proposed set to {amount} €.").format(
                         reference=row.reference, amount=french_number(tidy(amount))),
                     before={"amount_proposed": row.amount_proposed},
                     after={"amount_proposed": amount})


def record_decision(request_id: int, amount: float, reference: str, on: date,
                    engine=None) -> None:
    """The amount voted (0: refused), the deliberation's reference and date."""
    require(Permission.COMMITTEE, engine=engine)
    if not reference.strip():
        raise WorkbenchError(_("Give the deliberation's reference."))
    with write_transaction(engine) as conn:
        row = _within_request(conn, request_id, amount, _(
            "The amount voted must lie between 0 and the amount requested ({requested} €)."))
        values = {"amount_voted": amount, "decision_ref": reference.strip(), "decision_on": on,
                  "status": "votée" if amount > 0 else "refusée"}
        conn.execute(update(subsidy_request).where(subsidy_request.c.id == request_id).values(
            **values, updated_at=_now()))
        audit.record(conn, "associations.committee.decision", "subsidy_request", request_id,
                     _("Request {reference}: {amount} € voted ({decision} of {date}).").format(
                         reference=row.reference, amount=french_number(tidy(amount)),
                         decision=values["decision_ref"], date=on.strftime("%d/%m/%Y")),
                     before={key: getattr(row, key) for key in values}, after=values)
