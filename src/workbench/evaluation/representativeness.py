"""Who took part, compared with the population: shares, ratios, dissimilarity, chi-square.

For one dimension (age band, sex, commune or group of communes, CSP), the respondents'
distribution is set against the census shares. Cells whose expected count is under 5 are
merged (smallest with the next smallest) before the chi-square test, and the merge is stated.
A plain-French verdict names the groups over- and under-represented.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scipy.stats import chi2 as chi2_distribution

from workbench.french import french_fixed, french_number
from workbench.i18n import _

__all__ = ["Comparison", "ComparisonRow", "chi_square", "compare", "dissimilarity"]

OVER, UNDER = 1.2, 0.8  # representation ratios beyond which a group is called out
MIN_COUNT = 5  # a group is called out only where 5 people are seen (over) or expected (under)


@dataclass(frozen=True)
class ComparisonRow:
    category: str
    respondents: float
    respondent_share: float  # %
    population_share: float  # %
    ratio: float | None  # respondent share / population share


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
    verdict: tuple[str, ...]
    called_out: tuple[str, ...] = ()  # categories over- or under-represented


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


def compare(dimension: str, sample: Mapping[str, float], population: Mapping[str, float],
            who: Callable[[str], str] = lambda c: c,
            label: Callable[[str], str] = lambda c: c,
            sample_name: str | None = None) -> Comparison:
    """Compare respondents' counts per category with population shares (any scale).

    ``who`` turns a category into a French group ("les 60-74 ans"); ``label`` names it in
    tables. Categories of the sample absent from the population are ignored (say, "not
    answered").
    """
    sample_name = sample_name or _("respondents")
    kept = {k: v for k, v in sample.items() if k in population}
    n = sum(kept.values())
    total = sum(population.values())
    rows = []
    verdict: list[str] = []
    called_out: list[str] = []
    for key, pop in population.items():
        count = kept.get(key, 0.0)
        mine = 100 * count / n if n else 0.0
        theirs = 100 * pop / total
        ratio = mine / theirs if theirs else None
        rows.append(ComparisonRow(label(key), count, mine, theirs, ratio))
        shares = {"who": who(key), "mine": _percent(mine), "sample": sample_name,
                  "theirs": _percent(theirs)}
        if ratio is not None and n and count >= MIN_COUNT and ratio >= OVER:
            verdict.append(_("{who} are over-represented ({mine} of the {sample} against "
                             "{theirs} of the population).").format(**shares))
            called_out.append(key)
        elif ratio is not None and n and n * pop / total >= MIN_COUNT and ratio <= UNDER:
            verdict.append(_("{who} are under-represented ({mine} of the {sample} against "
                             "{theirs} of the population).").format(**shares))
            called_out.append(key)
    statistic = p_value = None
    dof, merges = 0, []
    if n and len(population) > 1:
        statistic, dof, p_value, merges = chi_square(
            [kept.get(k, 0.0) for k in population], list(population.values()),
            [label(k) for k in population])
        if p_value < 0.05:
            verdict.insert(0, _("The {sample} differ clearly from the population by {dimension} "
                                "(χ² = {chi2}, {dof} df, p {p}).").format(
                sample=sample_name, dimension=dimension,
                chi2=french_number(round(statistic, 1)), dof=dof, p=_p_value(p_value)))
        else:
            verdict.insert(0, _("No significant gap with the population by {dimension} "
                                "(p {p}).").format(dimension=dimension, p=_p_value(p_value)))
    if n and not called_out:
        verdict.append(_("No group is clearly over- or under-represented."))
    return Comparison(dimension, tuple(rows), n, dissimilarity(kept, population) if n else 0.0,
                      statistic, dof, p_value, tuple(merges), tuple(verdict), tuple(called_out))
