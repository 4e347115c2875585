"""MACTOR: actors' influences, balance of power and positions on objectives (Godet).

- MID: direct influences between actors (0–4, row on column). MIDI adds the order-2 indirect
  influences with the min rule: MIDI[a][b] = MID[a][b] + Σ_c min(MID[a][c], MID[c][b]),
  c ≠ a, b.
- Influence Mi and dependence Di are MIDI's row and column sums **excluding the diagonal**
  (MIDI[a][a], the actor's influence on itself through others, is left out by default).
- Balance of power: r_i = (Mi / ΣM) × Mi / (Mi + Di), normalised to r*_i = n r_i / Σ r
  (mean 1). With ``include_diagonal=True``, Mi and Di include MIDI[i][i] in r* (Godet's
  software offers both; the JSON's influence/dependence always exclude it).
- Positions: 2MAO (−4..4) as given; 1MAO its signs; 3MAO = 2MAO weighted by r*.
- Mobilisation of an actor: Σ |kMAO| over objectives; per objective: agreement (Σ of positive
  positions), disagreement (Σ of negative ones), for k = 1, 2, 3.
- Convergence between actors i and j, order k: Σ over objectives where both are for or both
  against of (|kMAO_i| + |kMAO_j|) / 2; divergence likewise where one is for and the other
  against. Diagonals are 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["Mactor", "analyse", "load_mactor", "midi"]


@dataclass(frozen=True)
class Mactor:
    actors: tuple[str, ...]
    objectives: tuple[str, ...]
    midi: np.ndarray
    influence: np.ndarray
    dependence: np.ndarray
    r_star: np.ndarray
    mao: dict[int, np.ndarray]  # 1, 2, 3 → actors × objectives
    mobilisation: dict[int, np.ndarray]  # per actor
    agreement: dict[int, np.ndarray]  # per objective
    disagreement: dict[int, np.ndarray]
    convergence: dict[int, np.ndarray]
    divergence: dict[int, np.ndarray]
    include_diagonal: bool

    def to_json(self) -> dict:
        def nested(values) -> list:
            return np.round(np.asarray(values, dtype=float), 4).tolist()

        orders = (1, 2, 3)
        return {"actors": list(self.actors), "objectives": list(self.objectives),
                "midi": self.midi.astype(int).tolist(),
                "influence": nested(self.influence), "dependence": nested(self.dependence),
                "r_star": nested(self.r_star), "r_star_includes_diagonal": self.include_diagonal,
                "mao": {str(k): nested(self.mao[k]) for k in orders},
                "mobilisation": {str(k): nested(self.mobilisation[k]) for k in orders},
                "agreement": {str(k): nested(self.agreement[k]) for k in orders},
                "disagreement": {str(k): nested(self.disagreement[k]) for k in orders},
                "convergence": {str(k): nested(self.convergence[k]) for k in orders},
                "divergence": {str(k): nested(self.divergence[k]) for k in orders}}


def midi(mid: np.ndarray) -> np.ndarray:
    """Direct and order-2 indirect influences (min rule)."""
    n = len(mid)
    out = mid.astype(float).copy()
    for a in range(n):
        for b in range(n):
            out[a, b] += sum(min(mid[a, c], mid[c, b]) for c in range(n) if c not in (a, b))
    return out


def _pairs(mao: np.ndarray, agree: bool) -> np.ndarray:
    n = len(mao)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            product = np.sign(mao[i]) * np.sign(mao[j])
            mask = product > 0 if agree else product < 0
            out[i, j] = ((np.abs(mao[i]) + np.abs(mao[j])) / 2)[mask].sum()
    return out


def analyse(actors: list[str], objectives: list[str], mid: list[list[float]],
            mao: list[list[float]], include_diagonal: bool = False) -> Mactor:
    direct = np.array(mid, dtype=float)
    positions = np.array(mao, dtype=float)
    indirect = midi(direct)
    diagonal = np.diag(indirect)
    influence = indirect.sum(axis=1) - diagonal
    dependence = indirect.sum(axis=0) - diagonal
    mi = influence + diagonal if include_diagonal else influence
    di = dependence + diagonal if include_diagonal else dependence
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(mi + di > 0, (mi / mi.sum()) * mi / (mi + di), 0.0)
    r_star = len(actors) * r / r.sum() if r.sum() else np.ones(len(actors))
    orders = {1: np.sign(positions), 2: positions, 3: positions * r_star[:, None]}
    return Mactor(tuple(actors), tuple(objectives), indirect, influence, dependence, r_star,
                  orders, {k: np.abs(m).sum(axis=1) for k, m in orders.items()},
                  {k: np.where(m > 0, m, 0).sum(axis=0) for k, m in orders.items()},
                  {k: np.where(m < 0, m, 0).sum(axis=0) for k, m in orders.items()},
                  {k: _pairs(m, True) for k, m in orders.items()},
                  {k: _pairs(m, False) for k, m in orders.items()}, include_diagonal)


def _matrix(data: dict, key: str, rows: int, columns: int, low: int, high: int,
            source: str) -> list[list[float]]:
    matrix = data.get(key)
    if not isinstance(matrix, list) or len(matrix) != rows:
        raise WorkbenchError(_("{file}: '{key}' must have {rows} rows.").format(
            file=source, key=key, rows=rows))
    for i, row in enumerate(matrix, start=1):
        if not isinstance(row, list) or len(row) != columns:
            raise WorkbenchError(_("{file}: '{key}', row {row}: {columns} values expected.")
                                 .format(file=source, key=key, row=i, columns=columns))
        for j, value in enumerate(row, start=1):
            if not isinstance(value, int) or not low <= value <= high:
                raise WorkbenchError(_("{file}: '{key}', row {row}, column {column}: "
                                       "'{value}' is not a whole number from {low} to {high}.")
                                     .format(file=source, key=key, row=i, column=j,
                                             value=value, low=low, high=high))
    return matrix


def load_mactor(path: Path, include_diagonal: bool = False) -> Mactor:
    """Read a MACTOR YAML file (actors, objectives, mid, mao) and analyse it."""
    from workbench.yamlfile import load_yaml

    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list) \
            or not isinstance(data.get("objectives"), list) or not data["actors"] \
            or not data["objectives"]:
        raise WorkbenchError(_("{file}: 'actors' and 'objectives' lists are required.")
                             .format(file=path.name))
    actors, objectives = [str(a) for a in data["actors"]], [str(o) for o in data["objectives"]]
    mid = _matrix(data, "mid", len(actors), len(actors), 0, 4, path.name)
    mao = _matrix(data, "mao", len(actors), len(objectives), -4, 4, path.name)
    return analyse(actors, objectives, mid, mao, include_diagonal)
