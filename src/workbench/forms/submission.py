"""Storing a response: validated, in one transaction, idempotent on the submission id."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from workbench.forms.access import (
    AccessDenied,
    check_access,
    check_session,
    invitation_used,
    local_now,
)
from workbench.forms.answers import AnswerErrors, validate_answers
from workbench.i18n import _
from workbench.storage import get_engine, read_connection, write_transaction
from workbench.storage.invitations import consume_invitation
from workbench.storage.responses import find_receipt, insert_response

__all__ = ["Receipt", "new_receipt_code", "submit_response"]

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


@dataclass(frozen=True)
class Receipt:
    """What the participant is shown: a short code, and whether this call stored the answer."""

    code: str
    created: bool


def new_receipt_code() -> str:
    """A short, unambiguous receipt number such as ``7KQ2-M9XD``."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def submit_response(
    slug: str,
    submission_id: str,
    raw_answers: Mapping[str, object],
    *,
    token: str | None = None,
    session_code: str | None = None,
    is_synthetic: bool = False,
    engine: Engine | None = None,
    now: datetime | None = None,
    submitted_at: datetime | None = None,
) -> Receipt:
    """Validate and store one response; the same ``submission_id`` never stores twice.

    With ``session_code``, the response belongs to that live session and only its released
    questions are asked. Raises ``AccessDenied`` (closed form or session, bad or used
    invitation) or ``AnswerErrors``.
    """
    engine = engine or get_engine()
    if not submission_id or len(submission_id) > 64:
        raise AccessDenied(_("This page has expired: please reload it."), "submission_id")
    with read_connection(engine) as conn:
        existing = find_receipt(conn, submission_id)
        if existing:
            return Receipt(existing, created=False)
        access = (check_session(conn, session_code) if session_code
                  else check_access(conn, slug, token, now))
    only = access.only
    if only is not None:
        # A paced session: the questions asked are those on the participant's screen (the
        # released ones not yet answered there); earlier rounds are other, unlinked responses.
        only = tuple(q for q in raw_answers if q in access.only)
    answers = validate_answers(access.spec, raw_answers, only)
    if access.session_id is not None and not answers:
        raise AnswerErrors({"_": _("There is no answer to send yet.")})
    stamp = submitted_at or datetime.now(UTC).replace(tzinfo=None)
    for _attempt in range(3):
        try:
            with write_transaction(engine) as conn:
                existing = find_receipt(conn, submission_id)
                if existing:
                    return Receipt(existing, created=False)
                if access.invitation_id is not None and not consume_invitation(
                    conn, access.invitation_id, (now or local_now()).date()
                ):
                    raise invitation_used()
                code = new_receipt_code()
                insert_response(
                    conn, form_version_id=access.version.id, submission_id=submission_id,
                    receipt=code, submitted_at=stamp, answers=answers,
                    is_synthetic=is_synthetic,
                    invitation_id=(access.invitation_id
                                   if access.spec.anonymity == "identified" else None),
                    session_id=access.session_id,
                )
                return Receipt(code, created=True)
        except IntegrityError:
            # Another process stored this submission first, or (rarely) the code was taken.
            with read_connection(engine) as conn:
                existing = find_receipt(conn, submission_id)
            if existing:
                return Receipt(existing, created=False)
    raise RuntimeError("could not allocate a receipt code")
