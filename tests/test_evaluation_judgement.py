"""Intervals for means and medians (against statsmodels), targets and the judgement of an
evaluative question, and the French display of a two-decimal ratio."""

from __future__ import annotations

import random

import pytest

from workbench.evaluation.analysis import IndicatorValue
from workbench.evaluation.framework import EvaluativeQuestion, Indicator, Target
from workbench.evaluation.intervals import mean_interval, median_interval
from workbench.evaluation.judgement import (
    judge_indicator,
    judge_question,
    target_text,
    versus_target,
)
from workbench.french import french_number


def _scores(n: int = 300, seed: int = 5) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    return ([float(rng.choice(range(11))) for _ in range(n)],
            [rng.uniform(0.3, 3.0) for _ in range(n)])


def test_the_mean_interval_is_students_as_statsmodels_computes_it() -> None:
    from statsmodels.stats.weightstats import DescrStatsW

    values, _weights = _scores()
    mean, low, high = mean_interval(values)
    expected = DescrStatsW(values).tconfint_mean()
    assert mean == pytest.approx(sum(values) / len(values))
    assert (low, high) == pytest.approx(expected, abs=1e-12)


def test_the_weighted_mean_interval_uses_the_linearised_variance() -> None:
    """The linearised variance of a weighted mean is the HC1 sandwich variance of the
    intercept of a weighted regression on a constant (statsmodels, independent code)."""
    import numpy as np
    import statsmodels.api as sm
    from scipy.stats import t

    values, weights = _scores()
    fit = sm.WLS(np.array(values), np.ones(len(values)), weights=np.array(weights)).fit(
        cov_type="HC1")
    mean, low, high = mean_interval(values, weights)
    assert mean == pytest.approx(fit.params[0], abs=1e-12)
    half = t.ppf(0.975, len(values) - 1) * fit.bse[0]
    assert (low, high) == pytest.approx((mean - half, mean + half), abs=1e-12)


def test_the_median_interval_is_the_same_with_equal_weights_and_contains_the_median() -> None:
    values, weights = _scores()
    plain = median_interval(values)
    assert plain == median_interval(values, [2.0] * len(values))
    median, low, high = median_interval(values, weights)
    assert low <= median <= high
    assert plain[1] <= plain[0] <= plain[2]


@pytest.mark.parametrize(("target", "interval", "status"), [
    (Target(at_least=60), (46.9, 40.9, 53.0), "not_met"),
    (Target(at_least=60), (63.0, 60.0, 66.0), "met"),
    (Target(at_least=60), (58.0, 52.0, 64.0), "undecided"),
    (Target(more_than=6), (5.65, 5.41, 5.90), "not_met"),
    (Target(more_than=6), (6.5, 6.0, 7.0), "undecided"),
    (Target(at_most=5), (4.8, None, None), "met"),
    (Target(less_than=20), (25.0, 21.0, 29.0), "not_met"),
])
def test_a_target_is_met_only_when_the_whole_interval_says_so(target, interval, status) -> None:
    estimate, low, high = interval
    assert versus_target(target, estimate, low, high) == status


def test_a_target_reads_in_french_with_its_unit() -> None:
    def indicator(**target) -> Indicator:
        return Indicator(id="x", label="X", question="q", **target)

    assert target_text(indicator(target=Target(at_least=60)), "%") == "au moins 60 %"
    assert target_text(indicator(target=Target(more_than=6))) == "plus de 6"
    assert target_text(indicator(target_words="comparable aux réseaux voisins")) == \
        "comparable aux réseaux voisins"
    assert target_text(indicator()) == "—"


def _value(target: Target | None, plain: tuple, weighted: tuple, base: int = 300
           ) -> IndicatorValue:
    indicator = Indicator(id="x", label="X", question="q", target=target)
    return IndicatorValue(indicator, "%", base, *plain, *weighted, "questionnaire")


def test_self_selected_respondents_never_give_a_high_strength() -> None:
    value = _value(Target(at_least=60), (46.9, 40.9, 53.0), (46.4, 40.2, 52.7))
    judgement = judge_indicator(value, "self_selected")
    assert (judgement.status, judgement.strength) == ("not_met", "medium")
    assert judgement.weighted and judgement.estimate == 46.4
    assert judge_indicator(value, "random").strength == "high"


def test_a_conclusion_that_changes_with_weighting_or_a_small_base_is_weaker() -> None:
    changes = _value(Target(at_least=50), (57.0, 51.0, 63.0), (55.0, 49.0, 61.0))
    judged = judge_indicator(changes, "random")
    assert judged.status == "undecided" and judged.strength is None
    flips = _value(Target(at_least=50), (57.0, 51.0, 63.0), (49.0, 45.0, 49.5), base=80)
    judged = judge_indicator(flips, "random")
    assert judged.status == "not_met" and judged.strength == "low"
    assert judged.reasons == ("weighting_changes_conclusion", "small_base")
    failed = judge_indicator(flips, "random", calibrated=False)
    assert not failed.weighted and failed.status == "met"
    assert "calibration_failed" in failed.reasons


def test_a_question_is_answered_from_its_figured_targets() -> None:
    question = EvaluativeQuestion(id="q", text="Q ?", criteria=["efficacité"],
                                  indicators=[Indicator(id="x", label="X", question="q")])
    met = judge_indicator(_value(Target(at_least=10), (50, 45, 55), (50, 45, 55)))
    missed = judge_indicator(_value(Target(at_least=60), (50, 45, 55), (50, 45, 55)))
    open_ = judge_indicator(_value(Target(at_least=50), (50, 45, 55), (50, 45, 55)))
    none = judge_indicator(_value(None, (50, 45, 55), (50, 45, 55)))
    assert judge_question(question, [met, none]).answer == "yes"
    assert judge_question(question, [missed]).answer == "no"
    assert judge_question(question, [met, missed]).answer == "partly"
    assert judge_question(question, [open_]).answer == "undecided"
    assert judge_question(question, [none]).answer == "no_target"


def test_a_ratio_rounded_to_two_decimals_keeps_them_in_reports() -> None:
    """0.85 and 0.83 both read "0,8" before: the renderer cut every number to one decimal."""
    assert french_number(0.85) == "0,85" and french_number(0.83) == "0,83"
    assert french_number(46.9) == "46,9" and french_number(18500) == "18\u202f500"


def test_an_interval_ending_close_to_the_target_weakens_the_evidence() -> None:
    close = judge_indicator(_value(Target(more_than=6), (5.65, 5.41, 5.90),
                                   (5.71, 5.46, 5.97)), "random")
    assert close.status == "not_met" and close.strength == "medium"
    assert close.reasons == ("close_to_target",)
    far = judge_indicator(_value(Target(more_than=6), (5.0, 4.7, 5.3), (5.0, 4.7, 5.3)),
                          "random")
    assert far.strength == "high" and far.reasons == ()
