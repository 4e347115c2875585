"""A lottery over panels that is a function of its inputs only (leximin, HiGHS, fixed order).

Panels are the sets of ``seats`` candidates meeting every quota. The lottery maximises the
smallest selection probability (maximin); among the lotteries that do, it maximises the second
smallest, and so on (leximin: Flanigan et al., Nature 2021). The leximin probability of each
candidate is unique, so it is a property of the inputs and not of a solver's path; the weights
over panels are then found by one final linear programme.

Everything that reaches the solver is in a fixed order (candidates by id, panels in the order
found, then sorted), no set or dict is iterated, and HiGHS runs on one thread with a fixed random
seed (``HIGHS_OPTIONS``): the same inputs and versions give the same lottery in any process,
whatever ``PYTHONHASHSEED``. The draw's seed only picks one panel from the lottery (``sample``).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

__all__ = ["HIGHS_OPTIONS", "Group", "InfeasibleError", "Lottery", "SolverError",
           "leximin_lottery"]

HIGHS_OPTIONS: dict[str, object] = {
    "output_flag": False, "threads": 1, "parallel": "off", "random_seed": 0,
    "presolve": "on", "solver": "choose", "simplex_strategy": 1, "mip_rel_gap": 0.0,
    "mip_abs_gap": 1e-9, "primal_feasibility_tolerance": 1e-9,
    "dual_feasibility_tolerance": 1e-9,
}
PRICING_TOLERANCE = 1e-7  # a panel improves the dual only by more than this
FIX_THRESHOLD = 1e-6  # dual weight above which a probability is fixed (binding in every optimum)
RELAX_STEP = 1e-7  # lowered fixed probabilities if rounding made them infeasible together
MAX_RELAXATIONS = 1000
MIN_WEIGHT = 1e-12  # panel weights below this (solver noise) are dropped


class InfeasibleError(Exception):
    """No panel meets the quotas."""


class SolverError(Exception):
    """HiGHS stopped without an answer (its status in words)."""


@dataclass(frozen=True)
class Group:
    """A quota: between ``min`` and ``max`` of the candidates ``members`` (indices)."""

    members: tuple[int, ...]
    min: int
    max: int


@dataclass(frozen=True)
class Lottery:
    """Panels (sorted ids, in sorted order) and their weights (summing to 1)."""

    panels: tuple[tuple[str, ...], ...]
    weights: tuple[float, ...]

    def probabilities(self, ids: Sequence[str]) -> dict[str, float]:
        """Each candidate's chance of a seat: the weight of the panels including them."""
        chance = dict.fromkeys(ids, 0.0)
        for panel, weight in zip(self.panels, self.weights, strict=True):
            for person in panel:
                chance[person] += weight
        return chance

    def sample(self, seed: int) -> tuple[str, ...]:
        """The panel whose cumulative weight first exceeds ``u × total``, where ``u`` is the
        first ``random.Random(seed).random()``."""
        cumulative = list(accumulate(self.weights))
        u = random.Random(seed).random() * cumulative[-1]
        return self.panels[min(bisect_right(cumulative, u), len(self.panels) - 1)]


def _highs():
    import highspy

    solver = highspy.Highs()
    for name, value in HIGHS_OPTIONS.items():
        solver.setOptionValue(name, value)
    return solver


def _optimal(solver) -> bool:
    """Solve: ``True`` if optimal, ``False`` if infeasible or unbounded, else ``SolverError``."""
    import highspy

    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return True
    if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnbounded,
                  highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return False
    raise SolverError(solver.modelStatusToString(status))


class _Pricer:
    """The integer programme whose solutions are the panels: best panel for given weights."""

    def __init__(self, size: int, groups: Sequence[Group], seats: int) -> None:
        import highspy
        import numpy as np

        self.size = size
        self.solver = _highs()
        inf = highspy.kHighsInf
        for _ in range(size):
            self.solver.addCol(0.0, 0.0, 1.0, 0, np.array([], np.int32), np.array([]))
        self.solver.changeColsIntegrality(
            size, np.arange(size, dtype=np.int32),
            np.array([highspy.HighsVarType.kInteger] * size))
        self.solver.addRow(seats, seats, size, np.arange(size, dtype=np.int32), np.ones(size))
        for group in groups:
            self.solver.addRow(group.min, group.max if group.max < size else inf,
                               len(group.members), np.array(group.members, np.int32),
                               np.ones(len(group.members)))
        self.solver.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def best(self, weights: Sequence[float]) -> tuple[int, ...]:
        """The panel (candidate indices, ascending) with the largest total weight."""
        import numpy as np

        self.solver.changeColsCost(self.size, np.arange(self.size, dtype=np.int32),
                                   np.array(weights, dtype=float))
        if not _optimal(self.solver):
            raise InfeasibleError
        values = self.solver.getSolution().col_value
        return tuple(i for i in range(self.size) if values[i] > 0.5)


@dataclass(frozen=True)
class _Stage:
    """The restricted dual of one leximin stage, solved: weights ``y``, cap and value."""

    y: tuple[float, ...]
    cap: float
    value: float


class _Dual:
    """The restricted dual of one leximin stage, grown one panel at a time (warm starts):

    min cap − Σ fixed_i·y_i  s.t.  Σ_{i∈P} y_i ≤ cap for every panel P,  Σ_{i unfixed} y_i = 1,
    one variable per covered candidate (in ``covered`` order), then the cap.
    """

    def __init__(self, panels: Sequence[tuple[int, ...]], covered: Sequence[int],
                 fixed: dict[int, float]) -> None:
        import highspy
        import numpy as np

        self.solver = _highs()
        self.position = {person: k for k, person in enumerate(covered)}
        self.cap = len(covered)
        for person in covered:
            self.solver.addCol(-fixed.get(person, 0.0), 0.0, highspy.kHighsInf, 0,
                               np.array([], np.int32), np.array([]))
        self.solver.addCol(1.0, 0.0, highspy.kHighsInf, 0, np.array([], np.int32),
                           np.array([]))
        free = [self.position[i] for i in covered if i not in fixed]
        self.solver.addRow(1.0, 1.0, len(free), np.array(free, np.int32), np.ones(len(free)))
        for panel in panels:
            self.add(panel)

    def add(self, panel: tuple[int, ...]) -> None:
        """The constraint of one more panel."""
        import highspy
        import numpy as np

        index = [self.position[i] for i in panel] + [self.cap]
        self.solver.addRow(-highspy.kHighsInf, 0.0, len(index), np.array(index, np.int32),
                           np.array([1.0] * len(panel) + [-1.0]))

    def solve(self) -> _Stage | None:
        """The weights, cap and value; ``None`` when the fixed probabilities turned out (by
        rounding) not to be reachable together."""
        if not _optimal(self.solver):
            return None
        values = self.solver.getSolution().col_value
        return _Stage(tuple(values[:self.cap]), values[self.cap],
                      self.solver.getInfo().objective_function_value)


def _initial_panels(pricer: _Pricer) -> tuple[list[tuple[int, ...]], list[int]]:
    """One panel for each candidate who can sit on some panel, in candidate order."""
    panels: list[tuple[int, ...]] = []
    covered: set[int] = set()
    excluded: set[int] = set()
    for person in range(pricer.size):
        if person in covered or person in excluded:
            continue
        panel = pricer.best([1.0 if i == person else 0.0 for i in range(pricer.size)])
        if person in panel:
            panels.append(panel)
            covered.update(panel)
        else:
            excluded.add(person)
    return panels, sorted(covered)


def _stage(pricer: _Pricer, panels: list[tuple[int, ...]], covered: Sequence[int],
           fixed: dict[int, float]) -> None:
    """Column generation for one stage; fixes the probabilities binding in every optimum."""
    known = set(panels)
    relaxations = 0
    dual = _Dual(panels, covered, fixed)
    while True:
        stage = dual.solve()
        if stage is None:
            relaxations += 1
            if relaxations > MAX_RELAXATIONS:
                raise InfeasibleError
            for person in sorted(fixed):
                fixed[person] = max(0.0, fixed[person] - RELAX_STEP)
            dual = _Dual(panels, covered, fixed)
            continue
        weights = [0.0] * pricer.size
        for person, y in zip(covered, stage.y, strict=True):
            weights[person] = y
        panel = pricer.best(weights)
        if sum(weights[i] for i in panel) <= stage.cap + PRICING_TOLERANCE or panel in known:
            break
        panels.append(panel)
        known.add(panel)
        dual.add(panel)
    level = min(1.0, max(0.0, stage.value))
    for person, y in zip(covered, stage.y, strict=True):
        if person not in fixed and y > FIX_THRESHOLD:
            fixed[person] = level


def _weights(panels: Sequence[tuple[int, ...]], covered: Sequence[int],
             fixed: dict[int, float]) -> list[float]:
    """Panel weights reaching the fixed probabilities: min ε s.t. p_i ≥ fixed_i − ε, Σ w = 1."""
    import highspy
    import numpy as np

    solver = _highs()
    rows: dict[int, list[int]] = {person: [] for person in covered}
    for column, panel in enumerate(panels):
        solver.addCol(0.0, 0.0, 1.0, 0, np.array([], np.int32), np.array([]))
        for person in panel:
            rows[person].append(column)
    slack = len(panels)
    solver.addCol(1.0, 0.0, highspy.kHighsInf, 0, np.array([], np.int32), np.array([]))
    solver.addRow(1.0, 1.0, slack, np.arange(slack, dtype=np.int32), np.ones(slack))
    for person in covered:
        index = [*rows[person], slack]
        solver.addRow(fixed[person], highspy.kHighsInf, len(index), np.array(index, np.int32),
                      np.ones(len(index)))
    if not _optimal(solver):
        raise InfeasibleError
    values = solver.getSolution().col_value
    return [min(1.0, max(0.0, values[k])) for k in range(slack)]


def leximin_lottery(ids: Sequence[str], groups: Sequence[Group], seats: int) -> Lottery:
    """The leximin lottery over panels of ``seats`` among ``ids`` meeting ``groups``.

    ``ids`` must be in a canonical order (sorted) and each group's members ascending.
    Raises ``InfeasibleError`` when no panel meets the quotas.
    """
    import highspy

    # HiGHS keeps one thread scheduler per process and refuses "threads = 1" once another
    # model (e.g. sortition-algorithms') has started it with more: start it afresh.
    highspy.Highs.resetGlobalScheduler(True)
    pricer = _Pricer(len(ids), groups, seats)
    panels, covered = _initial_panels(pricer)
    if not panels:
        raise InfeasibleError
    fixed: dict[int, float] = {}
    while len(fixed) < len(covered):
        _stage(pricer, panels, covered, fixed)
    ordered = sorted(panels, key=lambda panel: [ids[i] for i in panel])
    weights = _weights(ordered, covered, fixed)
    kept = [(tuple(ids[i] for i in panel), w) for panel, w in zip(ordered, weights, strict=True)
            if w >= MIN_WEIGHT]
    total = sum(w for _panel, w in kept)
    return Lottery(tuple(panel for panel, _w in kept), tuple(w / total for _panel, w in kept))
