"""The evaluation report's answers: a synthesis up front, the results and judgement of each
evaluative question, the limits of the study and the statistical methods annex.

The rules of the judgement are in ``workbench.evaluation.judgement``; this module words them.
Used by ``notebooks/reports/evaluation.ipynb`` with ``reports.evaluation``.
"""

from __future__ import annotations

import altair as alt

from workbench.documents.blocks import Figure, Table, Text
from workbench.evaluation import analysis
from workbench.evaluation.judgement import (
    IndicatorJudgement,
    QuestionJudgement,
    decimals,
    judge_indicator,
    judge_question,
    shown_figure,
    target_text,
)
from workbench.french import french_date, french_number, tidy
from workbench.i18n import _, ngettext
from workbench.reports.evaluation import Evaluation

__all__ = ["design", "governance", "judgements", "limits", "results", "statistical_methods",
           "synthesis"]


def _calibrated(evaluation: Evaluation) -> bool:
    return evaluation.raking is not None and evaluation.raking.converged


def judgements(evaluation: Evaluation) -> list[QuestionJudgement]:
    """Every evaluative question judged against its indicators' targets."""
    weights = evaluation.raking.weights if evaluation.raking else None
    result = []
    for question in evaluation.framework.questions:
        values = [analysis.indicator_value(i, evaluation.respondents, weights)
                  for i in question.indicators]
        result.append(judge_question(question, [
            judge_indicator(v, evaluation.framework.sampling, _calibrated(evaluation))
            for v in values]))
    return result


def _answer(judgement: QuestionJudgement) -> str:
    return {"yes": _("Yes"), "partly": _("Partly"), "no": _("No"),
            "undecided": _("The data do not allow a conclusion"),
            "no_target": _("No figured target: for the evaluation body to judge")
            }[judgement.answer]


def _strength(strength: str | None) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low"), None: "—"}[strength]


def _status(status: str) -> str:
    return {"met": _("met"), "not_met": _("not met"),
            "undecided": _("undecided: the interval contains the target"),
            "no_target": _("no figured target"), "no_data": _("no answer")}[status]


def _reason(code: str) -> str:
    return {
        "self_selected": _("respondents chose to answer (self-selection): the interval "
                           "measures sampling error only, not the selection bias"),
        "quota": _("quota sample: the interval assumes a random sample"),
        "external": _("external figure, not audited by the evaluation"),
        "calibration_failed": _("the weighting did not meet every census margin"),
        "weighting_changes_conclusion": _("the conclusion changes with the weighting"),
        "close_to_target": _("the interval ends close to the target"),
        "small_base": _("fewer than 100 answers"),
        "tiny_base": _("fewer than 30 answers"),
    }[code]


def _range(low: float | None, high: float | None, places: int | None, unit: str = ""
           ) -> str | None:
    if low is None or high is None:
        return None
    return f"{shown_figure(low, unit, places)} – {shown_figure(high, unit, places)}"


def _interval(j: IndicatorJudgement) -> str:
    shown = _range(j.low, j.high, decimals(j.value), j.value.unit)
    return " " + _("(95 % CI {range})").format(range=shown) if shown else ""


def _estimate(j: IndicatorJudgement) -> str:
    """The figure judged with its interval: "46,4 % (IC 95 % 40,2 % – 52,7 %)"."""
    return shown_figure(j.estimate, j.value.unit, decimals(j.value)) + _interval(j)


def _statement(j: IndicatorJudgement) -> str:
    """One indicator's judgement in a sentence."""
    value, indicator = j.value, j.value.indicator
    basis = _("weighted") if j.weighted else (_("external figure") if indicator.external
                                              else _("unweighted"))
    shown = _range(j.low, j.high, decimals(value), value.unit)
    text = _("{label}: {estimate} ({details}); target {target}: **{status}**.").format(
        label=indicator.label, estimate=shown_figure(j.estimate, value.unit, decimals(value)),
        details=basis + (", " + _("95 % CI {range}").format(range=shown) if shown else ""),
        target=target_text(indicator, value.unit), status=_status(j.status))
    if j.strength:
        text += " " + _("Strength of the evidence: {strength}").format(
            strength=_strength(j.strength))
        text += (" (" + " ; ".join(_reason(r) for r in j.reasons) + ")." if j.reasons
                 else ".")
    return text


def _coverage(j: QuestionJudgement) -> str:
    """How many of the question's indicators have a figured target: "1 of 2"."""
    judged = sum(i.status in ("met", "not_met", "undecided") for i in j.indicators)
    return ngettext("{judged} figured indicator of {total}",
                    "{judged} figured indicators of {total}", judged).format(
        judged=judged, total=len(j.indicators))


def _status_of_the_report(evaluation: Evaluation) -> list:
    """A working-draft warning while findings are missing, and provisional answers while the
    questionnaire is still open."""
    from workbench.evaluation.records import list_findings, list_recommendations
    from workbench.territory.clock import local_today

    notes = []
    slug = evaluation.framework.slug
    if not list_findings(slug) or not list_recommendations(slug):
        notes.append(_("**Working draft, not validated.** The evaluation body has not recorded "
                       "its findings and recommendations yet: the verdicts below are "
                       "statistical readings of the indicators, not the evaluation's "
                       "conclusions."))
    closes = evaluation.data.spec.closes_at
    if closes is not None and (closes.date() if hasattr(closes, "date") else closes) \
            >= local_today():
        notes.append(_("**Provisional results.** The questionnaire stays open until {date}: "
                       "answers received after the data cut-off ({cut_off}) are not "
                       "counted.").format(date=french_date(closes),
                                          cut_off=evaluation_cut_off(evaluation)))
    return [Text("\n\n".join(notes))] if notes else []


def evaluation_cut_off(evaluation: Evaluation) -> str:
    """The date of the last answer counted."""
    last = max((r["submitted_at"] for r in evaluation.data.responses), default=None)
    return french_date(last.date()) if last else "—"


def synthesis(evaluation: Evaluation) -> list:
    """The statistical verdict on each evaluative question, up front."""
    rows = []
    for number, j in enumerate(judgements(evaluation), start=1):
        evidence = [f"{i.value.indicator.label} : {_estimate(i)} — "
                    f"{target_text(i.value.indicator, i.value.unit)} : "
                    f"{_status(i.status)}"
                    for i in j.indicators if i.status not in ("no_target", "no_data")]
        rows.append([f"{number}. {j.question.text}", ", ".join(j.question.criteria),
                     _answer(j) if j.answer == "no_target" else f"{_answer(j)} ({_coverage(j)})",
                     _strength(j.strength),
                     " ; ".join(evidence) or "—"])
    return [*_status_of_the_report(evaluation),
            Text(_("For each evaluative question, a **statistical verdict** on the indicators "
                   "that have a figured target: a target is **met** when the whole "
                   "95-percent confidence interval lies on the right side of it, **not met** "
                   "when it lies wholly on the wrong side, and **undecided** when the interval "
                   "contains the target. The verdict does not answer the question by itself: "
                   "the evaluation body does, weighing also the indicators without a target, "
                   "its findings and the context.")),
            Table(_("Statistical verdicts on the evaluative questions"),
                  [_("Evaluative question"), _("Criteria"), _("Statistical verdict"),
                   _("Strength of the evidence"), _("Indicators judged")], rows,
                  sheet=_("Synthesis"))]


def _interval_kind(measure: str, unit: str) -> str:
    if unit == "%":
        return _("Wilson")
    return _("Student") if measure == "mean" else _("Woodruff")


def _rounded(value: float | None, places: int | None) -> float | int | None:
    return tidy(value) if places is None or value is None else round(value, places)


def _indicator_row(j: IndicatorJudgement) -> list:
    value, indicator = j.value, j.value.indicator
    unit = f" ({value.unit})" if value.unit else ""
    places = decimals(value)
    spread = _range(*value.quartiles, None) if value.quartiles else None
    return [indicator.label + unit, value.base or None, _rounded(value.value, places),
            _range(value.low, value.high, places), _rounded(value.weighted, places),
            _range(value.weighted_low, value.weighted_high, places), spread,
            target_text(indicator, value.unit)
            if indicator.target is not None or indicator.target_words else None, _status(j.status)]


def _findings_by_question(evaluation: Evaluation) -> dict[str, list[str]]:
    """The evaluation body's findings, read once, per evaluative question."""
    from workbench.evaluation.records import list_findings

    found: dict[str, list[str]] = {}
    for finding in list_findings(evaluation.framework.slug):
        found.setdefault(finding.question_id, []).append(finding.text)
    return found


def results(evaluation: Evaluation) -> list:
    """Per evaluative question: criteria, indicators (95 % intervals), judgement, findings."""
    blocks: list = []
    chart_rows = []
    findings = _findings_by_question(evaluation)
    for number, j in enumerate(judgements(evaluation), start=1):
        question = j.question
        criteria = "\n".join(f"- {c}" for c in question.judgement)
        blocks.append(Text(f"### {number}. {question.text}\n\n"
                           + _("Criteria: {criteria}.").format(
                               criteria=", ".join(question.criteria)) + "\n\n"
                           + (_("Judgement criteria:") + f"\n\n{criteria}" if criteria
                              else "")))
        sources = []
        for i in j.indicators:
            value = i.value
            kind = _interval_kind(value.indicator.measure, value.unit) \
                if value.low is not None else ""
            sources.append(f"{value.indicator.label} : {value.source}"
                           + (" ; " + _("interval: {kind}").format(kind=kind) if kind else ""))
            if value.unit == "%" and value.value is not None and value.weighted is not None:
                name = f"{number}. {value.indicator.label}"
                chart_rows += [{"indicator": name, "kind": _("unweighted"),
                                "value": round(value.value, 1)},
                               {"indicator": name, "kind": _("weighted"),
                                "value": round(value.weighted, 1)}]
        blocks.append(Table(
            _("Indicators of question {n}").format(n=number),
            [_("Indicator"), _("Base"), _("Unweighted"), _("95 % CI"), _("Weighted"),
             _("95 % CI (weighted)"), _("Quartiles Q1 – Q3 (unweighted)"), _("Target"),
             _("Verdict")],
            [_indicator_row(i) for i in j.indicators], sheet=_("Question {n}").format(n=number),
            note=_("Sources.") + " " + " — ".join(sources) + (
                "" if _calibrated(evaluation) or evaluation.raking is None else " " + _(
                    "Weighted values are flagged: the calibration did not meet every "
                    "margin, so they are given for information only."))))
        lines = [f"- {_statement(i)}" for i in j.indicators
                 if i.status not in ("no_target", "no_data")]
        text = "**" + _("Statistical verdict") + "** : " + _answer(j) + (
            "" if j.answer == "no_target" else f" ({_coverage(j)})")
        if j.strength:
            text += " — " + _("strength of the evidence: {strength}").format(
                strength=_strength(j.strength))
        text += "." + ("\n\n" + "\n".join(lines) if lines else "")
        found = findings.get(question.id, [])
        if not found:
            text += "\n\n" + _("No finding recorded by the evaluation body for this "
                                 "question yet.")
        blocks.append(Text(text))
        if found:  # staff's words: table cells, never read as markup
            blocks.append(Table(_("Findings of the evaluation body on question {n}").format(
                n=number), [_("Finding")], [[f] for f in found],
                sheet=_("Findings {n}").format(n=number)))
    if chart_rows:
        chart = alt.Chart(alt.Data(values=chart_rows)).mark_bar().encode(
            y=alt.Y("indicator:N", title=None, sort=None, axis=alt.Axis(labelLimit=300)),
            yOffset="kind:N",
            x=alt.X("value:Q", title="%", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("kind:N", title=None,
                            scale=alt.Scale(range=["#94d2bd", "#005f73"])),
        ).properties(width=380, height=alt.Step(12))
        blocks.append(Figure(_("Indicators in %: unweighted and weighted"), chart))
    return blocks


def _adults(evaluation: Evaluation) -> tuple[int, bool]:
    """Inhabitants aged 15 or more (census share applied to the communes' population), and
    whether the age structure was known (else all inhabitants)."""
    from workbench.territory import communes

    people = sum(c.population for c in communes())
    children = evaluation.census.dimension("age").get("0-14 ans")
    return (round(people * (1 - children)), True) if children else (people, False)


def design(evaluation: Evaluation) -> list:
    """How respondents were found, the coverage, and what that means for intervals."""
    framework = evaluation.framework
    n = len(evaluation.data.responses)
    adults, known = _adults(evaluation)
    sampling = {
        "self_selected": _("**Self-selected respondents.** The questionnaire was open: anyone "
                           "could answer, and those who did chose to. There is no list of "
                           "people asked, hence no response rate in the strict sense."),
        "random": _("**Random sample.** Respondents were drawn at random from a list; the "
                    "confidence intervals and tests have their usual meaning, up to "
                    "non-response."),
        "quota": _("**Quota sample.** Respondents were sought until quotas were filled; the "
                   "intervals are computed as for a random sample, which is a convention."),
    }[framework.sampling]
    recruitment = framework.recruitment.strip() or _(
        "*Not stated in the framework* (channels, dates, reminders): to be completed before "
        "the report is published.")
    coverage = ngettext("**Participation rate**: {n} answer for {people} inhabitants {who}, "
                        "i.e. {rate} per thousand ({source}).",
                        "**Participation rate**: {n} answers for {people} inhabitants {who}, "
                        "i.e. {rate} per thousand ({source}).", n).format(
        n=french_number(n), people=french_number(adults),
        who=_("aged 15 or more") if known else _("(all ages)"),
        rate=french_number(round(1000 * n / adults, 1) if adults else 0.0),
        source=_("municipal populations of the communes; share aged 15 or more from {census}")
        .format(census=evaluation.census.source) if known
        else _("municipal populations of the communes"))
    if framework.sampling == "self_selected":
        coverage += " " + _("An open questionnaire cannot prevent one person from answering "
                            "twice; the same answer sent twice from one browser is stored "
                            "once.")
    meaning = _("**What this means for the figures.** Confidence intervals and tests measure "
                "the sampling error only, as if respondents had been drawn at random. "
                "With self-selected respondents they understate the real uncertainty: people "
                "who answer often differ from those who do not (users of the service, "
                "people with strong opinions), and weighting by age and commune size cannot "
                "correct a difference that exists within each group.") \
        if framework.sampling != "random" else _(
        "**What this means for the figures.** Confidence intervals and tests are those of "
        "a random sample, corrected for unequal weights (Kish effective size).")
    return [Text("\n\n".join([sampling, _("**Recruitment**: {text}").format(text=recruitment),
                              coverage, meaning]))]


def governance(evaluation: Evaluation) -> list:
    """Who took part in the evaluation and how its findings were validated."""
    framework = evaluation.framework
    missing = _("*Not stated in the framework*: to be completed before the report is "
                "published.")
    return [Text(_("**Stakeholders and evaluation body**: {stakeholders}").format(
        stakeholders=framework.stakeholders.strip() or missing) + "\n\n"
        + _("**Validation of findings and recommendations**: {validation}").format(
            validation=framework.validation.strip() or missing))]


def _grouped(evaluation: Evaluation, dimension, labels: dict) -> list[str]:
    """Sentences on answers counted together in one census group, with their weight in it."""
    from collections import Counter

    answers = Counter(a.get(dimension.question) for a in evaluation.respondents.answers)
    grouped: dict[str, list[str]] = {}
    for option, category in dimension.map.items():
        grouped.setdefault(category, []).append(option)
    lines = []
    for category, options in grouped.items():
        if len(options) < 2:
            continue
        in_group = sum(answers[o] for o in options)
        parts = [ngettext("« {label} »: {n} respondent, {share} of the group",
                          "« {label} »: {n} respondents, {share} of the group",
                          answers[o]).format(
            label=labels.get(o, o), n=answers[o],
            share=f"{french_number(round(100 * answers[o] / in_group))} %")
            for o in options if in_group]
        lines.append(_("Several answers are counted together in the census group "
                       "« {category} », which the census does not split ({parts}): the "
                       "weighting treats them alike.").format(category=category,
                                                              parts="; ".join(parts)))
    return lines


def _mapping_limits(evaluation: Evaluation) -> list[str]:
    """Answers counted together in one census category, and census groups left out."""
    lines = []
    spec = evaluation.data.spec
    for dimension in evaluation.framework.profile:
        if not dimension.map:
            continue
        labels = getattr(spec.question(dimension.question), "option_labels", {}) or {}
        lines += _grouped(evaluation, dimension, labels)
        left_out = [c for c in evaluation.census.dimension(dimension.census)
                    if c not in set(dimension.map.values())]
        if left_out:
            lines.append(_("The reference population by {dimension} leaves out {groups}: a "
                           "respondent from these groups would be counted in the group their "
                           "answer is mapped to.").format(
                dimension=dimension.label, groups=", ".join(f"« {c} »" for c in left_out)))
    profiled = {d.census for d in evaluation.framework.profile}
    missing = [name for name in ("sexe", "csp") if evaluation.census.dimension(name)
               and name not in profiled]
    if missing:
        lines.append(_("The questionnaire does not ask {variables}: the respondents cannot be "
                       "compared with the population, nor weighted, on these.").format(
            variables=", ".join(_census_name(m) for m in missing)))
    return lines


def _census_name(name: str) -> str:
    return {"sexe": _("sex"), "csp": _("socio-professional category")}[name]


def limits(evaluation: Evaluation) -> list:
    """What the figures cannot say: selection, weighting, census, external figures."""
    framework = evaluation.framework
    margins = ", ".join(d.label for d in framework.profile if d.census != "commune")
    lines = []
    if framework.sampling != "random":
        lines.append(_("Respondents were not drawn at random: intervals and tests understate "
                       "the uncertainty, and no result can be extended to the whole population "
                       "with certainty."))
    if evaluation.raking is not None:
        lines.append(_("The weighting corrects the respondents' structure by {margins} only. "
                       "It cannot correct non-response bias: within each group, those who "
                       "answered may differ from those who did not.").format(margins=margins))
        if not evaluation.raking.converged:
            lines.append(_("The weighting did not meet every census margin (see the "
                           "weighting diagnostics): weighted results are given for "
                           "information and the judgement rests on them with caution."))
    else:
        lines.append(_("No weighting: the results describe the respondents, not the "
                       "population."))
    lines.append(_("The reference population comes from {source}; changes in the "
                   "population's structure since then are not taken into account.").format(
        source=evaluation.census.source))
    lines += _mapping_limits(evaluation)
    externals = [i.label for q in framework.questions for i in q.indicators if i.external]
    if externals:
        lines.append(_("External figures ({labels}) are taken as their sources give them; the "
                       "evaluation did not audit them.").format(
            labels=", ".join(f"« {label} »" for label in externals)))
    synthetic = sum(r["synthetic"] for r in evaluation.data.responses)
    if synthetic:
        lines.append(ngettext("{n} answer is synthetic demonstration data: no conclusion "
                              "about the territory may be drawn from this report.",
                              "{n} answers are synthetic demonstration data: no conclusion "
                              "about the territory may be drawn from this report.",
                              synthetic).format(n=french_number(synthetic)))
    return [Text("\n".join(f"- {line}" for line in lines))]


def statistical_methods() -> list:
    """The estimators and rules used, for the reader who checks."""
    from workbench.evaluation.representativeness import MIN_EXPECTED, RESIDUAL
    from workbench.workshops.results import small_cell_threshold

    items = [
        _("**Shares** (e.g. respondents agreeing: answers 4 and 5 of 5, « no opinion » left "
          "out of the base): 95-percent confidence interval by Wilson's method."),
        _("**Means**: 95-percent confidence interval by Student's t; weighted, with the linearised "
          "variance of a weighted mean."),
        _("**Medians and quartiles**: one estimator with and without weights (the "
          "weighted quantile; equal weights give the usual value). 95-percent confidence interval "
          "of the median by Woodruff's method (the quantiles at 50 percent ± 1.96 standard errors "
          "of a proportion)."),
        _("**Weighted intervals** use Kish's effective sample size (the design effect of "
          "unequal weights)."),
        _("**Weighting**: calibration on the census margins by the raking ratio method with "
          "bounds on the weights (Deville and Särndal, 1992; weights truncated to the bounds, "
          "as R's survey::calibrate does), solved by "
          "Newton's method; a census group without respondents is merged with its "
          "neighbour, and margins the bounds do not allow to meet are listed."),
        _("**Judgement**: a figured target is met when the whole 95-percent interval of the "
          "weighted estimate (unweighted if the calibration failed) lies on the right side "
          "of it; the strength of the evidence is at most medium when respondents were not "
          "drawn at random, and lower when the weighting changes the conclusion or the base "
          "is under 100 answers."),
        _("**Representation ratio**: share among respondents divided by share in the "
          "population (1: a faithful representation). A group is called over- or "
          "under-represented only when the χ² test finds a significant gap, and then only "
          "where its **adjusted residual** (the gap between the people seen and expected, in "
          "standard errors) lies beyond ±{threshold}, at least {expected} people are expected "
          "and the shares differ at the precision shown.").format(
            threshold=french_number(tidy(RESIDUAL)), expected=MIN_EXPECTED),
        _("**χ² goodness-of-fit test** at the 5-percent level, groups with an expected count under "
          "5 merged; **dissimilarity index** (Duncan): the share of respondents who would "
          "have to change group to match the population."),
        _("**Statistical confidentiality**: no count of 1 to {n} people is published, nor "
          "can it be deduced from the other figures of the report (cells marked « s »).")
        .format(n=small_cell_threshold() - 1),
    ]
    return [Text("\n".join(f"- {item}" for item in items))]
