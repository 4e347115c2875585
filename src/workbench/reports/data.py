"""The data a report reads, each read fingerprinted for the run's manifest.

Every loader displays an ``Input`` block (name, row count, SHA-256 of the rows in the order
read), so the manifest records exactly what the report was computed from. Loaders return
plain Python structures or pandas frames; they never write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from workbench.forms.reading import FormAnswers, form_answers, record_input, year_bounds
from workbench.storage import read_connection
from workbench.storage.schema import answer, form, form_version, response, workshop_session
from workbench.territory import communes

__all__ = ["FormAnswers", "Participation", "form_answers", "participation", "population",
           "record_input", "workshop_sessions"]


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
    start, end = year_bounds(year)
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
    start, end = year_bounds(year)
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
