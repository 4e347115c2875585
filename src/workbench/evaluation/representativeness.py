"""Who took part, compared with the population: shares, ratios, dissimilarity, chi-square.

For one dimension (age band, sex, commune or group of communes, CSP), the respondents'
distribution is set against the census shares. Cells whose expected count is under 5 are
merged (smallest with the next smallest) before the chi-square test, and the merge is stated.

One rule (:func:`standing`) decides whether a group is called over- or under-represented,
for the staff page, the report and the council's composition alike: only when the chi-square
test finds a significant gap (5 % level), where at least 5 people are expected, when the
group's adjusted residual lies beyond ±2 and its shares differ at the precision shown (one
decimal). The plain-French verdict says so, with the residual.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scipy.stats import chi2 as chi2_distribution

from workbench.french import french_fixed, french_number, tidy
from workbench.i18n import _

__all__ = ["ALPHA", "RESIDUAL", "Comparison", "ComparisonRow", "adjusted_residual",
           "chi_square", "compare", "dissimilarity", "standing"]

ALPHA = 0.05  # level of the chi-square test: no group is called out without a significant gap
RESIDUAL = 2.0  # adjusted residual beyond which a group is called over- or under-represented
MIN_EXPECTED = 5  # a group is called out only where at least 5 people are expected


@dataclass(frozen=True)
class ComparisonRow:
    category: str  # as tables show it
    respondents: float
    respondent_share: float  # %
    population_share: float  # %
    ratio: float | None  # respondent share / population share
    residual: float | None = None  # adjusted residual (None without respondents)
    group: str = ""  # the group in a sentence ("Les 60-74 ans")


@dataclass(frozen=True)
class Comparison:
    dimension: str
    rows: tuple[ComparisonRow, ...]
    respondents: float
    dissimilarity: float  # Duncan index, in % of respondents to move
    chi2: float | None
    dof: int
    p_value: float | None
    merged: tuple[str, ...]  # sentences on the cells merged for the test
    test: str = ""  # the chi-square sentence ("" without a test)
    called_out: tuple[str, ...] = ()  # categories (as in ``rows``) over- or under-represented
    sentences: tuple[str, ...] = ()  # one per category called out, in the same order

    @property
    def verdict(self) -> tuple[str, ...]:
        """The test's sentence, then the groups called out (or why none is)."""
        if self.sentences or not self.respondents:
            found = self.sentences
        elif self.p_value is not None and self.p_value < ALPHA:
            found = (_("No group stands out on its own: none has an adjusted residual "
                       "beyond ±{threshold} with at least {expected} people expected.").format(
                threshold=french_number(tidy(RESIDUAL)), expected=MIN_EXPECTED),)
        else:
            found = (_("No group is clearly over- or under-represented."),)
        return (*((self.test,) if self.test else ()), *found)


def dissimilarity(sample: Mapping[str, float], population: Mapping[str, float]) -> float:
    """Duncan's index: half the sum of absolute share differences (0–100)."""
    total = sum(sample.values())
    keys = set(sample) | set(population)
    return 50 * sum(abs(sample.get(k, 0) / total - population.get(k, 0)) for k in keys)


def chi_square(observed: list[float], expected_shares: list[float],
               labels: list[str]) -> tuple[float, int, float, list[str]]:
    """Goodness of fit after merging cells whose expected count is under 5.

    Returns the statistic, degrees of freedom, p-value and the merges made (French).
    """
    n = sum(observed)
    total_share = sum(expected_shares)
    cells = [[o, n * e / total_share, label]
             for o, e, label in zip(observed, expected_shares, labels, strict=True)]
    merges: list[str] = []
    while len(cells) > 2 and min(c[1] for c in cells) < 5:
        cells.sort(key=lambda c: c[1])
        small, other = cells[0], cells[1]
        merges.append(_("'{small}' merged with '{other}' (expected count {expected} < 5)")
                      .format(small=small[2], other=other[2],
                              expected=_below_five(small[1])))
        cells = [[small[0] + other[0], small[1] + other[1], f"{other[2]} + {small[2]}"],
                 *cells[2:]]
    statistic = sum((o - e) ** 2 / e for o, e, _label in cells if e > 0)
    dof = len(cells) - 1
    return statistic, dof, float(chi2_distribution.sf(statistic, dof)), merges


def _below_five(expected: float) -> str:
    """An expected count under 5 with the decimals it needs not to read "5,0 < 5"."""
    return french_fixed(expected, 1 if round(expected, 1) < 5 else 2)


def _p_value(p: float) -> str:
    if p < 0.001:
        return "< 0,001"
    return "> 0,999" if p > 0.999 else "= " + french_fixed(p, 3)


def _percent(value: float) -> str:
    """A share as the tables show it, to one decimal ("20,3 %")."""
    return f"{french_fixed(value, 1)} %"


def adjusted_residual(observed: float, share: float, n: float) -> float | None:
    """How many standard errors ``observed`` lies from its expected count ``n * share``
    (share of 1): ``(o − e) / √(e (1 − share))``; None where it cannot be computed."""
    expected = n * share
    spread = expected * (1 - share)
    return (observed - expected) / math.sqrt(spread) if spread > 0 else None


def standing(row: ComparisonRow, n: float, p_value: float | None) -> int:
    """The one rule: +1 over-represented, −1 under-represented, 0 neither.

    A group is called out only when the chi-square test is significant (``ALPHA``), at least
    ``MIN_EXPECTED`` people are expected in it, and at the precision shown (one decimal) its
    adjusted residual lies beyond ±``RESIDUAL`` and its shares differ.
    """
    if p_value is None or p_value >= ALPHA or row.residual is None:
        return 0
    if n * row.population_share / 100 < MIN_EXPECTED:
        return 0
    # Beyond the threshold and different shares as shown (one decimal), not just computed.
    if abs(round(row.residual, 1)) <= RESIDUAL:
        return 0
    if _percent(row.respondent_share) == _percent(row.population_share):
        return 0
    return 1 if row.residual > 0 else -1


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−") + french_fixed(abs(value), 1)


def _sentence(row: ComparisonRow, side: int, sample_name: str) -> str:
    values = {"who": row.group or row.category, "mine": _percent(row.respondent_share),
              "sample": sample_name, "theirs": _percent(row.population_share),
              "residual": _signed(row.residual or 0.0),
              "threshold": french_number(tidy(RESIDUAL))}
    if side > 0:
        return _("{who} are over-represented ({mine} of the {sample} against {theirs} of the "
                 "population; adjusted residual {residual}, beyond ±{threshold}).").format(
            **values)
    return _("{who} are under-represented ({mine} of the {sample} against {theirs} of the "
             "population; adjusted residual {residual}, beyond ±{threshold}).").format(**values)


def _test_sentence(dimension: str, sample_name: str, statistic: float, dof: int,
                   p_value: float) -> str:
    if p_value < ALPHA:
        return _("The {sample} differ clearly from the population by {dimension} "
                 "(χ² = {chi2}, {dof} df, p {p}).").format(
            sample=sample_name, dimension=dimension, chi2=french_number(round(statistic, 1)),
            dof=dof, p=_p_value(p_value))
    return _("No significant gap with the population by {dimension} (p {p}).").format(
        dimension=dimension, p=_p_value(p_value))


def compare(dimension: str, sample: Mapping[str, float], population: Mapping[str, float],
            who: Callable[[str], str] = lambda c: c,
            label: Callable[[str], str] = lambda c: c,
            sample_name: str | None = None) -> Comparison:
    """Compare respondents' counts per category with population shares (any scale).

    ``who`` turns a category into a French group ("les 60-74 ans"); ``label`` names it in
    tables. Categories of the sample absent from the population are ignored (say, "not
    answered"). Groups are called out by :func:`standing`.
    """
    sample_name = sample_name or _("respondents")
    kept = {k: v for k, v in sample.items() if k in population}
    n = sum(kept.values())
    total = sum(population.values())
    rows = []
    for key, pop in population.items():
        count = kept.get(key, 0.0)
        mine = 100 * count / n if n else 0.0
        theirs = 100 * pop / total
        rows.append(ComparisonRow(label(key), count, mine, theirs,
                                  mine / theirs if theirs else None,
                                  adjusted_residual(count, pop / total, n) if n else None,
                                  who(key)))
    statistic = p_value = None
    dof, merges, test = 0, [], ""
    if n and len(population) > 1:
        statistic, dof, p_value, merges = chi_square(
            [kept.get(k, 0.0) for k in population], list(population.values()),
            [label(k) for k in population])
        test = _test_sentence(dimension, sample_name, statistic, dof, p_value)
    sides = [(row, standing(row, n, p_value)) for row in rows]
    called = [(row, side) for row, side in sides if side]
    return Comparison(dimension, tuple(rows), n, dissimilarity(kept, population) if n else 0.0,
                      statistic, dof, p_value, tuple(merges), test,
                      tuple(row.category for row, _side in called),
                      tuple(_sentence(row, side, sample_name) for row, side in called))
