"""The Method of Equal Shares (MES), as equalshares.net defines it, with Add1 completion and
the comparison step.

Each voter gets an equal part of the budget. In each round, every project still open is
priced by splitting its cost equally among its supporters; a supporter who cannot pay the
equal share pays all they have left and the rest is split again among the others. With ``p``
the largest payment a supporter then makes, the project's *effective vote count* is
``cost / p`` (its number of supporters when nobody is short of money). The project with the
highest effective vote count is funded and its supporters pay; ties go to the lower cost,
then to more votes, then to the lot (``allocation.lot``). Projects nobody can pay for any more
drop out; the method stops when none is left.

Cumulative ballots (documented variant): a voter who gave ``w`` points pays ``w`` times the
share of a one-point voter, ``min(budget, ρ·w)``; the effective vote count is ``cost / ρ``.
With one point each this is the approval method above.

Counting: voters are grouped by what they have left and supporters are counted per group
with numpy. A count runs in floating point first; if two effective vote counts, or a
project's cost and its supporters' money, come within one part in 10⁹ of each other (where
rounding could decide), the whole count is done again in exact fractions, which decide ties
exactly. Ties between projects whose supporters all pay the same share are exact in floating
point too (their effective vote count is their number of votes).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from workbench.budget.election import Election
from workbench.budget.rules.allocation import Allocation, lot

__all__ = ["comparison_step", "equal_shares", "equal_shares_add1", "fixed_budget"]

TOLERANCE = 1e-9


class _NearDecision(Exception):
    """A decision too close to call in floating point: count again exactly."""


class _Groups:
    """Voters grouped by the money they have left: exact fractions, or floats when screening
    alone decides (``exact=False``); ``approx`` is always the float copy."""

    def __init__(self, voters: int, each: Fraction, exact: bool) -> None:
        self.exact = exact
        first = each if exact else float(each)
        self.values: list = [first]
        self._approx: list[float] = [float(each)]
        self._array: np.ndarray | None = None
        self.ids: dict = {first: 0}
        self.of_voter = np.zeros(voters, dtype=np.int64)

    @property
    def approx(self) -> np.ndarray:
        if self._array is None or len(self._array) != len(self._approx):
            self._array = np.asarray(self._approx)
        return self._array

    def group(self, budget) -> int:
        found = self.ids.get(budget)
        if found is None:
            found = self.ids[budget] = len(self.values)
            self.values.append(budget)
            self._approx.append(float(budget))
        return found


class _Count:
    """One run of MES with a fixed budget per voter, in floats (``exact=False``: raises
    ``_NearDecision`` where floats cannot decide) or in exact fractions."""

    def __init__(self, election: Election, each: Fraction, exact: bool) -> None:
        self.election = election
        self.exact = exact
        self.groups = _Groups(election.voters, each, exact)
        self.approval = election.vote_type == "approval"
        self.equal_split: dict[int, bool] = {}  # nobody short of money, clearly

    def holdings(self, project: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(group, points, how many supporters) of the project's supporters, by group."""
        groups = self.groups.of_voter[self.election.supporters[project]]
        if self.approval:
            counts = np.bincount(groups, minlength=len(self.groups.values))
            present = np.nonzero(counts)[0]
            return present, np.ones(len(present), dtype=np.int64), counts[present]
        points = self.election.points[project]
        width = int(points.max()) + 1
        keys, counts = np.unique(groups * width + points, return_counts=True)
        return keys // width, keys % width, counts

    def screen(self, project: int) -> tuple[float, float] | None:
        """(effective vote count, ρ) in floating point; None if the project is unaffordable."""
        cost = float(self.election.costs[project])
        group, points, counts = self.holdings(project)
        budgets = self.groups.approx[group]
        money = float((budgets * counts).sum())
        if money < cost * (1 - TOLERANCE):
            return None
        if money < cost * (1 + TOLERANCE):
            if not self.exact:
                raise _NearDecision
            if self.exact_money(project) < self.election.costs[project]:
                return None
        order = np.argsort(budgets / points, kind="stable")
        budgets, points, counts = budgets[order], points[order], counts[order]
        paid = np.concatenate(([0.0], np.cumsum(budgets * counts)[:-1]))
        weight = float((points * counts).sum()) - np.concatenate(
            ([0.0], np.cumsum(points * counts)[:-1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (cost - paid) / weight
            capped = rho * points > budgets
        first = int(np.argmin(capped)) if not capped.all() else len(rho) - 1
        self.equal_split[project] = first == 0 and bool(
            (budgets - rho[0] * points).min() > TOLERANCE * budgets.max())
        return cost / float(rho[first]), float(rho[first])

    def exact_money(self, project: int) -> Fraction:
        group, _points, counts = self.holdings(project)
        return sum((self.groups.values[g] * int(k) for g, k in zip(group, counts, strict=True)),
                   Fraction(0))

    def exact_rho(self, project: int) -> Fraction:
        """The payment per point ρ, exactly (the project is affordable)."""
        cost = self.election.costs[project]
        group, points, counts = self.holdings(project)
        items = sorted(((self.groups.values[g], int(w), int(k))
                        for g, w, k in zip(group, points, counts, strict=True)),
                       key=lambda item: item[0] / item[1])
        paid, weight = Fraction(0), sum(w * k for _b, w, k in items)
        rho = Fraction(0)
        for budget, points_each, how_many in items:
            rho = (cost - paid) / weight
            if rho * points_each <= budget:
                break
            paid += budget * how_many
            weight -= points_each * how_many
        return rho

    def pay(self, project: int, rho) -> None:
        """The supporters of the funded project pay ``min(budget, ρ·points)``."""
        supporters = self.election.supporters[project]
        points = self.election.points[project]
        width = int(points.max()) + 1
        keys, inverse = np.unique(self.groups.of_voter[supporters] * width + points,
                                  return_inverse=True)
        if self.exact:
            values = [max(self.groups.values[int(k) // width] - rho * (int(k) % width),
                          Fraction(0)) for k in keys]
        else:
            values = np.maximum(self.groups.approx[keys // width] - rho * (keys % width), 0.0)
            values = values.tolist()
        new = np.fromiter((self.groups.group(v) for v in values), dtype=np.int64,
                          count=len(values))
        self.groups.of_voter[supporters] = new[inverse]

    def best(self, tied: list[int]) -> int:
        """Among projects whose screened counts are within the tolerance: exact counts, then
        the lower cost, more votes, the lot."""
        election = self.election
        if len(tied) > 1:
            if all(self.equal_split[p] for p in tied):
                # Nobody short of money: the exact count is the number of points.
                counts = {p: Fraction(election.votes(p)) for p in tied}
            elif not self.exact:
                raise _NearDecision
            else:
                counts = {p: election.costs[p] / self.exact_rho(p) for p in tied}
            top = max(counts.values())
            tied = [p for p in tied if counts[p] == top]
        return min(tied, key=lambda p: (election.costs[p], -election.votes(p),
                                        lot(election.projects[p])))

    def run(self) -> list[int]:
        election = self.election
        upper = {p: float(election.points[p].sum()) for p in range(len(election.projects))
                 if election.costs[p] > 0 and len(election.supporters[p])}
        winners: list[int] = []
        rhos: dict[int, float] = {}
        while upper:
            best_count, tied = 0.0, []
            for project in sorted(upper, key=lambda p: -upper[p]):
                if upper[project] < best_count * (1 - TOLERANCE):
                    break  # counts only fall: this one and the next cannot win
                screened = self.screen(project)
                if screened is None:
                    del upper[project]
                    continue
                upper[project], rhos[project] = screened
                best_count = max(best_count, screened[0])
                tied.append(project)
            tied = [p for p in tied if upper.get(p, 0) >= best_count * (1 - TOLERANCE)]
            if not tied:
                break
            winner = self.best(tied)
            self.pay(winner, self.exact_rho(winner) if self.exact else rhos[winner])
            winners.append(winner)
            del upper[winner]
        return winners


def fixed_budget(election: Election, each: Fraction) -> tuple[list[int], bool]:
    """MES with ``each`` to spend per voter: the projects funded, in order, and whether an
    exact re-decision was needed."""
    try:
        return _Count(election, each, exact=False).run(), False
    except _NearDecision:
        return _Count(election, each, exact=True).run(), True


def equal_shares(election: Election) -> Allocation:
    """MES without completion: each voter has ``budget / voters``."""
    each = election.budget / max(election.voters, 1)
    winners, exact = fixed_budget(election, each)
    return Allocation("equalshares", tuple(winners), each, exact)


def equal_shares_add1(election: Election) -> Allocation:
    """MES with Add1 completion: from ``budget / voters`` (not rounded), one currency unit
    more per voter at a time; every outcome whose cost fits is kept, the first that overspends
    stops the completion, and the last that fitted is the result. No early stop when an
    outcome already leaves no affordable project: a larger budget per voter can still change
    which projects are funded. It stops too once every supported project is funded."""
    each = election.budget / max(election.voters, 1)
    winners, exact = fixed_budget(election, each)
    fundable = sum(1 for p in range(len(election.projects))
                   if election.costs[p] > 0 and len(election.supporters[p]))
    step = 1
    while len(winners) < fundable:
        more, more_exact = fixed_budget(election, each + step)
        if election.cost_of(more) > election.budget:
            break
        winners, exact, step = more, exact or more_exact, step + 1
    return Allocation("equalshares/add1", tuple(winners), each + step - 1, exact)


def comparison_step(election: Election, mes: Allocation, greedy: Allocation) -> Allocation:
    """Greedy replaces MES only if strictly more voters prefer it: a voter prefers the outcome
    that funds more of the projects they voted for."""
    voters = election.voters
    funded = {}
    for name, outcome in (("mes", mes), ("greedy", greedy)):
        counts = np.zeros(voters, dtype=np.int64)
        for project in outcome.selected:
            counts[election.supporters[project]] += 1
        funded[name] = counts
    prefer_greedy = int((funded["greedy"] > funded["mes"]).sum())
    prefer_mes = int((funded["mes"] > funded["greedy"]).sum())
    rule = mes.rule + "-comparison"
    if prefer_greedy > prefer_mes:
        return Allocation(rule, greedy.selected, None, mes.exact)
    return Allocation(rule, mes.selected, mes.per_voter_budget, mes.exact)
