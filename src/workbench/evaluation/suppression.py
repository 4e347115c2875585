"""Cross-tabulations with small-cell suppression, primary and secondary.

Primary: a count of 1 to ``threshold − 1`` people is never shown. Secondary: other cells are
hidden until no small cell can be narrowed, from the table's margins, to an interval missing
0 or the threshold (``workbench.evaluation.disclosure``: exact integer programming). Every
hidden cell is shown "s", small or not, so the mark tells nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.evaluation.disclosure import TableSet
from workbench.workshops.results import small_cell_threshold

__all__ = ["SECRET", "CrossTab", "crosstab", "suppress"]

SECRET = "s"  # the mark of every hidden cell (INSEE's « secret statistique »)


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
        """The grid for display: numbers, and "s" (secret) for every hidden cell, small or
        hidden so that a small one cannot be deduced (``threshold`` is kept for callers)."""
        return [[SECRET if (i, j) in self.hidden else _number(v) for j, v in enumerate(row)]
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

    Every row and column of the grid is a sum relation (cells = total); the positions are
    chosen so that each small cell keeps, for anyone who knows the published cells and
    these relations, a range of values reaching 0 and ``threshold``.
    """
    threshold = threshold or small_cell_threshold()
    tables = TableSet()
    cells = tables.grid([[round(v) for v in row] for row in counts])
    hidden = tables.protect(threshold).hidden
    return frozenset((i, j) for i, row in enumerate(cells) for j, cell in enumerate(row)
                     if cell in hidden)


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
