"""An evaluation's figures: respondents' profiles, representativeness, weights, indicators.

Everything here is computed from the framework, the questionnaire's answers and the census,
and returned as plain data; pages and the ``evaluation`` report only lay it out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from workbench.evaluation.census import Census
from workbench.evaluation.framework import EvaluationFramework, Indicator, ProfileDimension
from workbench.evaluation.intervals import mean_interval, median_interval
from workbench.evaluation.representativeness import Comparison, compare
from workbench.evaluation.stats import likert_summary, quantiles, shares
from workbench.evaluation.weighting import Merge, RakingResult, merge_empty, rake
from workbench.forms.spec import FormSpec
from workbench.i18n import _
from workbench.territory import commune_by_code, communes

__all__ = ["IndicatorValue", "Respondents", "indicator_value", "profiles",
           "representativeness", "size_class", "size_class_population", "weights"]

UNKNOWN = "?"
ORDERED = frozenset({"age", "taille_commune"})  # census dimensions whose categories are ordered
SIZE_CLASSES = ("moins de 1 000 habitants", "1 000 à 2 999 habitants",
                "3 000 habitants et plus")


def size_class(code: str | None) -> str:
    """The population size class of a commune (rural small, bourg, town)."""
    commune = commune_by_code(code) if code else None
    if commune is None:
        return UNKNOWN
    people = commune.population
    return SIZE_CLASSES[0] if people < 1000 else SIZE_CLASSES[1] if people < 3000 else \
        SIZE_CLASSES[2]


def size_class_population() -> dict[str, int]:
    """Inhabitants of the territory per commune size class, in ``SIZE_CLASSES`` order."""
    totals: Counter = Counter()
    for commune in communes():
        totals[size_class(commune.code_insee)] += commune.population
    return {k: totals[k] for k in SIZE_CLASSES}


@dataclass
class Respondents:
    """The answers analysed and each respondent's category on every profile dimension."""

    spec: FormSpec
    answers: list[dict]  # one dict of answers per respondent
    profile: list[dict[str, str]]  # census dimension → category (UNKNOWN if not answered)


def _category(dimension: ProfileDimension, answers: dict) -> str:
    value = answers.get(dimension.question)
    if value is None:
        return UNKNOWN
    if dimension.census == "commune":
        return str(value)
    if dimension.census == "taille_commune":
        return size_class(str(value))
    return dimension.map.get(str(value), UNKNOWN)


def profiles(framework: EvaluationFramework, spec: FormSpec, answers: list[dict]
             ) -> Respondents:
    rows = [{d.census: _category(d, a) for d in framework.profile} for a in answers]
    return Respondents(spec, answers, rows)


def population_shares(census: Census, dimension: ProfileDimension) -> dict[str, float]:
    """Census shares of the categories respondents can be in (renormalised)."""
    if dimension.census == "taille_commune":
        shares_ = size_class_population()
    else:
        shares_ = dict(census.dimension(dimension.census))
        reachable = set(dimension.map.values()) if dimension.map else set(shares_)
        shares_ = {k: v for k, v in shares_.items() if k in reachable}
    total = sum(shares_.values())
    return {k: v / total for k, v in shares_.items()} if total else {}


def _who(dimension: ProfileDimension, category: str) -> str:
    if dimension.census == "commune":
        commune = commune_by_code(category)
        return f"Les habitants de {commune.nom if commune else category}"
    if dimension.census == "taille_commune":
        return f"Les habitants des communes de {category}"
    if dimension.census == "sexe":
        return {"Femme": "Les femmes", "Homme": "Les hommes"}.get(category, category)
    return f"Les {category}" if dimension.census == "age" else f"Les « {category} »"


def _label(dimension: ProfileDimension, category: str) -> str:
    if dimension.census == "commune":
        commune = commune_by_code(category)
        return commune.nom if commune else category
    return category


def representativeness(framework: EvaluationFramework, respondents: Respondents,
                       census: Census, weights_: tuple[float, ...] | None = None
                       ) -> list[Comparison]:
    """One comparison per profile dimension (weighted counts when ``weights_`` given)."""
    result = []
    for dimension in framework.profile:
        sample: Counter = Counter()
        for row, w in zip(respondents.profile, weights_ or [1.0] * len(respondents.profile),
                          strict=True):
            if row[dimension.census] != UNKNOWN:
                sample[row[dimension.census]] += w
        population = population_shares(census, dimension)
        result.append(compare(dimension.label, sample, population,
                              who=lambda c, d=dimension: _who(d, c),
                              label=lambda c, d=dimension: _label(d, c)))
    return result


def _margin_target(dimension: ProfileDimension, profile: list[dict[str, str]],
                   census: Census) -> tuple[dict[str, float], dict[str, str], tuple[Merge, ...]]:
    """Targets of one margin, with census categories without respondent merged into a
    neighbour (ordered dimensions) or refused (French ``ValueError``); respondents who did not
    answer keep their share. Returns the targets, category → merged category, the merges."""
    key = dimension.census
    seen = {row[key] for row in profile} - {UNKNOWN}
    population = {k: v for k, v in population_shares(census, dimension).items()
                  if v > 0 or k in seen}
    empty = [k for k in population if k not in seen]
    if empty and key not in ORDERED:
        raise ValueError(_("Margin '{margin}': no answer in '{cats}', and these categories "
                           "have no neighbour to be merged with: weighting refused (merge "
                           "them in the framework's map, or leave this variable out).")
                         .format(margin=dimension.label, cats=", ".join(empty)))
    merged, merges = merge_empty(dimension.label, list(population), population, seen)
    unknown = sum(row[key] == UNKNOWN for row in profile) / len(profile)
    target: dict[str, float] = {}
    for category, share in population.items():
        target[merged[category]] = target.get(merged[category], 0.0) + (1 - unknown) * share
    if unknown:
        target[UNKNOWN] = unknown
    return target, merged, merges


def weights(framework: EvaluationFramework, respondents: Respondents, census: Census,
            trim: float = 5.0, floor: float | None = None) -> RakingResult | None:
    """Calibration on the profile dimensions with census targets, weights within [``floor``,
    ``trim``] (mean 1; ``floor`` defaults to ``1 / trim``). Communes are left out (too many
    cells; their size class is used instead). Respondents who did not answer a profile
    question keep their share on that margin. A census category with no respondent is merged
    with its neighbour where categories are ordered (age bands, commune sizes), and the merge
    is in the result; elsewhere the weighting is refused (French ``ValueError``)."""
    margins = [d for d in framework.profile if d.census != "commune"]
    if not margins or not respondents.profile:
        return None
    rows = [dict(row) for row in respondents.profile]
    targets: dict[str, dict[str, float]] = {}
    merges: list[Merge] = []
    for dimension in margins:
        if all(row[dimension.census] == UNKNOWN for row in rows):
            continue
        target, merged, merged_now = _margin_target(dimension, respondents.profile, census)
        targets[dimension.census] = target
        merges += merged_now
        for row in rows:
            row[dimension.census] = merged.get(row[dimension.census], row[dimension.census])
    if not targets:
        return None
    return replace(rake(rows, targets, trim=trim, floor=floor), merges=tuple(merges))


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value, unweighted and weighted, with its 95% interval where it has one."""

    indicator: Indicator
    unit: str
    base: int  # respondents who answered
    value: float | None
    low: float | None
    high: float | None
    weighted: float | None
    weighted_low: float | None
    weighted_high: float | None
    source: str
    quartiles: tuple[float, float] | None = None  # Q1, Q3 (unweighted), for medians


def indicator_value(indicator: Indicator, respondents: Respondents,
                    weights_: tuple[float, ...] | None) -> IndicatorValue:
    """The indicator computed from the answers (or the external figure as entered)."""
    if indicator.external is not None:
        figure = indicator.external
        return IndicatorValue(indicator, figure.unit, 0, figure.value, None, None, None, None,
                              None, f"{figure.source} ({figure.year})")
    qid = indicator.question
    pairs = [(a[qid], w) for a, w in zip(respondents.answers,
                                         weights_ or [1.0] * len(respondents.answers),
                                         strict=True) if qid in a]
    values = [v for v, _w in pairs]
    wts = [w for _v, w in pairs]
    source = f"questionnaire « {respondents.spec.title} », question « {qid} »"
    measure = indicator.measure
    if not values:
        return IndicatorValue(indicator, "", 0, None, None, None, None, None, None, source)
    if measure == "top2":
        plain, weighted = likert_summary(values), likert_summary(values, weights=wts)
        return IndicatorValue(indicator, "%", int(plain.base), plain.top2, plain.top2_low,
                              plain.top2_high, weighted.top2, weighted.top2_low,
                              weighted.top2_high, source)
    if measure.startswith("share:"):
        option = measure[6:]
        flags = [option if (option in v["choices"] if isinstance(v, dict) else v == option)
                 else "autre" for v in values]
        plain, weighted = shares(flags, [option])[0], shares(flags, [option], wts)[0]
        return IndicatorValue(indicator, "%", len(values), plain.percent, plain.low,
                              plain.high, weighted.percent, weighted.low, weighted.high, source)
    numbers = [float(v) for v in values if v != "nsp"]
    numeric_weights = [w for v, w in pairs if v != "nsp"]
    if not numbers:
        return IndicatorValue(indicator, "", 0, None, None, None, None, None, None, source)
    interval = mean_interval if measure == "mean" else median_interval
    plain, weighted = interval(numbers), interval(numbers, numeric_weights)
    q1, _median, q3 = quantiles(numbers) if measure == "median" else (None, None, None)
    return IndicatorValue(indicator, "", len(numbers), *plain, *weighted, source,
                          (q1, q3) if measure == "median" else None)
