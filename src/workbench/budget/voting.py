"""Casting a participatory budget ballot: the edition's ballot rules, eligibility, secrecy.

- **The ballot rules** (``check_ballot``): approval with at most ``max_projects`` projects
  and/or ticked projects costing at most ``max_cost`` (a knapsack ballot), or cumulative with
  ``points`` to share and at most ``max_points_per_project`` on one project. The server checks
  them whatever the page did.
- **Eligibility**: a single-use voting code (``pb_token``, stored as a hash, marked used with
  the day only), or a declaration (name, birth year, commune) turned into a keyed hash
  (``identity_key``) for the roll (``pb_voter_roll``); the same declaration twice is flagged for
  staff review and both ballots are kept (never dropped silently).
- **Secrecy**: the ballot row holds a random id, a code derived from the browser's random
  submission id (its receipt), the day and how it was cast; no reference to the code, the roll
  or the browser, and ids in no order that matches the roll's or the codes'.

``cast_ballot`` writes everything in one transaction, and is idempotent: the same
``submission_id`` (drawn by the browser) gives back the first receipt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from workbench.budget.errors import ElectionError
from workbench.i18n import _, ngettext
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    pb_ballot,
    pb_ballot_choice,
    pb_edition,
    pb_project,
    pb_token,
    pb_voter_roll,
)

__all__ = [
    "BallotError",
    "Declaration",
    "cast_ballot",
    "check_ballot",
    "create_tokens",
    "find_edition",
    "identity_key",
    "mix_ballot_box",
]

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
    if any(type(points) is not int for points in choice.values()):
        raise BallotError(_("Points are whole numbers from 1."))
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
    ``data/runtime/secrets/`` (``workbench.runtime_keys``)."""
    from workbench.runtime_keys import runtime_key

    key = runtime_key("pb-identity.key", KEY_ENV)
    if not key:
        raise BallotError(_("The voting service is not configured: please try again later."))
    return key


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
    require(Permission.BUDGET, engine=engine)
    tokens = [secrets.token_urlsafe(12) for _n in range(count)]
    now = datetime.now(UTC).replace(tzinfo=None)
    with write_transaction(engine) as conn:
        edition = find_edition(conn, slug)
        if not tokens:
            return []  # (an empty insert would be a row of defaults)
        conn.execute(insert(pb_token), [{"edition_id": edition.id, "commune": commune,
                                         "token_sha256": _token_hash(t), "created_at": now}
                                        for t in tokens])
        audit.record(conn, "budget.voting_codes", "pb_edition", edition.id, ngettext(
            "{n} voting code made for {slug}.", "{n} voting codes made for {slug}.",
            count).format(n=count, slug=slug), after={"codes": count, "commune": commune})
    return tokens


def find_edition(conn: Connection, slug: str):
    """The edition row; a French ``BallotError`` if there is none."""
    found = conn.execute(select(pb_edition).where(pb_edition.c.slug == slug)).first()
    if found is None:
        raise BallotError(_("No participatory budget edition “{slug}”.").format(slug=slug))
    return found


def _receipt_of(submission_id: str, edition_id: int, voter: str) -> str:
    # The ballot's code is derived from the browser's random submission id and from who votes
    # (the code's hash, or the declaration's keyed hash): sending twice finds the first ballot,
    # and a second person voting on the same phone gets a ballot of their own.
    return hashlib.sha256(f"{edition_id}:{submission_id}:{voter}".encode()).hexdigest()[
        :16].upper()


def cast_ballot(slug: str, choice: dict[int, int], *, submission_id: str,
                token: str | None = None, declaration: Declaration | None = None,
                today: date | None = None, engine: Engine | None = None) -> str:
    """Store one ballot and return its receipt, or raise ``BallotError`` (nothing written)."""
    from workbench.territory.clock import local_today

    today = today or local_today()
    with write_transaction(engine) as conn:
        edition = find_edition(conn, slug)
        if edition.eligibility == "token":
            voter = _token_hash(token or "")
        else:
            _check_declaration(edition, declaration, today)
            voter = identity_key(declaration)
        receipt = _receipt_of(submission_id, edition.id, voter)
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
        # A random id: in the order of ids, ballots cannot be matched with the roll's rows or
        # the codes used, which are written in the same order.
        ballot = _random_id(conn)
        conn.execute(insert(pb_ballot).values(
            id=ballot, edition_id=edition.id, code=receipt, voted_on=today,
            voting_method="internet", extra_json="{}"))
        conn.execute(insert(pb_ballot_choice), [
            {"ballot_id": ballot, "project_id": project, "position": position,
             "points": points}
            for position, (project, points) in enumerate(choice.items())])
    return receipt


def _random_id(conn: Connection) -> int:
    while True:
        # In [2^30, 2^31): fits a 32-bit integer, above any sequence of imported ballots.
        candidate = secrets.randbelow(2**30) + 2**30
        if conn.scalar(select(pb_ballot.c.id).where(pb_ballot.c.id == candidate)) is None:
            return candidate


def _use_token(conn: Connection, edition_id: int, token: str, today: date) -> None:
    row = conn.execute(select(pb_token.c.id, pb_token.c.used_on).where(
        pb_token.c.edition_id == edition_id,
        pb_token.c.token_sha256 == _token_hash(token))).first()
    if row is None:
        raise BallotError(_("This voting code is not valid for this vote."))
    used = conn.execute(update(pb_token).where(pb_token.c.id == row.id,
                                               pb_token.c.used_on.is_(None))
                        .values(used_on=today)).rowcount
    if row.used_on is not None or used != 1:  # (used meanwhile by another page: refused)
        raise BallotError(_("This voting code has already been used: one ballot per person."))


def _check_declaration(edition, declaration: Declaration | None, today: date) -> None:
    from workbench.territory.communes import commune_by_code

    if (declaration is None or not declaration.name.strip()
            or commune_by_code(declaration.commune) is None
            or not 1900 <= declaration.birth_year <= today.year):
        raise BallotError(_("Give your name, birth year and commune to vote."))
    if edition.min_age and today.year - declaration.birth_year < edition.min_age:
        raise BallotError(_("This vote is open from {n} years of age.").format(
            n=edition.min_age))


def _sign_roll(conn: Connection, edition, declaration: Declaration, today: date) -> None:
    key = identity_key(declaration)
    seen = conn.scalar(select(pb_voter_roll.c.id).where(
        pb_voter_roll.c.edition_id == edition.id, pb_voter_roll.c.identity_key == key))
    if seen is not None:
        conn.execute(update(pb_voter_roll).where(pb_voter_roll.c.id == seen)
                     .values(flagged=True))
    conn.execute(insert(pb_voter_roll).values(
        edition_id=edition.id, identity_key=key, commune=declaration.commune, voted_on=today,
        flagged=seen is not None))


def mix_ballot_box(slug: str, engine: Engine | None = None, today: date | None = None) -> bool:
    """Once the vote is closed, shake the ballot box: every ballot and its choices are
    written again in a random order with new random ids, in one transaction. Until then the
    database's own bookkeeping (row order, PostgreSQL's transaction ids) could pair a ballot
    with the voting code or roll entry written in the same transaction; afterwards it cannot.
    Done once per edition (the first count after the close); True if it was done now."""
    from workbench.territory.clock import local_today

    rng = secrets.SystemRandom()
    today = today or local_today()

    def due(edition) -> bool:
        closed = edition.vote_close is not None and edition.vote_close < today
        return closed and not json.loads(edition.meta_json or "{}").get("mixed")

    with read_connection(engine) as conn:  # every results page asks: no write lock for that
        if not due(find_edition(conn, slug)):
            return False
    with write_transaction(engine) as conn:
        edition = find_edition(conn, slug)
        if not due(edition):
            return False  # shaken meanwhile by another page
        meta = json.loads(edition.meta_json or "{}")
        ballots = conn.execute(select(pb_ballot).where(
            pb_ballot.c.edition_id == edition.id)).all()
        ids = [b.id for b in ballots]
        choices = conn.execute(select(pb_ballot_choice).where(
            pb_ballot_choice.c.ballot_id.in_(select(pb_ballot.c.id).where(
                pb_ballot.c.edition_id == edition.id)))).all() if ids else []
        by_ballot: dict[int, list] = {}
        for row in choices:
            by_ballot.setdefault(row.ballot_id, []).append(row)
        conn.execute(pb_ballot_choice.delete().where(pb_ballot_choice.c.ballot_id.in_(ids)))
        conn.execute(pb_ballot.delete().where(pb_ballot.c.edition_id == edition.id))
        rng.shuffle(ballots)
        for ballot in ballots:
            new = _random_id(conn)
            conn.execute(insert(pb_ballot).values(
                id=new, edition_id=edition.id, code=ballot.code, voted_on=ballot.voted_on,
                voting_method=ballot.voting_method, extra_json=ballot.extra_json))
            rows = by_ballot.get(ballot.id, [])
            if rows:
                conn.execute(insert(pb_ballot_choice), [
                    {"ballot_id": new, "project_id": r.project_id, "position": r.position,
                     "points": r.points} for r in rows])
        meta["mixed"] = True
        conn.execute(update(pb_edition).where(pb_edition.c.id == edition.id)
                     .values(meta_json=json.dumps(meta, ensure_ascii=False)))
    return True
