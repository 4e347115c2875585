"""Queries on responses and their answers."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from workbench.storage.schema import answer, form, form_version, response, response_identity

__all__ = [
    "StoredResponse",
    "answered_with_prefix",
    "count_responses",
    "find_receipt",
    "insert_response",
    "iter_responses",
]


@dataclass(frozen=True)
class StoredResponse:
    """A response as stored: its answers are the validated, canonical values."""

    id: int
    receipt: str
    submitted_at: datetime
    version: int
    is_synthetic: bool
    answers: dict


def find_receipt(conn: Connection, submission_id: str) -> str | None:
    """The receipt of the response with ``submission_id``, if it was stored."""
    return conn.scalar(select(response.c.receipt).where(response.c.submission_id == submission_id))


def insert_response(
    conn: Connection,
    *,
    form_version_id: int,
    submission_id: str,
    receipt: str,
    submitted_at: datetime,
    answers: Mapping[str, object],
    is_synthetic: bool = False,
    invitation_id: int | None = None,
    session_id: int | None = None,
) -> int:
    """Insert a response and its answers; call inside a write transaction."""
    response_id = conn.scalar(insert(response).values(
        form_version_id=form_version_id, submission_id=submission_id, receipt=receipt,
        submitted_at=submitted_at, is_synthetic=is_synthetic, session_id=session_id,
    ).returning(response.c.id))
    if answers:
        conn.execute(insert(answer), [
            {"response_id": response_id, "question_id": qid,
             "value_json": json.dumps(value, ensure_ascii=False)}
            for qid, value in answers.items()
        ])
    if invitation_id is not None:
        conn.execute(insert(response_identity).values(
            response_id=response_id, invitation_id=invitation_id))
    return response_id


def count_responses(conn: Connection, slug: str) -> int:
    """How many responses a form has, all versions together."""
    return conn.scalar(
        select(func.count()).select_from(response)
        .join(form_version, form_version.c.id == response.c.form_version_id)
        .join(form, form.c.id == form_version.c.form_id)
        .where(form.c.slug == slug)
    ) or 0


def answered_with_prefix(conn: Connection, prefix: str) -> set[str]:
    """The questions answered by the responses whose submission id starts with ``prefix``
    (the rounds one browser already sent in a live session)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return set(conn.scalars(
        select(answer.c.question_id).join(response, response.c.id == answer.c.response_id)
        .where(response.c.submission_id.like(escaped + "%", escape="\\"))))


def iter_responses(conn: Connection, slug: str,
                   session_id: int | None = None) -> Iterator[StoredResponse]:
    """Every response to ``slug`` in submission order, with its answers (one query).

    With ``session_id``, only the responses given in that live session.
    """
    query = (
        select(response.c.id, response.c.receipt, response.c.submitted_at,
               form_version.c.version, response.c.is_synthetic,
               answer.c.question_id, answer.c.value_json)
        .join(form_version, form_version.c.id == response.c.form_version_id)
        .join(form, form.c.id == form_version.c.form_id)
        .outerjoin(answer, answer.c.response_id == response.c.id)
        .where(form.c.slug == slug)
        .order_by(response.c.submitted_at, response.c.id)
    )
    if session_id is not None:
        query = query.where(response.c.session_id == session_id)
    rows = conn.execute(query)
    current: StoredResponse | None = None
    for row in rows:
        if current is None or current.id != row.id:
            if current is not None:
                yield current
            current = StoredResponse(row.id, row.receipt, row.submitted_at, row.version,
                                     bool(row.is_synthetic), {})
        if row.question_id is not None:
            current.answers[row.question_id] = json.loads(row.value_json)
    if current is not None:
        yield current
