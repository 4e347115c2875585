"""MICMAC structural analysis: direct and indirect influence/dependence of variables.

Input: the direct influence matrix M (row i influences column j) with cells 0–3 or P
(potential influence). The direct matrix counts P as 0; the potential matrix replaces P by
``potential`` (3 by default). Indirect scores are the row and column sums of M^k, for the
first k ≥ 2 such that both rankings are the same at k and k + 1 (rescaled so that their total
equals the direct total, to share the direct plane's scale).

Classification on the influence/dependence plane, around the mean axes: influentes (high
influence, low dependence), relais (both high), dépendantes (low influence, high dependence),
autonomes (both low); a variable within 15 % of both means is régulatrice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.errors import WorkbenchError
from workbench.foresight.tables import read_square
from workbench.i18n import _

__all__ = ["Micmac", "analyse", "classify", "ranking", "read_matrix"]

ALLOWED = {"0", "1", "2", "3", "P"}
MAX_VARIABLES = 100
REGULATING = 0.15


@dataclass(frozen=True)
class Plane:
    influence: tuple[float, ...]
    dependence: tuple[float, ...]


@dataclass(frozen=True)
class Micmac:
    variables: tuple[str, ...]
    k: int
    direct: Plane
    indirect: Plane
    potential_direct: Plane
    potential_indirect: Plane
    classification: dict[str, str]
    indirect_classification: dict[str, str]
    shifts: dict[str, int]  # influence rank direct − indirect (positive: rises)

    def to_json(self) -> dict:
        plane = lambda p: {"influence": list(p.influence),  # noqa: E731
                           "dependence": list(p.dependence)}
        return {"variables": list(self.variables), "k": self.k,
                "direct": plane(self.direct), "indirect": plane(self.indirect),
                "potential": {"direct": plane(self.potential_direct),
                              "indirect": plane(self.potential_indirect)},
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


def ranking(scores: np.ndarray) -> tuple[int, ...]:
    """1 for the highest score; ties share the better rank."""
    return tuple(int((scores > s).sum()) + 1 for s in scores)


def _matrix(cells: list[list[str]], potential: float | None) -> np.ndarray:
    special = {"P": potential or 0.0, "": 0.0}
    return np.array([[special[c] if c in special else float(c) for c in row]
                     for row in cells], dtype=float)


def _indirect(matrix: np.ndarray, max_k: int) -> tuple[int, np.ndarray]:
    """Smallest k ≥ 2 with the same rankings at k and k + 1, and M^k (rescaled powers)."""
    power = matrix @ matrix
    k = 2
    while True:
        following = power @ matrix
        scale = following.max() or 1.0
        following = following / scale  # keep the numbers finite; rankings are unchanged
        same = (ranking(power.sum(axis=1)) == ranking(following.sum(axis=1))
                and ranking(power.sum(axis=0)) == ranking(following.sum(axis=0)))
        if same or k >= max_k:
            return k, power
        power, k = following, k + 1


def _plane(matrix: np.ndarray, total: float) -> Plane:
    influence, dependence = matrix.sum(axis=1), matrix.sum(axis=0)
    scale = total / influence.sum() if influence.sum() else 0.0
    return Plane(tuple(round(float(x * scale), 4) for x in influence),
                 tuple(round(float(x * scale), 4) for x in dependence))


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


def analyse(variables: list[str], cells: list[list[str]], potential: float = 3.0,
            max_k: int = 30) -> Micmac:
    """The whole structural analysis of a matrix."""
    names = tuple(variables)
    direct = _matrix(cells, None)
    with_potential = _matrix(cells, potential)
    k, power = _indirect(direct, max_k)
    _pk, potential_power = _indirect(with_potential, max_k)
    direct_plane = _plane(direct, direct.sum())
    indirect_plane = _plane(power, direct.sum())
    direct_rank = ranking(np.array(direct_plane.influence))
    indirect_rank = ranking(np.array(indirect_plane.influence))
    return Micmac(names, k, direct_plane, indirect_plane,
                  _plane(with_potential, with_potential.sum()),
                  _plane(potential_power, with_potential.sum()),
                  classify(direct_plane, names), classify(indirect_plane, names),
                  {n: d - i for n, d, i in zip(names, direct_rank, indirect_rank,
                                               strict=True)})
