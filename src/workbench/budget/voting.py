"""Casting a participatory budget ballot: the edition's ballot rules, eligibility, secrecy.

- **The ballot rules** (``check_ballot``): approval with at most ``max_projects`` projects
  and/or ticked projects costing at most ``max_cost`` (a knapsack ballot), or cumulative with
  ``points`` to share and at most ``max_points_per_project`` on one project. The server checks
  them whatever the page did.
- **Eligibility**: a single-use voting code (``pb_token``, stored as a hash, marked used with
  the day only), or a declaration (name, birth year, commune) turned into a keyed hash
  (``identity_key``) for the roll (``pb_voter_roll``); the same declaration twice is flagged for
  staff review and both ballots are kept (never dropped silently).
- **Secrecy**: the ballot row holds a random code (its receipt), the day and how it was cast;
  no reference to the code, the roll or the browser.

``cast_ballot`` writes everything in one transaction, and is idempotent: the same
``submission_id`` (drawn by the browser) gives back the first receipt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from workbench.budget.errors import ElectionError
from workbench.i18n import _, ngettext
from workbench.settings import project_home
from workbench.storage import write_transaction
from workbench.storage.schema import (
    pb_ballot,
    pb_ballot_choice,
    pb_edition,
    pb_project,
    pb_token,
    pb_voter_roll,
)

__all__ = ["BallotError", "Declaration", "cast_ballot", "check_ballot", "create_tokens",
           "find_edition",
           "identity_key"]

KEY_ENV = "WORKBENCH_PB_IDENTITY_KEY"


class BallotError(ElectionError):
    """A ballot refused: the French reason is the message."""


@dataclass(frozen=True)
class Declaration:
    """What a voter declares where no voting code is sent (declared eligibility)."""

    name: str
    birth_year: int
    commune: str


def _euros(value: Fraction | float) -> str:
    return f"{float(value):,.0f}".replace(",", "\u202f") + " €"


def check_ballot(edition, costs: dict[int, Fraction], choice: dict[int, int]) -> None:
    """Refuse a ballot that breaks the edition's rules (``choice``: project id → points)."""
    if not choice:
        raise BallotError(_("Choose at least one project."))
    unknown = [p for p in choice if p not in costs]
    if unknown:
        raise BallotError(_("This ballot names a project that is not on the ballot."))
    if edition.ballot_kind == "cumulative":
        if any(points < 1 for points in choice.values()):
            raise BallotError(_("Points are whole numbers from 1."))
        if edition.max_points_per_project and max(choice.values()) > \
                edition.max_points_per_project:
            raise BallotError(_("At most {n} points on one project.").format(
                n=edition.max_points_per_project))
        if edition.points and sum(choice.values()) > edition.points:
            raise BallotError(_("You have {n} points to share, not {given}.").format(
                n=edition.points, given=sum(choice.values())))
        return
    if any(points != 1 for points in choice.values()):
        raise BallotError(_("A project is ticked or not."))
    if edition.max_projects and len(choice) > edition.max_projects:
        raise BallotError(ngettext("Choose at most {n} project.",
                                   "Choose at most {n} projects.",
                                   edition.max_projects).format(n=edition.max_projects))
    total = sum((costs[p] for p in choice), Fraction(0))
    if edition.max_cost and total > Fraction(str(edition.max_cost)):
        raise BallotError(_("Your projects cost {total}, more than the {limit} you can "
                            "share: untick a project.").format(
            total=_euros(total), limit=_euros(edition.max_cost)))


def _key() -> bytes:
    """The identity hash key: ``WORKBENCH_PB_IDENTITY_KEY``, else a key drawn once and kept in
    ``data/runtime/secrets/`` (git-ignored, readable by its owner only)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    path = project_home() / "data" / "runtime" / "secrets" / "pb-identity.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return Path(path).read_text().strip().encode()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def identity_key(declaration: Declaration) -> str:
    """Keyed hash of the declaration (accents, case and spaces aside): the roll never holds a
    name, and without the key the hash cannot be recomputed from a list of names."""
    message = f"{_fold(declaration.name)}|{declaration.birth_year}|{declaration.commune}"
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def create_tokens(slug: str, count: int, engine: Engine | None = None,
                  commune: str | None = None) -> list[str]:
    """``count`` new single-use voting codes for the edition (shown once, stored hashed);
    ``commune``: where the letters go (turnout per commune; never linked to a ballot)."""
    tokens = [secrets.token_urlsafe(12) for _n in range(count)]
    now = datetime.now(UTC).replace(tzinfo=None)
    with write_transaction(engine) as conn:
        edition = find_edition(conn, slug)
        if not tokens:
            return []  # (an empty insert would be a row of defaults)
        conn.execute(insert(pb_token), [{"edition_id": edition.id, "commune": commune,
                                         "token_sha256": _token_hash(t), "created_at": now}
                                        for t in tokens])
    return tokens


def find_edition(conn: Connection, slug: str):
    """The edition row; a French ``BallotError`` if there is none."""
    found = conn.execute(select(pb_edition).where(pb_edition.c.slug == slug)).first()
    if found is None:
        raise BallotError(_("No participatory budget edition “{slug}”.").format(slug=slug))
    return found


def _receipt_of(submission_id: str, edition_id: int) -> str:
    # The ballot's code is derived from the browser's random submission id, so that sending
    # twice finds the first ballot; it says nothing of the voter.
    return hashlib.sha256(f"{edition_id}:{submission_id}".encode()).hexdigest()[:16].upper()


def cast_ballot(slug: str, choice: dict[int, int], *, submission_id: str,
                token: str | None = None, declaration: Declaration | None = None,
                today: date | None = None, engine: Engine | None = None) -> str:
    """Store one ballot and return its receipt, or raise ``BallotError`` (nothing written)."""
    from workbench.territory.clock import local_today

    today = today or local_today()
    with write_transaction(engine) as conn:
        edition = find_edition(conn, slug)
        receipt = _receipt_of(submission_id, edition.id)
        if conn.scalar(select(pb_ballot.c.id).where(pb_ballot.c.edition_id == edition.id,
                                                    pb_ballot.c.code == receipt)):
            return receipt  # sent twice (a double tap, a reload): the first ballot stands
        if not (edition.vote_open and edition.vote_close
                and edition.vote_open <= today <= edition.vote_close):
            raise BallotError(_("The vote is not open."))
        costs = {row.id: Fraction(str(row.cost)) for row in conn.execute(
            select(pb_project.c.id, pb_project.c.cost).where(
                pb_project.c.edition_id == edition.id, pb_project.c.status == "recevable"))}
        check_ballot(edition, costs, choice)
        if edition.eligibility == "token":
            _use_token(conn, edition.id, token or "", today)
        else:
            _sign_roll(conn, edition, declaration, today)
        ballot = conn.execute(insert(pb_ballot).values(
            edition_id=edition.id, code=receipt, voted_on=today, voting_method="internet",
            extra_json="{}")).inserted_primary_key[0]
        conn.execute(insert(pb_ballot_choice), [
            {"ballot_id": ballot, "project_id": project, "position": position,
             "points": points}
            for position, (project, points) in enumerate(choice.items())])
    return receipt


def _use_token(conn: Connection, edition_id: int, token: str, today: date) -> None:
    row = conn.execute(select(pb_token.c.id, pb_token.c.used_on).where(
        pb_token.c.edition_id == edition_id,
        pb_token.c.token_sha256 == _token_hash(token))).first()
    if row is None:
        raise BallotError(_("This voting code is not valid for this vote."))
    if row.used_on is not None:
        raise BallotError(_("This voting code has already been used: one ballot per person."))
    conn.execute(update(pb_token).where(pb_token.c.id == row.id).values(used_on=today))


def _sign_roll(conn: Connection, edition, declaration: Declaration | None,
               today: date) -> None:
    if declaration is None or not declaration.name.strip() or not declaration.commune:
        raise BallotError(_("Give your name, birth year and commune to vote."))
    if edition.min_age and today.year - declaration.birth_year < edition.min_age:
        raise BallotError(_("This vote is open from {n} years of age.").format(
            n=edition.min_age))
    key = identity_key(declaration)
    seen = conn.scalar(select(pb_voter_roll.c.id).where(
        pb_voter_roll.c.edition_id == edition.id, pb_voter_roll.c.identity_key == key))
    if seen is not None:
        conn.execute(update(pb_voter_roll).where(pb_voter_roll.c.id == seen)
                     .values(flagged=True))
    conn.execute(insert(pb_voter_roll).values(
        edition_id=edition.id, identity_key=key, commune=declaration.commune, voted_on=today,
        flagged=seen is not None))
