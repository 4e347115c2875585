"""Measures over an outcome, as the results page, the report and ``pb results`` show them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from workbench.budget.election import Election
from workbench.budget.rules.allocation import Allocation

__all__ = ["Summary", "funded_per_voter", "summarise"]


@dataclass(frozen=True)
class Summary:
    """``selected`` are project ids as written in the file, in file order."""

    rule: str
    selected: list[str]
    total_cost: Fraction
    per_voter_budget: Fraction | None
    voters_with_funded_project_pct: float

    def to_json(self) -> dict:
        def plain(value: Fraction | None) -> int | float | None:
            if value is None:
                return None
            return int(value) if value.denominator == 1 else round(float(value), 6)

        return {"rule": self.rule, "selected": self.selected,
                "total_cost": plain(self.total_cost),
                "per_voter_budget": plain(self.per_voter_budget),
                "voters_with_funded_project_pct": self.voters_with_funded_project_pct}


def funded_per_voter(election: Election, selected: tuple[int, ...]) -> np.ndarray:
    """For each voter, how many of the projects they voted for are funded."""
    funded = np.zeros(election.voters, dtype=np.int64)
    for project in selected:
        funded[election.supporters[project]] += 1
    return funded


def summarise(election: Election, allocation: Allocation) -> Summary:
    chosen = set(allocation.selected)
    funded = funded_per_voter(election, allocation.selected)
    share = 100 * float((funded > 0).sum()) / election.voters if election.voters else 0.0
    return Summary(rule=allocation.rule,
                   selected=[p for i, p in enumerate(election.projects) if i in chosen],
                   total_cost=election.cost_of(list(allocation.selected)),
                   per_voter_budget=allocation.per_voter_budget,
                   voters_with_funded_project_pct=round(share, 2))
