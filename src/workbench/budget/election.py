"""An election as the counting rules see it: budget, projects with costs, ballots.

Costs and the budget are exact (``Fraction``, from the file's decimal text). Ballots are kept
per project: the indices of the voters who support it and, for cumulative ballots, the points
each gave (approval: one point each). Voters are numbered in file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from workbench.budget.errors import ElectionError
from workbench.budget.pabulib import PabulibFile
from workbench.cells import MAX_AMOUNT
from workbench.i18n import _

__all__ = ["Election", "from_pabulib"]

VOTE_TYPES = ("approval", "cumulative")

MAX_POINTS = 1_000_000  # points one voter gives one project (int64 arrays, any real vote)


@dataclass(frozen=True)
class Election:
    """``projects`` in file order; ``supporters[i]``/``points[i]`` for ``projects[i]``."""

    budget: Fraction
    projects: tuple[str, ...]
    costs: tuple[Fraction, ...]
    voters: int
    supporters: tuple[np.ndarray, ...]
    points: tuple[np.ndarray, ...]
    vote_type: str = "approval"
    rule: str = ""

    def cost_of(self, selected: list[int]) -> Fraction:
        return sum((self.costs[p] for p in selected), Fraction(0))

    def votes(self, project: int) -> int:
        """Supporters (approval) or points (cumulative) of a project."""
        return int(self.points[project].sum())


def number(text: str, what: str) -> Fraction:
    try:
        value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise ElectionError(_("{what}: “{text}” is not a number.").format(
            what=what, text=text)) from None
    if value < 0:
        raise ElectionError(_("{what}: “{text}” is negative.").format(what=what, text=text))
    if value > MAX_AMOUNT:  # the money columns, Numeric(12, 2), on both databases
        raise ElectionError(_("{what}: “{text}” is above {max}.").format(
            what=what, text=text, max="9 999 999 999,99"))
    return value


def from_pabulib(pb: PabulibFile) -> Election:
    """The election of a ``.pb`` file (approval or cumulative ballots)."""
    vote_type = pb.meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise ElectionError(_("Ballots of type “{kind}” cannot be counted here (approval or "
                              "cumulative only).").format(kind=vote_type))
    if not pb.meta.get("budget", "").strip():
        raise ElectionError(_("The META section gives no budget."))
    budget = number(pb.meta["budget"], _("budget"))
    projects = tuple(pb.projects)
    index = {project: i for i, project in enumerate(projects)}
    costs = tuple(number(fields.get("cost", ""), _("cost of project {id}").format(id=project))
                  for project, fields in pb.projects.items())
    voters: list[list[int]] = [[] for _p in projects]
    points: list[list[int]] = [[] for _p in projects]
    for voter, (voter_id, fields) in enumerate(pb.votes.items()):
        chosen = [v.strip() for v in fields.get("vote", "").split(",") if v.strip()]
        given = ([1] * len(chosen) if vote_type == "approval"
                 else [p.strip() for p in fields.get("points", "").split(",") if p.strip()])
        if len(given) != len(chosen):
            raise ElectionError(_("Voter {id}: {votes} projects but {points} points.").format(
                id=voter_id, votes=len(chosen), points=len(given)))
        for project, point in zip(chosen, given, strict=True):
            if project not in index:
                raise ElectionError(_("Voter {id} votes for an unknown project “{project}”.")
                                    .format(id=voter_id, project=project))
            try:
                weight = int(point)
            except ValueError:
                raise ElectionError(_("Voter {id}: “{points}” is not a whole number of points.")
                                    .format(id=voter_id, points=point)) from None
            if weight > MAX_POINTS:
                raise ElectionError(_("Voter {id}: “{points}” points is more than {max}.")
                                    .format(id=voter_id, points=point, max=MAX_POINTS))
            if weight > 0:
                voters[index[project]].append(voter)
                points[index[project]].append(weight)
    return Election(
        budget=budget, projects=projects, costs=costs, voters=len(pb.votes),
        supporters=tuple(np.asarray(v, dtype=np.int64) for v in voters),
        points=tuple(np.asarray(p, dtype=np.int64) for p in points),
        vote_type=vote_type, rule=pb.meta.get("rule", "").strip())
