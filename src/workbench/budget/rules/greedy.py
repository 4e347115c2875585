"""Greedy: projects by votes (approval) or points (cumulative), each funded if it still fits.

Ties: the cheaper project first, then the lot (``allocation.lot``). A project that no longer
fits is skipped and the next ones are still considered (pabulib's ``greedy``).
"""

from __future__ import annotations

from fractions import Fraction

from workbench.budget.election import Election
from workbench.budget.rules.allocation import Allocation, lot

__all__ = ["greedy"]


def greedy(election: Election) -> Allocation:
    order = sorted(range(len(election.projects)),
                   key=lambda p: (-election.votes(p), election.costs[p],
                                  lot(election.projects[p])))
    selected: list[int] = []
    spent = Fraction(0)
    for project in order:
        if election.votes(project) == 0:
            continue
        if spent + election.costs[project] <= election.budget:
            selected.append(project)
            spent += election.costs[project]
    return Allocation("greedy", tuple(selected))
