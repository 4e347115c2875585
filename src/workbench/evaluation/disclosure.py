"""Disclosure control for a set of linked count tables: primary and secondary suppression
checked against an integer-programming attacker.

The published figures are *cells* (non-negative integer counts) bound by *relations*: the
parts of a line add up to its total, a commune's count is part of its size class's, a
cross-tab's row total is at most the count of the same group in another table… An attacker
who knows every published value and every relation can compute, for each hidden cell, the
interval of values it may take (integer programming: min and max of the cell).

**Rule** (``Rule``): a count of 1 to ``threshold − 1`` people is *sensitive*. Once hidden, its
attacker's interval must reach both 0 and the threshold: nobody can tell whether the group is
empty, small or large enough to be published. All hidden cells carry the same mark, so the
mark itself tells nothing.

**Secondary suppression** (``protect``): sensitive cells in small batches, smallest first. For
each batch, an integer program (Fischetti and Salazar's protection subproblem, as in τ-Argus's
optimal methods) looks, for every cell of the batch, for two tables agreeing with everything
still published, one where the cell is 0 and one where it reaches the threshold, changing as
few and as small published cells as possible — interior cells first, margins dearer
(+1,000), grand totals last (+1,000,000); the cells it had to change are hidden too. Hiding
more never narrows an interval, so a cell protected stays protected and one pass suffices.
A cell no pattern can protect (a fixed total under the threshold, say) is reported.

**Audit** (``intervals``, ``audit_grid``): min and max of every hidden cell with
``scipy.optimize.milp`` (HiGHS), exact integer bounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix

__all__ = ["Protection", "Relation", "Rule", "TableSet", "audit_grid", "intervals", "protect",
           "protect_line"]

TOTAL_COST = 1_000  # extra cost of hiding a margin
GRAND_TOTAL_COST = 1_000_000  # extra cost of hiding a table's grand total


@dataclass(frozen=True)
class Relation:
    """``sum(parts) == total`` (or ``<= total`` when not ``exact``), over cell numbers."""

    total: int
    parts: tuple[int, ...]
    exact: bool = True


@dataclass(frozen=True)
class Rule:
    """Counts from 1 to ``threshold − 1`` are sensitive; a hidden one is protected when the
    attacker's interval reaches 0 and ``threshold``."""

    threshold: int

    def sensitive(self, value: int) -> bool:
        return 0 < value < self.threshold

    def protected(self, low: int, high: int) -> bool:
        return low <= 0 and high >= self.threshold


@dataclass(frozen=True)
class Protection:
    """Cells to hide, and the sensitive cells no suppression pattern can protect."""

    hidden: frozenset[int]
    unprotected: frozenset[int] = frozenset()


@dataclass
class TableSet:
    """A builder of linked tables: add cells, tables and links, then ``protect``."""

    values: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    fixed: set[int] = field(default_factory=set)  # published elsewhere: never hidden here
    relations: list[Relation] = field(default_factory=list)

    def cell(self, value: int, extra_cost: float = 0, fixed: bool = False) -> int:
        """A new cell; its cost of hiding is its value (plus one, plus ``extra_cost``)."""
        if value < 0 or int(value) != value:
            raise ValueError(f"a count must be a non-negative integer, not {value!r}")
        self.values.append(int(value))
        self.costs.append(value + 1 + extra_cost)
        if fixed:
            self.fixed.add(len(self.values) - 1)
        return len(self.values) - 1

    def link(self, total: int, parts: Iterable[int], exact: bool = True) -> None:
        """``sum(parts) == total`` (``<=`` when not exact)."""
        parts = tuple(parts)
        given = sum(self.values[p] for p in parts)
        if given > self.values[total] or (exact and given != self.values[total]):
            raise ValueError("the parts do not add up to the total")
        self.relations.append(Relation(total, parts, exact))

    def line(self, counts: Sequence[int], total_fixed: bool = False) -> tuple[list[int], int]:
        """A one-way table: its cells and its total (the grand total)."""
        cells = [self.cell(c) for c in counts]
        total = self.cell(sum(counts), GRAND_TOTAL_COST, fixed=total_fixed)
        self.link(total, cells)
        return cells, total

    def grid(self, counts: Sequence[Sequence[int]]) -> list[list[int]]:
        """A two-way table with its margins: the last column holds the row totals, the last
        row the column totals (the grand total in the corner)."""
        height, width = len(counts), len(counts[0]) if counts else 0
        cells = [[self.cell(v) for v in row] for row in counts]
        for i, row in enumerate(cells):
            row.append(self.cell(sum(counts[i]), TOTAL_COST))
        bottom = [self.cell(sum(counts[i][j] for i in range(height)), TOTAL_COST)
                  for j in range(width)]
        bottom.append(self.cell(sum(map(sum, counts)), GRAND_TOTAL_COST))
        cells.append(bottom)
        for row in cells:
            self.link(row[-1], row[:-1])
        for j in range(width + 1):
            self.link(cells[-1][j], [cells[i][j] for i in range(height)])
        return cells

    def protect(self, threshold: int, hidden: Iterable[int] = ()) -> Protection:
        return protect(self.values, self.relations, Rule(threshold), self.costs,
                       frozenset(self.fixed), frozenset(hidden))


def _matrix(n: int, relations: Sequence[Relation], offset: int = 0, width: int | None = None
            ) -> tuple[csr_matrix, np.ndarray]:
    """Rows ``sum(parts) − total`` over columns ``offset…offset+n`` of a matrix ``width``
    wide, and their lower bounds (0 if exact, else −inf; upper bounds are 0)."""
    rows, columns, data = [], [], []
    for r, relation in enumerate(relations):
        for cell, coefficient in ((p, 1.0) for p in relation.parts):
            rows.append(r), columns.append(offset + cell), data.append(coefficient)
        rows.append(r), columns.append(offset + relation.total), data.append(-1.0)
    matrix = coo_matrix((data, (rows, columns)), shape=(len(relations), width or n)).tocsr()
    lower = np.array([0.0 if r.exact else -np.inf for r in relations])
    return matrix, lower


def _ceiling(values: Sequence[int], threshold: int) -> float:
    """An upper bound on any cell in any table the attacker may consider."""
    return float(sum(values) + threshold + 1)


def intervals(values: Sequence[int], relations: Sequence[Relation], hidden: Iterable[int],
              cells: Iterable[int] | None = None, ceiling: float | None = None
              ) -> dict[int, tuple[int, int]]:
    """The attacker's exact integer interval for each hidden cell (or each of ``cells``):
    min and max subject to the published values, the relations, integrality and ≥ 0. The
    values of hidden cells are not used, except in the default ``ceiling``.

    A cell that is not bounded gets ``ceiling`` as its upper end (by default the sum of every
    value plus two). Each end is attained by a table the solver found, so an imperfect solver
    could only make an interval look narrower than it is, never wider.
    """
    hidden = frozenset(hidden)
    n = len(values)
    matrix, lower = _matrix(n, relations)
    ceiling = ceiling if ceiling is not None else _ceiling(values, 1)
    low_bounds = np.array([0.0 if i in hidden else values[i] for i in range(n)])
    high_bounds = np.array([ceiling if i in hidden else values[i] for i in range(n)])
    constraint = LinearConstraint(matrix, lower, np.zeros(len(relations)))
    result = {}
    for cell in sorted(hidden if cells is None else cells):
        ends = []
        for sign in (1.0, -1.0):
            objective = np.zeros(n)
            objective[cell] = sign
            solved = milp(objective, constraints=constraint, integrality=np.ones(n),
                          bounds=Bounds(low_bounds, high_bounds))
            if solved.x is None:
                raise ValueError("the published values contradict the relations")
            ends.append(round(solved.x[cell]))
        result[cell] = (ends[0], ends[1])
    return result


def _protection_problem(values: Sequence[int], relations: Sequence[Relation], costs:
                        Sequence[float], fixed: frozenset[int], hidden: frozenset[int],
                        cells: Sequence[int], rule: Rule) -> frozenset[int] | None:
    """The cheapest published cells to hide so that every one of ``cells`` is protected, or
    None if that is impossible.

    Variables: for each cell two alternative tables (the cell at 0, the cell at the
    threshold) and ``y_j`` = 1 when published cell ``j`` is to be hidden. In every
    alternative table a published cell keeps its value unless hidden:
    ``|x_j − a_j| ≤ big·y_j``. The objective is the cost of the cells hidden.
    """
    n = len(values)
    candidates = [j for j in range(n) if j not in hidden and j not in fixed]
    targets = [(cell, end) for cell in cells for end in (0, rule.threshold)]
    m, offsets = len(candidates), [t * n for t in range(len(targets))]
    size = len(targets) * n + m
    big = _ceiling(values, rule.threshold)
    published = np.array([0.0 if j in hidden else 1.0 for j in range(n)])
    one = np.where(published > 0, np.asarray(values, dtype=float), 0.0)
    one_high = np.where(published > 0, one, big)
    one_high[candidates] = big
    one_low = one.copy()
    one_low[candidates] = 0
    low = np.concatenate([one_low] * len(targets) + [np.zeros(m)])
    high = np.concatenate([one_high] * len(targets) + [np.ones(m)])
    for offset, (cell, end) in zip(offsets, targets, strict=True):
        low[offset + cell] = high[offset + cell] = end
    blocks = []
    for offset in offsets:
        matrix, lower = _matrix(n, relations, offset, size)
        blocks.append(LinearConstraint(matrix, lower, np.zeros(len(relations))))
    if m:
        rows, columns, data, upper = [], [], [], []
        for k, j in enumerate(candidates):
            for offset in offsets:
                for sign in (1.0, -1.0):
                    r = len(upper)
                    rows += [r, r]
                    columns += [offset + j, size - m + k]
                    data += [sign, -big]
                    upper.append(sign * values[j])
        links = coo_matrix((data, (rows, columns)), shape=(len(upper), size)).tocsr()
        blocks.append(LinearConstraint(links, -np.inf, np.array(upper)))
    objective = np.zeros(size)
    objective[size - m:] = [costs[j] for j in candidates]
    # Without presolve: HiGHS 1.16's presolve returned, as optimal, solutions hiding a cell
    # that changes nothing (feasible, hence still protecting, but wasteful).
    solved = milp(objective, constraints=blocks, integrality=np.ones(size),
                  bounds=Bounds(low, high), options={"presolve": False})
    if solved.x is None:
        return None
    return frozenset(j for k, j in enumerate(candidates) if solved.x[size - m + k] > 0.5)


def protect(values: Sequence[int], relations: Sequence[Relation], rule: Rule,
            costs: Sequence[float] | None = None, fixed: frozenset[int] = frozenset(),
            hidden: frozenset[int] = frozenset(), batch: int | None = None) -> Protection:
    """Primary suppression of the sensitive cells, then secondary suppression until every
    one is protected against an attacker who knows all published values and relations.

    Sensitive cells are taken ``batch`` at a time (by default, more for small tables: the
    problem grows with the batch), smallest first, each batch protected at the least cost
    given what is hidden already; a batch that cannot be protected is taken cell by cell to
    find the cells that cannot be.
    """
    batch = batch or max(1, min(8, 400 // max(len(values), 1)))
    costs = list(costs) if costs is not None else [v + 1 for v in values]
    sensitive = sorted((i for i, v in enumerate(values) if rule.sensitive(v) and i not in fixed),
                       key=lambda i: (values[i], i))
    hidden = set(hidden) | set(sensitive)
    unprotected: set[int] = set()
    groups = [sensitive[k:k + batch] for k in range(0, len(sensitive), batch)]
    while groups:
        group = groups.pop(0)
        extra = _protection_problem(values, relations, costs, frozenset(fixed),
                                    frozenset(hidden), group, rule)
        if extra is not None:
            hidden |= extra
        elif len(group) > 1:
            groups[:0] = [[cell] for cell in group]
        else:
            unprotected.add(group[0])
    return Protection(frozenset(hidden), frozenset(unprotected))


def protect_line(counts: Sequence[int], threshold: int) -> frozenset[int]:
    """Positions to hide in a one-way table whose total is published (here or elsewhere).

    One line needs no solver: hiding at least two counts that add up to ``threshold`` or more
    gives each small one the range 0 to that sum (``workshops.results.hidden_in_line``, the
    rule of the live results page too)."""
    from workbench.workshops.results import hidden_in_line

    return frozenset(hidden_in_line(counts, threshold))


def audit_grid(grid: Sequence[Sequence[object]], threshold: int
               ) -> dict[tuple[int, int], tuple[int, int]]:
    """A third party's audit of one published two-way table with its margins (last column:
    row totals, last row: column totals), hidden cells being anything but a number: the
    exact range of every hidden cell, from the published cells alone.

    Under the rule, a hidden cell whose range stops under ``threshold`` can only be a zero
    hidden to protect another cell; one whose range excludes 0 and stops under
    ``threshold`` is a small count given away.
    """
    tables = TableSet()
    known = [[v if isinstance(v, int | float) else None for v in row] for row in grid]
    published = [int(v) for row in known for v in row if v is not None]
    cells = [[tables.cell(int(v) if v is not None else 0) for v in row] for row in known]
    tables.relations += [Relation(row[-1], tuple(row[:-1])) for row in cells]
    tables.relations += [Relation(cells[-1][j], tuple(r[j] for r in cells[:-1]))
                         for j in range(len(cells[0]))]  # hidden values unknown: no check
    hidden = {cells[i][j] for i, row in enumerate(known) for j, v in enumerate(row) if v is None}
    ceiling = 10 * (sum(published) + threshold)
    found = intervals(tables.values, tables.relations, hidden, ceiling=ceiling)
    return {(i, j): found[cell] for i, row in enumerate(cells) for j, cell in enumerate(row)
            if cell in hidden}
