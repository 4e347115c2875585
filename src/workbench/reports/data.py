"""The data a report reads, each read fingerprinted for the run's manifest.

Every loader displays an ``Input`` block (name, row count, SHA-256 of the rows in the order
read), so the manifest records exactly what the report was computed from. Loaders return
plain Python structures or pandas frames; they never write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from workbench.forms.spec import FormSpec
from workbench.reports.blocks import Input, rows_fingerprint
from workbench.storage import read_connection
from workbench.storage.forms import latest_version
from workbench.storage.schema import answer, form, form_version, response, workshop_session
from workbench.territory import communes

__all__ = ["FormAnswers", "Participation", "form_answers", "participation", "population",
           "record_input", "workshop_sessions"]


def record_input(name: str, rows: Iterable[Sequence]) -> None:
    """Display the fingerprint of an input table (name, row count, SHA-256) for the manifest."""
    count, digest = rows_fingerprint(rows)
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - reports always run in a kernel
        return
    display(Input(name, count, digest))


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1), datetime(year + 1, 1, 1)


@dataclass
class FormAnswers:
    """A questionnaire's latest spec and its answers (one dict per response)."""

    spec: FormSpec
    version: int
    responses: list[dict]  # {"receipt", "submitted_at", "version", "synthetic", "answers"}


def form_answers(slug: str, year: int | None = None, engine=None,
                 session: str | None = None, record: bool = True) -> FormAnswers | None:
    """The answers to ``slug`` (in ``year``, in live ``session`` when given), in submission
    order; None if the questionnaire is unknown. ``record=False`` outside a report (a page):
    no input fingerprint is displayed."""
    query = (
        select(response.c.id, response.c.receipt, response.c.submitted_at,
               response.c.is_synthetic, form_version.c.version, answer.c.question_id,
               answer.c.value_json)
        .join(form_version, form_version.c.id == response.c.form_version_id)
        .join(form, form.c.id == form_version.c.form_id)
        .outerjoin(answer, answer.c.response_id == response.c.id)
        .where(form.c.slug == slug)
        .order_by(response.c.submitted_at, response.c.id, answer.c.question_id))
    if year:
        start, end = _year_bounds(year)
        query = query.where(response.c.submitted_at >= start, response.c.submitted_at < end)
    if session:
        query = query.where(response.c.session_id == select(workshop_session.c.id).where(
            workshop_session.c.code == session).scalar_subquery())
    with read_connection(engine) as conn:
        published = latest_version(conn, slug)
        if published is None:
            return None
        rows = conn.execute(query).all()
    responses: list[dict] = []
    for row in rows:
        if not responses or responses[-1]["id"] != row.id:
            responses.append({"id": row.id, "receipt": row.receipt,
                              "submitted_at": row.submitted_at, "version": row.version,
                              "synthetic": bool(row.is_synthetic), "answers": {}})
        if row.question_id is not None:
            responses[-1]["answers"][row.question_id] = json.loads(row.value_json)
    if record:
        record_input(f"réponses:{slug}" + (f":{year}" if year else "")
                     + (f":séance {session}" if session else ""),
                     ((r.receipt, r.submitted_at.isoformat(), r.question_id, r.value_json)
                      for r in rows))
    return FormAnswers(FormSpec.model_validate(published.spec), published.version, responses)


@dataclass
class Participation:
    """One response of the year, reduced to what a participation review counts."""

    slug: str
    title: str
    submitted_at: datetime
    commune: str | None
    in_session: bool


def participation(year: int, engine=None) -> list[Participation]:
    """Every response submitted in ``year``, all questionnaires, with the respondent's commune
    (the answer to the form's commune question, when it has one)."""
    start, end = _year_bounds(year)
    with read_connection(engine) as conn:
        versions = {row.id: (row.slug, json.loads(row.spec_json)) for row in conn.execute(
            select(form_version.c.id, form.c.slug, form_version.c.spec_json)
            .join(form, form.c.id == form_version.c.form_id))}
        commune_question = {vid: next((q["id"] for q in spec["questions"]
                                       if q["type"] == "commune"), None)
                            for vid, (_slug, spec) in versions.items()}
        rows = conn.execute(
            select(response.c.id, response.c.form_version_id, response.c.submitted_at,
                   response.c.session_id, answer.c.question_id, answer.c.value_json)
            .outerjoin(answer, (answer.c.response_id == response.c.id)
                       & (answer.c.question_id.in_(
                           [q for q in commune_question.values() if q] or [""])))
            .where(response.c.submitted_at >= start, response.c.submitted_at < end)
            .order_by(response.c.submitted_at, response.c.id)).all()
    by_response: dict[int, Participation] = {}
    for row in rows:
        slug, spec = versions[row.form_version_id]
        entry = by_response.setdefault(row.id, Participation(
            slug, spec["title"], row.submitted_at, None, row.session_id is not None))
        if row.question_id is not None and row.question_id == commune_question[
                row.form_version_id]:
            entry.commune = json.loads(row.value_json)
    result = list(by_response.values())
    record_input(f"participation:{year}", ((p.slug, p.submitted_at.isoformat(), p.commune,
                                             p.in_session) for p in result))
    return result


def workshop_sessions(year: int, engine=None) -> list[dict]:
    """The live workshop sessions opened in ``year`` with their number of answers."""
    start, end = _year_bounds(year)
    answers = (select(func.count()).where(response.c.session_id == workshop_session.c.id)
               .scalar_subquery())
    with read_connection(engine) as conn:
        rows = conn.execute(
            select(workshop_session.c.code, workshop_session.c.title, form.c.slug,
                   workshop_session.c.opened_at, workshop_session.c.closed_at,
                   answers.label("answers"))
            .join(form_version, form_version.c.id == workshop_session.c.form_version_id)
            .join(form, form.c.id == form_version.c.form_id)
            .where(workshop_session.c.opened_at >= start, workshop_session.c.opened_at < end)
            .order_by(workshop_session.c.opened_at, workshop_session.c.code)).all()
    sessions = [dict(row._mapping) for row in rows]
    record_input(f"ateliers:{year}", ((s["code"], s["title"], s["slug"], str(s["opened_at"]),
                                        str(s["closed_at"]), s["answers"]) for s in sessions))
    return sessions


def population() -> dict[str, tuple[str, int]]:
    """INSEE code → (name, municipal population) of the territory's communes."""
    table = {c.code_insee: (c.nom, c.population) for c in communes()}
    record_input("communes:population", sorted((k, *v) for k, v in table.items()))
    return table
