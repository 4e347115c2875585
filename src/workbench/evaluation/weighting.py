"""Raking (iterative proportional fitting) of respondents' weights to census margins.

Each respondent has a category on every margin (e.g. age band, sector of the territory); the
weights are adjusted margin after margin until every weighted share matches its target, then
trimmed (capped at ``trim`` times the mean weight, redistributed) if asked. Tested against the
``ipfn`` library and for exact margins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbench.evaluation.stats import effective_size
from workbench.i18n import _

__all__ = ["RakingResult", "rake"]


@dataclass(frozen=True)
class RakingResult:
    weights: tuple[float, ...]  # mean 1
    iterations: int
    converged: bool
    effective_size: float
    max_gap: float  # largest |weighted share − target| after raking, in share points (0–1)


def _gap(rows: Sequence[Mapping[str, str]], weights: list[float],
         targets: Mapping[str, Mapping[str, float]]) -> float:
    total = sum(weights)
    worst = 0.0
    for margin, shares in targets.items():
        for category, share in shares.items():
            got = sum(w for row, w in zip(rows, weights, strict=True)
                      if row[margin] == category) / total
            worst = max(worst, abs(got - share))
    return worst


def rake(rows: Sequence[Mapping[str, str]], targets: Mapping[str, Mapping[str, float]],
         max_iterations: int = 200, tolerance: float = 1e-9,
         trim: float | None = None) -> RakingResult:
    """Weights for ``rows`` so that, on each margin, weighted shares equal ``targets``.

    ``targets[margin][category]`` are shares (normalised here); respondents whose category
    has no target, or targets with no respondent, are reported by ``ValueError`` in French.
    """
    n = len(rows)
    if n == 0:
        raise ValueError(_("No answer to weight."))
    goals = {m: {c: s / sum(shares.values()) for c, s in shares.items()}
             for m, shares in targets.items()}
    for margin, shares in goals.items():
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
    weights = [1.0] * n
    iterations, converged = 0, False
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported below
        for margin, shares in goals.items():
            totals: dict[str, float] = {}
            for row, w in zip(rows, weights, strict=True):
                totals[row[margin]] = totals.get(row[margin], 0.0) + w
            grand = sum(weights)
            factors = {c: shares[c] * grand / t for c, t in totals.items()}
            weights = [w * factors[row[margin]] for row, w in zip(rows, weights, strict=True)]
        if trim:
            mean = sum(weights) / n
            weights = [min(w, trim * mean) for w in weights]
        if _gap(rows, weights, goals) < tolerance:
            converged = True
            break
    mean = sum(weights) / n
    weights = [w / mean for w in weights]
    return RakingResult(tuple(weights), iterations, converged, effective_size(weights),
                        _gap(rows, weights, goals))
