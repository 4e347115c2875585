"""MICMAC structural analysis: direct and indirect influence/dependence of variables.

Input: the direct influence matrix M (row i influences column j) with cells 0–3 or P
(potential influence). The direct matrix counts P as 0; the potential matrix replaces P by
``potential`` (3 by default). Indirect scores are the row and column sums of M^k, computed in
exact integers (u_k = M·u_(k−1) and v_k = v_(k−1)·M from vectors of ones, which are M^k's row
and column sums), so ties stay ties. k is the first k ≥ 2 from which both rankings stay the same
up to max_k + 1; the sums are rescaled so that their total equals the direct total, to share
the direct plane's scale. When the rankings never settle that far, ``Settling`` says why:
``periodic`` (the rankings repeat every ``period`` powers from k, e.g. odd and even powers of
a two-step cycle), ``vanishing`` (M^k = 0: no chain of influences that long; the last non-zero
power is shown) or ``unsettled`` (M^max_k is shown).

Classification on the influence/dependence plane, around the mean axes: influentes (high
influence, low dependence), relais (both high), dépendantes (low influence, high dependence),
autonomes (both low); a variable within 15 % of both means is régulatrice.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.errors import WorkbenchError
from workbench.foresight.tables import read_square
from workbench.i18n import _

__all__ = ["Micmac", "Settling", "analyse", "classify", "ranking", "read_matrix"]

ALLOWED = {"0", "1", "2", "3", "P"}
MAX_VARIABLES = 100
REGULATING = 0.15
STABLE, PERIODIC, VANISHING, UNSETTLED = "stable", "periodic", "vanishing", "unsettled"

Matrix = list[list[int]]
Sums = tuple[tuple[int, ...], tuple[int, ...]]  # row and column sums of one power


@dataclass(frozen=True)
class Plane:
    influence: tuple[float, ...]
    dependence: tuple[float, ...]


@dataclass(frozen=True)
class Settling:
    """Which power M^k the indirect plane shows, and whether its rankings settle there."""

    k: int
    status: str  # STABLE, PERIODIC, VANISHING or UNSETTLED
    period: int | None = None  # PERIODIC: the rankings repeat every `period` powers from k
    vanishes_at: int | None = None  # VANISHING: the first power that is all zero

    @property
    def stable(self) -> bool:
        return self.status == STABLE

    def to_json(self) -> dict:
        return {"k": self.k, "stable": self.stable, "stability": self.status,
                "period": self.period, "vanishes_at": self.vanishes_at}

    def describe(self) -> str:
        """A French clause (lower case, final stop) on the indirect rankings."""
        if self.status == STABLE:
            return _("indirect rankings stable at k = {k}.").format(k=self.k)
        if self.status == PERIODIC:
            return _("the indirect rankings do not stabilise: they alternate with period "
                     "{period} from k = {k}; the indirect plane shows M^{k}.").format(
                period=self.period, k=self.k)
        if self.status == VANISHING and self.vanishes_at == 1:
            return _("the matrix holds no influence: no indirect ranking.")
        if self.status == VANISHING:
            return _("indirect influences vanish from k = {end} (no chain of {end} "
                     "influences): no stable indirect ranking; the indirect plane shows "
                     "M^{k}.").format(end=self.vanishes_at, k=self.k)
        return _("the indirect rankings do not stabilise up to k = {k}; the indirect plane "
                 "shows M^{k}.").format(k=self.k)


@dataclass(frozen=True)
class Micmac:
    variables: tuple[str, ...]
    settling: Settling
    direct: Plane
    indirect: Plane
    potential_direct: Plane
    potential_indirect: Plane
    potential_settling: Settling
    classification: dict[str, str]
    indirect_classification: dict[str, str]
    shifts: dict[str, int]  # influence rank direct − indirect (positive: rises)

    @property
    def k(self) -> int:
        """The power M^k shown on the indirect plane."""
        return self.settling.k

    @property
    def stable(self) -> bool:
        """Whether the indirect rankings settle at k (and stay so up to max_k + 1)."""
        return self.settling.stable

    @property
    def period(self) -> int | None:
        """For rankings that repeat instead of settling: every how many powers."""
        return self.settling.period

    def to_json(self) -> dict:
        plane = lambda p: {"influence": list(p.influence),  # noqa: E731
                           "dependence": list(p.dependence)}
        return {"variables": list(self.variables), **self.settling.to_json(),
                "direct": plane(self.direct), "indirect": plane(self.indirect),
                "potential": {"direct": plane(self.potential_direct),
                              "indirect": plane(self.potential_indirect),
                              **self.potential_settling.to_json()},
                "classification": self.classification,
                "indirect_classification": self.indirect_classification,
                "ranking_shifts": self.shifts}


def read_matrix(path: Path) -> tuple[list[str], list[list[str]]]:
    """Variables and cells of a MICMAC matrix file; French errors with row and column."""
    labels, cells = read_square(path, ALLOWED)
    if len(labels) > MAX_VARIABLES:
        raise WorkbenchError(_("{file}: {n} variables, {max} at most.").format(
            file=path.name, n=len(labels), max=MAX_VARIABLES))
    for i in range(len(labels)):
        if cells[i][i] not in ("0", ""):
            raise WorkbenchError(_("{file}, row {row}, column {column}: the diagonal must be 0 "
                                   "(a variable does not influence itself).").format(
                file=path.name, row=i + 2, column=i + 2))
    return labels, cells


def ranking(scores: Sequence) -> tuple[int, ...]:
    """1 for the highest score; ties share the better rank."""
    ascending = sorted(scores)
    return tuple(len(ascending) - bisect.bisect_right(ascending, s) + 1 for s in scores)


def _matrix(cells: list[list[str]], potential: int) -> Matrix:
    special = {"P": potential, "": 0}
    return [[special[c] if c in special else int(c) for c in row] for row in cells]


def _sums(matrix: Matrix, last: int) -> list[Sums]:
    """Row and column sums of M^1 … M^last, exactly: u_k = M·u_(k−1), v_k = v_(k−1)·M."""
    m = np.array(matrix, dtype=object)  # Python integers: no overflow, no rounding
    rows = columns = np.ones(len(matrix), dtype=object)
    out = []
    for _k in range(last):
        rows, columns = m.dot(rows), columns.dot(m)
        out.append((tuple(rows.tolist()), tuple(columns.tolist())))
    return out


def _repeating_from(states: dict[int, tuple], period: int, last: int) -> int:
    """The first power k ≥ 2 from which the rankings repeat every ``period`` up to ``last``."""
    start = last - period + 1
    while start > 2 and states[start - 1] == states[start - 1 + period]:
        start -= 1
    return start


def _settle(sums: list[Sums], max_k: int) -> Settling:
    """The power to show and whether its rankings settle, from the sums of M^1 … M^(max_k+1)."""
    vanished = next((k for k, (rows, _c) in enumerate(sums, 1) if not any(rows)), None)
    if vanished is not None:
        return Settling(max(vanished - 1, 1), VANISHING, vanishes_at=vanished)
    states = {k: (ranking(rows), ranking(columns)) for k, (rows, columns) in enumerate(sums, 1)}
    last = max_k + 1
    start = _repeating_from(states, 1, last)
    if start <= max_k:  # the same rankings at least at k and k + 1, and up to max_k + 1
        return Settling(start, STABLE)
    for period in range(2, (last - 1) // 2 + 1):
        start = _repeating_from(states, period, last)
        if last - start + 1 >= 2 * period:  # at least two whole periods seen
            return Settling(start, PERIODIC, period=period)
    return Settling(max_k, UNSETTLED)


def _plane(sums: Sums, total: int) -> Plane:
    """Influence and dependence rescaled so that their total is ``total``."""
    whole = sum(sums[0])
    return Plane(*(tuple(round(x * total / whole, 4) if whole else 0.0 for x in scores)
                   for scores in sums))


def _planes(matrix: Matrix, max_k: int) -> tuple[Plane, Plane, Settling]:
    """Direct plane, indirect plane (M^k rescaled to the direct total) and their settling."""
    sums = _sums(matrix, max_k + 1)
    settling = _settle(sums, max_k)
    total = sum(sums[0][0])
    return _plane(sums[0], total), _plane(sums[settling.k - 1], total), settling


def classify(plane: Plane, variables: tuple[str, ...]) -> dict[str, str]:
    influence, dependence = np.array(plane.influence), np.array(plane.dependence)
    mean_i, mean_d = influence.mean(), dependence.mean()
    out = {}
    for name, i, d in zip(variables, influence, dependence, strict=True):
        if abs(i - mean_i) <= REGULATING * mean_i and abs(d - mean_d) <= REGULATING * mean_d:
            out[name] = "régulatrice"
        elif i >= mean_i:
            out[name] = "relais" if d >= mean_d else "influente"
        else:
            out[name] = "dépendante" if d >= mean_d else "autonome"
    return out


def analyse(variables: list[str], cells: list[list[str]], potential: int = 3,
            max_k: int = 30) -> Micmac:
    """The whole structural analysis of a matrix (``potential``: the whole number for P)."""
    if potential != int(potential):
        raise ValueError(f"potential must be a whole number, not {potential}")
    names = tuple(variables)
    direct_plane, indirect_plane, settling = _planes(_matrix(cells, 0), max_k)
    potential_direct, potential_indirect, potential_settling = _planes(
        _matrix(cells, int(potential)), max_k)
    direct_rank = ranking(direct_plane.influence)
    indirect_rank = ranking(indirect_plane.influence)
    return Micmac(names, settling, direct_plane, indirect_plane, potential_direct,
                  potential_indirect, potential_settling,
                  classify(direct_plane, names), classify(indirect_plane, names),
                  {n: d - i for n, d, i in zip(names, direct_rank, indirect_rank,
                                               strict=True)})
