"""How many people took part in a session: people, not answers nor rounds.

Each "Envoyer" of a live session stores one response, under the submission id
``<browser id>:<session code>:<round digest>`` (``forms.page``): a person who answers three
rounds makes three responses, one of three questions makes three answers. People are the
distinct browser ids, the part of the id before the first ":" (an id without one, from a
script or a test, counts as one person).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from workbench.storage.schema import response

__all__ = ["count_participants", "distinct_people"]


def distinct_people(submission_ids: Iterable[str]) -> int:
    """The number of distinct browsers among session submission ids."""
    return len({sid.split(":", 1)[0] for sid in submission_ids})


def count_participants(conn: Connection, session_id: int) -> int:
    """People who sent at least one response in the session (one query)."""
    return distinct_people(conn.scalars(
        select(response.c.submission_id).where(response.c.session_id == session_id)))
