"""Calibration of respondents' weights to census margins: raking, with bounds if asked.

Each respondent has a category on every margin (e.g. age band, size of commune). The weights
``w`` (mean 1) are the closest to 1 in the raking distance ``Σ w log w − w + 1`` such that, on
every margin, the weighted shares equal the targets and, when bounds are given,
``floor ≤ w ≤ cap``. The solution is ``w = clip(exp(x·λ), floor, cap)``, with one multiplier
``λ`` per category, found by Newton's method on the convex dual with a backtracking line
search (Deville & Särndal 1992, "Calibration estimators in survey sampling", JASA 87; the
raking ratio truncated to its bounds, as R's
``survey::calibrate(calfun = "raking", bounds = c(floor, cap))`` does — not CALMAR's logit
method, whose bounds come from the distance function itself). Without bounds this is
classical raking, whose weights iterative proportional fitting also reaches (tested against
``ipfn``); with bounds that do not bind, the very same weights.

When no weights within the bounds meet every margin, the best weights found are returned
(still within the bounds), with ``converged`` False and the margins not met listed.
Categories of a margin with no respondent must be merged beforehand: see ``merge_empty``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.evaluation.stats import effective_size
from workbench.i18n import _

__all__ = ["BOUNDED_RAKING", "RAKING", "MarginGap", "Merge", "RakingResult", "merge_empty",
           "rake"]

RAKING = "raking"  # no bounds
BOUNDED_RAKING = "bounded raking"  # raking ratio truncated to [floor, cap]
AT_BOUND = 1e-6  # relative distance under which a weight counts as at its bound


@dataclass(frozen=True)
class MarginGap:
    """A category whose weighted share misses its target (shares 0–1)."""

    margin: str  # the margin's key (census dimension, e.g. "age")
    category: str
    target: float
    weighted: float

    @property
    def gap(self) -> float:
        return self.weighted - self.target


@dataclass(frozen=True)
class Merge:
    """A census category with no respondent, merged with a neighbour before weighting."""

    margin: str  # the margin's label, as the framework names it (e.g. "âge")
    empty: str  # the category (or group of categories) without respondent
    neighbour: str  # the adjacent category (or group) it was merged with
    group: str  # the merged category, e.g. "15-29 ans + 30-44 ans"

    @property
    def sentence(self) -> str:
        """The merge in a French sentence, for reports."""
        return _("{margin}: no answer in '{empty}'; merged with the neighbouring category "
                 "'{neighbour}' for the weighting.").format(
                     margin=self.margin, empty=self.empty, neighbour=self.neighbour)


@dataclass(frozen=True)
class RakingResult:
    """Weights of mean 1 and how well they meet the margins."""

    weights: tuple[float, ...]  # mean 1
    iterations: int  # Newton steps
    converged: bool  # every margin met within the tolerance (and the bounds)
    effective_size: float  # Kish: (Σw)² / Σw²
    max_gap: float  # largest |weighted share − target|, in share points (0–1)
    method: str = RAKING  # RAKING or BOUNDED_RAKING
    bounds: tuple[float, float] | None = None  # (floor, cap) on weights of mean 1
    at_cap: int = 0  # weights at the cap
    at_floor: int = 0  # weights at the floor
    design_effect: float = 1.0  # Kish: n / effective size = 1 + CV² of the weights
    unmet: tuple[MarginGap, ...] = ()  # categories missed by more than the tolerance
    merges: tuple[Merge, ...] = ()  # census categories merged first (set by the caller)


def _group_name(categories: Sequence[str]) -> str:
    return " + ".join(categories)


def merge_empty(margin: str, order: Sequence[str], shares: Mapping[str, float],
                seen: Collection[str]) -> tuple[dict[str, str], tuple[Merge, ...]]:
    """Merge ordered categories (e.g. age bands) without respondent with an adjacent one.

    Rule: an empty category joins the adjacent category (or group) that has respondents,
    else the one with the smaller population share, the preceding one on a tie; repeated
    until every group has respondents. Returns category → merged name, and the merges.
    """
    groups = [[c] for c in order]

    def populated(group: list[str]) -> bool:
        return any(c in seen for c in group)

    merges: list[Merge] = []
    while len(groups) > 1 and not all(map(populated, groups)):
        empty = next(i for i, g in enumerate(groups) if not populated(g))
        other = min((j for j in (empty - 1, empty + 1) if 0 <= j < len(groups)),
                    key=lambda j: (not populated(groups[j]),
                                   sum(shares.get(c, 0.0) for c in groups[j]), j))
        low, high = sorted((empty, other))
        merged = groups[low] + groups[high]
        merges.append(Merge(margin, _group_name(groups[empty]), _group_name(groups[other]),
                            _group_name(merged)))
        groups[low:high + 1] = [merged]
    return {c: _group_name(g) for g in groups for c in g}, tuple(merges)


@dataclass(frozen=True)
class _Margins:
    """Respondents' categories as integer codes, and the target shares, margin by margin."""

    names: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    codes: tuple[np.ndarray, ...]
    targets: tuple[np.ndarray, ...]

    def design(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """One column for the total, one per category but each margin's first."""
        columns, goals = [np.ones(n)], [1.0]
        for codes, targets in zip(self.codes, self.targets, strict=True):
            for k in range(1, len(targets)):
                columns.append((codes == k).astype(float))
                goals.append(float(targets[k]))
        return np.column_stack(columns), np.array(goals)

    def shares(self, weights: np.ndarray, total: float) -> list[np.ndarray]:
        return [np.bincount(codes, weights, len(targets)) / total
                for codes, targets in zip(self.codes, self.targets, strict=True)]

    def worst(self, weights: np.ndarray, total: float) -> float:
        return max((float(np.abs(s - t).max()) for s, t in
                    zip(self.shares(weights, total), self.targets, strict=True)), default=0.0)

    def gaps(self, weights: np.ndarray, tolerance: float) -> tuple[MarginGap, ...]:
        found = []
        for name, categories, got, targets in zip(
                self.names, self.categories, self.shares(weights, float(weights.sum())),
                self.targets, strict=True):
            found += [MarginGap(name, c, float(t), float(s))
                      for c, s, t in zip(categories, got, targets, strict=True)
                      if abs(s - t) > tolerance]
        return tuple(found)


def _margins(rows: Sequence[Mapping[str, str]],
             targets: Mapping[str, Mapping[str, float]]) -> _Margins:
    """Codes and normalised targets; French ``ValueError`` for categories that cannot match."""
    names, categories, codes, goals = [], [], [], []
    for margin, shares in targets.items():
        total = sum(shares.values())
        seen = {row[margin] for row in rows}
        if seen - set(shares):
            raise ValueError(_("Margin '{margin}': categories without a target: {cats}.")
                             .format(margin=margin,
                                     cats=", ".join(sorted(map(str, seen - set(shares))))))
        empty = [c for c, s in shares.items() if s > 0 and c not in seen]
        if empty:
            raise ValueError(_("Margin '{margin}': no answer in '{cats}'; merge these "
                               "categories.").format(margin=margin,
                                                     cats=", ".join(map(str, empty))))
        kept = tuple(c for c in shares if c in seen)
        index = {c: k for k, c in enumerate(kept)}
        names.append(margin)
        categories.append(kept)
        codes.append(np.array([index[row[margin]] for row in rows], dtype=int))
        goals.append(np.array([shares[c] / total for c in kept]))
    return _Margins(tuple(names), tuple(categories), tuple(codes), tuple(goals))


@dataclass(frozen=True)
class _Distance:
    """The truncated raking function ``F(u) = clip(exp(u), floor, cap)`` and its primitive."""

    floor: float = 0.0
    cap: float = math.inf

    def weights(self, u: np.ndarray) -> np.ndarray:
        return np.clip(np.exp(np.minimum(u, 700.0)), self.floor, self.cap)

    def slopes(self, u: np.ndarray) -> np.ndarray:
        g = np.exp(np.minimum(u, 700.0))
        return np.where((g > self.floor) & (g < self.cap), g, 0.0)

    def primitive(self, u: np.ndarray) -> np.ndarray:
        low = math.log(self.floor) if self.floor > 0 else -math.inf
        high = math.log(self.cap) if math.isfinite(self.cap) else math.inf
        value = np.exp(np.clip(u, low, min(high, 700.0)))
        if self.floor > 0:
            value = value + self.floor * np.minimum(u - low, 0.0)
        if math.isfinite(self.cap):
            value = value + self.cap * np.maximum(u - high, 0.0)
        return value


def _newton_step(x: np.ndarray, goals: np.ndarray, distance: _Distance,
                 multipliers: np.ndarray) -> np.ndarray:
    """One damped Newton step on the dual ``mean F*(x·λ) − λ·goals`` (convex)."""
    n = len(x)

    def dual(lam: np.ndarray) -> float:
        return float(distance.primitive(x @ lam).mean() - lam @ goals)

    u = x @ multipliers
    gradient = x.T @ distance.weights(u) / n - goals
    hessian = (x * distance.slopes(u)[:, None]).T @ x / n
    ridge = 1e-10 * (1.0 + float(np.abs(np.diag(hessian)).max()))
    direction = -np.linalg.solve(hessian + ridge * np.eye(len(goals)), gradient)
    start, slope, step = dual(multipliers), float(gradient @ direction), 1.0
    while step > 1e-14:
        trial = multipliers + step * direction
        if dual(trial) <= start + 1e-4 * step * slope:
            return trial
        step /= 2
    return multipliers


def _within(weights: np.ndarray, floor: float, cap: float) -> np.ndarray:
    """Weights rescaled to mean 1 within [floor, cap]: a weight pushed beyond a bound stays at
    it and the others share the rest proportionally (needs floor ≤ 1 ≤ cap)."""
    n = len(weights)
    result = weights * n / weights.sum()
    fixed = np.zeros(n, dtype=bool)
    while (beyond := ~fixed & ((result > cap) | (result < floor))).any():
        result[beyond] = np.clip(result[beyond], floor, cap)
        fixed |= beyond
        rest = n - result[fixed].sum()
        if fixed.all() or rest <= 0:
            break
        result[~fixed] *= rest / result[~fixed].sum()
    return np.clip(result, floor, cap)


def _bounds(trim: float | None, floor: float | None) -> tuple[float, float] | None:
    if trim is None:
        return None
    low = 1 / trim if floor is None else floor
    if not 0 <= low < 1 < trim:
        raise ValueError(_("Weight bounds must satisfy 0 ≤ floor < 1 < cap (here {floor} and "
                           "{cap}).").format(floor=low, cap=trim))
    return float(low), float(trim)


def rake(rows: Sequence[Mapping[str, str]], targets: Mapping[str, Mapping[str, float]],
         max_iterations: int = 100, tolerance: float = 1e-9,
         trim: float | None = None, floor: float | None = None) -> RakingResult:
    """Weights for ``rows`` so that, on each margin, weighted shares equal ``targets``.

    ``targets[margin][category]`` are shares (normalised here); respondents whose category
    has no target, or targets with no respondent, are reported by ``ValueError`` in French.
    With ``trim``, weights (mean 1) stay within [``floor``, ``trim``]; ``floor`` defaults
    to ``1 / trim``.
    """
    n = len(rows)
    if n == 0:
        raise ValueError(_("No answer to weight."))
    bounds = _bounds(trim, floor)
    margins = _margins(rows, targets)
    distance = _Distance(*bounds) if bounds else _Distance()
    x, goals = margins.design(n)
    multipliers = np.zeros(len(goals))
    iterations = 0
    while iterations < max_iterations:
        if margins.worst(distance.weights(x @ multipliers), n) < tolerance / 10:
            break
        iterations += 1
        following = _newton_step(x, goals, distance, multipliers)
        if np.array_equal(following, multipliers):
            break
        multipliers = following
    weights = distance.weights(x @ multipliers)
    weights = _within(weights, *bounds) if bounds else weights * n / weights.sum()
    unmet = margins.gaps(weights, tolerance)
    size = effective_size(weights.tolist())
    return RakingResult(
        tuple(weights.tolist()), iterations, not unmet, size,
        margins.worst(weights, float(weights.sum())),
        method=BOUNDED_RAKING if bounds else RAKING, bounds=bounds,
        at_cap=int((weights >= bounds[1] * (1 - AT_BOUND)).sum()) if bounds else 0,
        at_floor=int((weights <= bounds[0] * (1 + AT_BOUND)).sum()) if bounds else 0,
        design_effect=n / size if size else math.inf, unmet=unmet)
