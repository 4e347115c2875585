"""What a rule returns, and the documented lot that breaks the last ties."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Allocation", "lot"]


@dataclass(frozen=True)
class Allocation:
    """Selected projects (indices into ``election.projects``, in the order chosen).

    ``per_voter_budget``: the budget each voter had to spend (Equal Shares; with Add1, the
    completed one); ``exact``: the count was (re)done in exact fractions after a near-tie
    or a near-exact affordability in floating point.
    """

    rule: str
    selected: tuple[int, ...]
    per_voter_budget: Fraction | None = None
    exact: bool = False


def lot(project_id: str) -> str:
    """The last tie-break: projects still tied are taken in the order of the SHA-256 of
    their identifiers (as written in the file) — fixed, public and the same on every run."""
    return hashlib.sha256(project_id.encode("utf-8")).hexdigest()
