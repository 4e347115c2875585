"""Estimates with their uncertainty: shares with Wilson intervals, likert summaries, quartiles.

Every function takes optional weights: with weights, counts are weighted and intervals use the
Kish effective sample size (the design effect of unequal weights).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LikertSummary", "Share", "effective_size", "likert_summary", "quantile",
           "quantiles", "shares", "wilson"]

Z95 = 1.959963984540054


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion (0, 0 when n is 0)."""
    if n <= 0:
        return 0.0, 0.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def effective_size(weights: Sequence[float]) -> float:
    """Kish's effective sample size: (Σw)² / Σw²."""
    total = sum(weights)
    squares = sum(w * w for w in weights)
    return total * total / squares if squares else 0.0


@dataclass(frozen=True)
class Share:
    """One category: (weighted) count, share and its 95% interval, in %."""

    key: str
    count: float
    percent: float
    low: float
    high: float


def shares(values: Sequence[str], categories: Sequence[str],
           weights: Sequence[float] | None = None) -> list[Share]:
    """The share of each category among ``values`` (one per respondent)."""
    weights = list(weights) if weights is not None else [1.0] * len(values)
    total = sum(weights)
    n = effective_size(weights) if values else 0.0
    result = []
    for key in categories:
        count = sum(w for v, w in zip(values, weights, strict=True) if v == key)
        p = count / total if total else 0.0
        low, high = wilson(p * n, n)
        result.append(Share(key, count, 100 * p, 100 * low, 100 * high))
    return result


@dataclass(frozen=True)
class LikertSummary:
    """A likert question: distribution, top-2-box with its interval, mean score (1–5)."""

    base: float  # answers with an opinion (weighted)
    dont_know: float  # "Ne se prononce pas", counted apart
    distribution: tuple[Share, ...]
    top2: float
    top2_low: float
    top2_high: float
    mean: float | None


def likert_summary(values: Sequence[int | str], levels: int = 5,
                   weights: Sequence[float] | None = None,
                   dont_know: str = "nsp") -> LikertSummary:
    """Agreement levels 1..``levels``; ``dont_know`` answers are left out of the base."""
    weights = list(weights) if weights is not None else [1.0] * len(values)
    kept = [(int(v), w) for v, w in zip(values, weights, strict=True) if v != dont_know]
    apart = sum(w for v, w in zip(values, weights, strict=True) if v == dont_know)
    base = sum(w for _v, w in kept)
    distribution = tuple(shares([str(v) for v, _w in kept], [str(i) for i in
                                                             range(1, levels + 1)],
                                [w for _v, w in kept]))
    positive = sum(w for v, w in kept if v >= levels - 1)
    n = effective_size([w for _v, w in kept])
    p = positive / base if base else 0.0
    low, high = wilson(p * n, n)
    mean = sum(v * w for v, w in kept) / base if base else None
    return LikertSummary(base, apart, distribution, 100 * p, 100 * low, 100 * high, mean)


def _inverse_cdf(pairs: Sequence[tuple[float, float]], total: float, p: float) -> float:
    """The smallest value whose cumulative weight reaches ``p`` of the total; where it reaches
    it exactly (a step of the distribution), the mean of that value and the next."""
    goal, slack = p * total, 1e-12 * total
    running = 0.0
    for index, (value, weight) in enumerate(pairs):
        running += weight
        if running > goal + slack:
            return float(value)
        if running >= goal - slack:
            return (value + pairs[index + 1][0]) / 2 if index + 1 < len(pairs) else float(value)
    return float(pairs[-1][0])


def quantile(values: Sequence[float], p: float,
             weights: Sequence[float] | None = None) -> float | None:
    """The ``p``-quantile (0 ≤ p ≤ 1), weighted or not, by ONE estimator: the inverse of the
    (weighted) distribution function, averaged where it has a step at ``p`` (Hyndman & Fan's
    type 2, numpy's ``averaged_inverted_cdf``). Equal weights give the unweighted quantile;
    integer weights, that of the values repeated; scaling the weights changes nothing.
    Zero weights are left out; None without values."""
    weights = list(weights) if weights is not None else [1.0] * len(values)
    pairs = sorted((v, w) for v, w in zip(values, weights, strict=True) if w > 0)
    if not pairs:
        return None
    return _inverse_cdf(pairs, sum(w for _v, w in pairs), p)


def quantiles(values: Sequence[float],
              weights: Sequence[float] | None = None) -> tuple[float, float, float] | None:
    """First quartile, median, third quartile (see ``quantile``: one estimator, weighted or
    not); None without values."""
    if not values:
        return None
    q1, q2, q3 = (quantile(values, p, weights) for p in (0.25, 0.5, 0.75))
    return q1, q2, q3
