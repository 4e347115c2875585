"""Queries on invitations (single-use tokens, stored hashed)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, insert, select, update

from workbench.storage.schema import invitation

__all__ = ["Invitation", "consume_invitation", "find_invitation", "hash_token",
           "insert_invitations"]


@dataclass(frozen=True)
class Invitation:
    """An invitation row: never holds the token itself."""

    id: int
    form_id: int
    used_on: date | None


def hash_token(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def insert_invitations(
    conn: Connection, form_id: int, tokens_and_recipients: list[tuple[str, str | None]],
    created_at: datetime,
) -> None:
    """Store invitations for ``form_id`` (tokens are hashed here)."""
    conn.execute(insert(invitation), [
        {"form_id": form_id, "token_sha256": hash_token(token), "recipient": recipient,
         "created_at": created_at}
        for token, recipient in tokens_and_recipients
    ])


def find_invitation(conn: Connection, form_id: int, token: str) -> Invitation | None:
    """The invitation of ``form_id`` matching ``token``, or None."""
    row = conn.execute(
        select(invitation.c.id, invitation.c.form_id, invitation.c.used_on)
        .where(invitation.c.token_sha256 == hash_token(token), invitation.c.form_id == form_id)
    ).first()
    return Invitation(row.id, row.form_id, row.used_on) if row else None


def consume_invitation(conn: Connection, invitation_id: int, today: date) -> bool:
    """Mark an invitation used; False if it already was (race-safe)."""
    result = conn.execute(
        update(invitation)
        .where(invitation.c.id == invitation_id, invitation.c.used_on.is_(None))
        .values(used_on=today)
    )
    return result.rowcount == 1
