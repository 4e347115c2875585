"""Confidence intervals for means and medians, with or without weights.

- Mean: Student's t with n − 1 degrees of freedom around the (weighted) mean, with the
  linearised (sandwich) variance of a weighted mean, ``n/(n−1) · Σ wᵢ²(xᵢ − m)² / (Σw)²``,
  which is ``s²/n`` with equal weights (as R's ``survey::svymean`` without strata).
- Median: Woodruff's interval — the quantiles at ``p ± z·√(p(1−p)/n_eff)`` with Kish's
  effective size — read off the same quantile estimator as the point estimate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from workbench.evaluation.stats import Z95, effective_size

__all__ = ["mean_interval", "median_interval"]


def mean_interval(values: Sequence[float], weights: Sequence[float] | None = None,
                  level: float = 0.95) -> tuple[float, float, float] | None:
    """The (weighted) mean and its confidence interval; None without values."""
    from scipy.stats import t

    n = len(values)
    if n == 0:
        return None
    weights = list(weights) if weights is not None else [1.0] * n
    total = sum(weights)
    mean = sum(w * x for x, w in zip(values, weights, strict=True)) / total
    if n == 1:
        return mean, mean, mean
    variance = n / (n - 1) * sum((w * (x - mean)) ** 2
                                 for x, w in zip(values, weights, strict=True)) / total ** 2
    half = t.ppf(0.5 + level / 2, n - 1) * math.sqrt(variance)
    return mean, mean - half, mean + half


def median_interval(values: Sequence[float], weights: Sequence[float] | None = None
                    ) -> tuple[float, float, float] | None:
    """The median and Woodruff's 95 % interval; None without values."""
    from workbench.evaluation.stats import quantile

    if not values:
        return None
    weights = list(weights) if weights is not None else [1.0] * len(values)
    n = effective_size(weights)
    half = Z95 * math.sqrt(0.25 / n)
    return (quantile(values, 0.5, weights), quantile(values, max(0.0, 0.5 - half), weights),
            quantile(values, min(1.0, 0.5 + half), weights))
