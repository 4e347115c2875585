"""Cross-tabulations with small-cell suppression, primary and secondary.

Primary: a count of 1 to ``threshold − 1`` people is never shown. Secondary: a row or column
(with its total shown) holding exactly one suppressed cell would give it away by subtraction,
so the next smallest non-zero cell of that line is suppressed too (or, when there is none, the
line's total). Repeated until no line reveals a cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.workshops.results import small_cell_threshold

__all__ = ["CrossTab", "crosstab", "suppress"]


@dataclass(frozen=True)
class CrossTab:
    """Counts with their suppression marks.

    ``hidden`` holds (row, column) positions in the grid with margins: column
    ``len(columns)`` is the row totals, row ``len(rows)`` the column totals.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[float, ...], ...]  # weighted when weights were given
    hidden: frozenset[tuple[int, int]]
    people: tuple[tuple[int, ...], ...] = ()  # unweighted: who is behind each cell

    def grid(self) -> list[list[float]]:
        """Counts with a total column and a total row."""
        rows = [[*row, sum(row)] for row in self.counts]
        totals = [sum(r[j] for r in rows) for j in range(len(self.columns) + 1)]
        return [*rows, totals]

    def shown(self, threshold: int | None = None) -> list[list[object]]:
        """The grid for display: numbers; "< 5" for a small cell, "s" (secret) for a cell
        hidden only so that a small one cannot be deduced."""
        threshold = threshold or small_cell_threshold()
        people = self.people_grid()
        return [[(f"< {threshold}" if 0 < people[i][j] < threshold else "s")
                 if (i, j) in self.hidden else _number(v) for j, v in enumerate(row)]
                for i, row in enumerate(self.grid())]

    def people_grid(self) -> list[list[float]]:
        return _with_margins(self.people)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 1)


def _with_margins(counts: Sequence[Sequence[float]]) -> list[list[float]]:
    rows = [[*row, sum(row)] for row in counts]
    width = len(rows[0]) if rows else 1
    return [*rows, [sum(r[j] for r in rows) for j in range(width)]]


def suppress(counts: Sequence[Sequence[float]], threshold: int | None = None
             ) -> frozenset[tuple[int, int]]:
    """Positions to hide in the grid of ``counts`` with its margins (see ``CrossTab``).

    Every row and column of the grid is a sum relation (cells = total): none may hold exactly
    one hidden value, or subtraction would reveal it.
    """
    threshold = threshold or small_cell_threshold()
    grid = _with_margins(counts)
    height, width = len(grid), len(grid[0])
    hidden = {(i, j) for i in range(height) for j in range(width)
              if 0 < grid[i][j] < threshold}
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(c in hidden for c in line) != 1:
                continue
            candidates = sorted(((i, j) == (height - 1, width - 1), grid[i][j], (i, j))
                                for i, j in line if (i, j) not in hidden and grid[i][j] > 0)
            if candidates:  # the grand total only as a last resort
                hidden.add(candidates[0][2])
                changed = True
    return frozenset(hidden)


def crosstab(rows: Sequence[str], columns: Sequence[str], row_values: Sequence[str],
             column_values: Sequence[str], weights: Sequence[float] | None = None,
             threshold: int | None = None) -> CrossTab:
    """Counts of (row category, column category) pairs, with suppression applied.

    Suppression is decided on unweighted counts (the people behind a cell), whatever the
    weights shown.
    """
    weights = list(weights) if weights is not None else [1.0] * len(row_values)
    people = Counter(zip(row_values, column_values, strict=True))
    weighted: Counter = Counter()
    for pair, w in zip(zip(row_values, column_values, strict=True), weights, strict=True):
        weighted[pair] += w
    raw = [[people.get((r, c), 0) for c in columns] for r in rows]
    counts = tuple(tuple(weighted.get((r, c), 0.0) for c in columns) for r in rows)
    return CrossTab(tuple(rows), tuple(columns), counts, suppress(raw, threshold),
                    tuple(tuple(r) for r in raw))
