"""Judging an evaluative question: each indicator against its target, with the strength of
the evidence, then one answer per question.

An indicator with a figured target (``Target``) is *met* when its whole 95 % interval lies on
the right side of the target, *not met* when the whole interval lies on the wrong side, and
*undecided* when the interval contains the target (an external figure, without interval, is
compared as it stands). The estimate judged is the weighted one when calibration succeeded,
else the unweighted one.

The strength of the evidence (high, medium, low) starts from how respondents were found —
a random sample supports a high strength, a self-selected or quota sample at most a medium
one, since an interval measures sampling error only, not selection bias — and goes down one
level for each weakness: calibration that failed, a conclusion that changes with weighting, a
base under 100 answers (under 30: low whatever the rest), an interval that ends within a
tenth of its width of the target (one more answer could change the verdict). External figures
are "medium": the evaluation did not audit them. Reasons are returned as codes; the report
words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workbench.evaluation.analysis import IndicatorValue
from workbench.evaluation.framework import EvaluativeQuestion, Indicator, Target
from workbench.french import french_fixed, french_number, tidy
from workbench.i18n import _

__all__ = ["IndicatorJudgement", "QuestionJudgement", "decimals", "judge_indicator",
           "judge_question", "shown_figure", "target_text", "versus_target"]

Status = Literal["met", "not_met", "undecided", "no_target", "no_data"]
Strength = Literal["high", "medium", "low"]
STRENGTHS: tuple[Strength, ...] = ("low", "medium", "high")
SMALL_BASE, TINY_BASE = 100, 30
CLOSE = 0.1  # an interval ending within this share of its width of the target is fragile


@dataclass(frozen=True)
class IndicatorJudgement:
    value: IndicatorValue
    status: Status
    estimate: float | None  # the figure judged
    low: float | None
    high: float | None
    weighted: bool  # judged on the weighted estimate
    strength: Strength | None  # None when there is nothing to conclude
    reasons: tuple[str, ...]  # codes: self_selected, quota, external, calibration_failed,
    # weighting_changes_conclusion, close_to_target, small_base, tiny_base


@dataclass(frozen=True)
class QuestionJudgement:
    question: EvaluativeQuestion
    answer: Literal["yes", "partly", "no", "undecided", "no_target"]
    indicators: tuple[IndicatorJudgement, ...]
    strength: Strength | None


def decimals(value: IndicatorValue) -> int | None:
    """Decimals to show an indicator with: 1 for shares (%), 2 for means (a 0–10 score's
    5,65 against 5,60 matters) and amounts in euros, None for medians and other external
    figures (as they are)."""
    if value.unit == "%":
        return 1
    if value.unit == "€":
        return 2
    return 2 if value.indicator.measure == "mean" and value.indicator.external is None \
        else None


def shown_figure(value: float | None, unit: str = "", places: int | None = None) -> str:
    """A figure in French with its unit ("46,9 %", "18 500 courses"), with exactly
    ``places`` decimals when given."""
    if value is None:
        return "—"
    text = french_number(tidy(value)) if places is None else french_fixed(value, places)
    return f"{text} %" if unit == "%" else f"{text} {unit}".rstrip()


def target_text(indicator: Indicator, unit: str = "") -> str:
    """An indicator's target in words: "au moins 60 %"; targets in words as written."""
    target = indicator.target
    if target is None:
        return indicator.target_words or "—"
    operator, value = target.bound
    words = {"at_least": _("at least {value}"), "more_than": _("more than {value}"),
             "at_most": _("at most {value}"), "less_than": _("less than {value}")}
    return words[operator].format(value=shown_figure(value, unit))


def versus_target(target: Target, estimate: float, low: float | None = None,
                  high: float | None = None) -> Status:
    """Met, not met or undecided: the interval [low, high] (or the figure alone) against the
    target's bound."""
    low = estimate if low is None else low
    high = estimate if high is None else high
    operator, bound = target.bound
    if operator == "at_least":
        met, missed = low >= bound, high < bound
    elif operator == "more_than":
        met, missed = low > bound, high <= bound
    elif operator == "at_most":
        met, missed = high <= bound, low > bound
    else:  # less_than
        met, missed = high < bound, low >= bound
    return "met" if met else "not_met" if missed else "undecided"


def _weaker(strength: Strength, steps: int = 1) -> Strength:
    return STRENGTHS[max(0, STRENGTHS.index(strength) - steps)]


def judge_indicator(value: IndicatorValue, sampling: str = "self_selected",
                    calibrated: bool = True) -> IndicatorJudgement:
    """One indicator against its target (see the module's rules)."""
    target = value.indicator.target
    external = value.indicator.external is not None
    use_weighted = calibrated and value.weighted is not None
    estimate = value.weighted if use_weighted else value.value
    low, high = ((value.weighted_low, value.weighted_high) if use_weighted
                 else (value.low, value.high))
    if not isinstance(target, Target):
        return IndicatorJudgement(value, "no_target", estimate, low, high, use_weighted,
                                  None, ())
    if estimate is None:
        return IndicatorJudgement(value, "no_data", None, None, None, use_weighted, None, ())
    status = versus_target(target, estimate, low, high)
    if external:
        return IndicatorJudgement(value, status, estimate, low, high, False,
                                  None if status == "undecided" else "medium", ("external",))
    reasons: list[str] = []
    strength: Strength = "high"
    if sampling != "random":
        strength = "medium"
        reasons.append("self_selected" if sampling == "self_selected" else "quota")
    if not calibrated:
        strength = _weaker(strength)
        reasons.append("calibration_failed")
    if value.weighted is not None and value.value is not None and status != versus_target(
            target, value.value, value.low, value.high):
        strength = _weaker(strength)
        reasons.append("weighting_changes_conclusion")
    if low is not None and high is not None and status != "undecided" and min(
            abs(low - target.bound[1]), abs(high - target.bound[1])) < CLOSE * (high - low):
        strength = _weaker(strength)
        reasons.append("close_to_target")
    if value.base < TINY_BASE:
        strength = "low"
        reasons.append("tiny_base")
    elif value.base < SMALL_BASE:
        strength = _weaker(strength)
        reasons.append("small_base")
    return IndicatorJudgement(value, status, estimate, low, high, use_weighted,
                              None if status == "undecided" else strength, tuple(reasons))


def judge_question(question: EvaluativeQuestion, judgements: list[IndicatorJudgement]
                   ) -> QuestionJudgement:
    """Yes when every figured target is met, no when none is, partly when some are (or some
    are undecided), undecided when no interval allows a conclusion; no_target without any
    figured target. The strength is the weakest of the indicators that conclude."""
    judged = [j for j in judgements if j.status in ("met", "not_met", "undecided")]
    decisive = [j for j in judged if j.status != "undecided"]
    if not judged:
        answer = "no_target"
    elif not decisive:
        answer = "undecided"
    elif all(j.status == "met" for j in judged):
        answer = "yes"
    elif all(j.status == "not_met" for j in judged):
        answer = "no"
    else:
        answer = "partly"
    strengths = [j.strength for j in decisive if j.strength]
    strength = min(strengths, key=STRENGTHS.index) if strengths else None
    return QuestionJudgement(question, answer, tuple(judgements), strength)
