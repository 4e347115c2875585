"""Reading a questionnaire's answers (for a report or a staff page), each read fingerprinted
for a report's manifest (an ``Input`` block: name, row count, SHA-256 of the rows read)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workbench.documents.blocks import Input, rows_fingerprint
from workbench.forms.spec import FormSpec
from workbench.storage import read_connection
from workbench.storage.forms import latest_version
from workbench.storage.schema import answer, form, form_version, response, workshop_session

__all__ = ["FormAnswers", "form_answers", "record_input", "year_bounds"]


def record_input(name: str, rows: Iterable[Sequence]) -> None:
    """Display the fingerprint of an input table (name, row count, SHA-256) for the manifest."""
    count, digest = rows_fingerprint(rows)
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - reports always run in a kernel
        return
    display(Input(name, count, digest))


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1), datetime(year + 1, 1, 1)


@dataclass
class FormAnswers:
    """A questionnaire's latest spec and its answers (one dict per response)."""

    spec: FormSpec
    version: int
    # {"receipt", "submitted_at", "version", "synthetic", "in_session", "answers"}
    responses: list[dict]


def form_answers(slug: str, year: int | None = None, engine=None,
                 session: str | None = None, record: bool = True) -> FormAnswers | None:
    """The answers to ``slug`` (in ``year``, in live ``session`` when given), in submission
    order, each saying whether it was given in a live workshop session (``in_session``);
    None if the questionnaire is unknown. ``record=False`` outside a report (a page):
    no input fingerprint is displayed."""
    query = (
        select(response.c.id, response.c.receipt, response.c.submitted_at,
               response.c.is_synthetic, response.c.session_id, form_version.c.version,
               answer.c.question_id, answer.c.value_json)
        .join(form_version, form_version.c.id == response.c.form_version_id)
        .join(form, form.c.id == form_version.c.form_id)
        .outerjoin(answer, answer.c.response_id == response.c.id)
        .where(form.c.slug == slug)
        .order_by(response.c.submitted_at, response.c.id, answer.c.question_id))
    if year:
        start, end = year_bounds(year)
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
                              "synthetic": bool(row.is_synthetic),
                              "in_session": row.session_id is not None, "answers": {}})
        if row.question_id is not None:
            responses[-1]["answers"][row.question_id] = json.loads(row.value_json)
    if record:
        record_input(f"réponses:{slug}" + (f":{year}" if year else "")
                     + (f":séance {session}" if session else ""),
                     ((r.receipt, r.submitted_at.isoformat(), r.question_id, r.value_json)
                      for r in rows))
    return FormAnswers(FormSpec.model_validate(published.spec), published.version, responses)


