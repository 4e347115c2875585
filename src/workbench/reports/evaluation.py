"""The evaluation report: context, method and representativeness, results per evaluative
question (weighted and unweighted side by side), findings, recommendations, annexes.

Used by ``notebooks/reports/evaluation.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt

from workbench.evaluation import analysis
from workbench.evaluation.census import Census, load_census
from workbench.evaluation.framework import EvaluationFramework, framework_path, load_framework
from workbench.evaluation.representativeness import Comparison
from workbench.evaluation.weighting import RakingResult
from workbench.i18n import _
from workbench.reports.blocks import Cover, Figure, Table, Text
from workbench.reports.data import FormAnswers, form_answers
from workbench.reports.formatting import french_date, french_number, tidy
from workbench.workshops.results import small_cell_threshold

__all__ = ["Evaluation", "context", "cover", "crosstabs", "findings", "free_text", "load",
           "method", "representativeness", "results", "weighting"]


@dataclass
class Evaluation:
    framework: EvaluationFramework
    data: FormAnswers
    year: int
    census: Census
    respondents: analysis.Respondents
    raking: RakingResult | None
    comparisons: list[Comparison]
    weighted_comparisons: list[Comparison]


def load(slug: str, year: int) -> Evaluation:
    framework = load_framework(framework_path(slug))
    data = form_answers(framework.form, year or None)
    if data is None:
        raise ValueError(_("The questionnaire '{slug}' is not published.").format(
            slug=framework.form))
    census = load_census()
    respondents = analysis.profiles(framework, data.spec, [r["answers"] for r in
                                                            data.responses])
    raking = analysis.weights(framework, respondents, census)
    return Evaluation(framework, data, year, census, respondents, raking,
                      analysis.representativeness(framework, respondents, census),
                      analysis.representativeness(framework, respondents, census,
                                                  raking.weights if raking else None))


def cover(evaluation: Evaluation) -> Cover:
    last = max((r["submitted_at"] for r in evaluation.data.responses), default=None)
    return Cover(_("Evaluation report"), evaluation.framework.title,
                 str(evaluation.year) if evaluation.year else evaluation.framework.period,
                 french_date(last.date()) if last else _("no answer"))


def context(evaluation: Evaluation) -> Text:
    f = evaluation.framework
    criteria = sorted({c for q in f.questions for c in q.criteria})
    return Text(_("**Policy evaluated**: {policy}.\n\n**Period**: {period}. "
                  "**Commissioned by**: {by}.").format(policy=f.policy, period=f.period,
                                                        by=f.commissioned_by)
                + f"\n\n{f.context.strip()}\n\n"
                + _("The evaluation asks **{n} evaluative questions**, against the criteria: "
                    "{criteria}.").format(n=len(f.questions), criteria=", ".join(criteria)))


def method(evaluation: Evaluation) -> list:
    responses = evaluation.data.responses
    moments = [r["submitted_at"] for r in responses]
    synthetic = sum(r["synthetic"] for r in responses)
    spec = evaluation.data.spec
    text = _("Inhabitants were asked through the questionnaire '{title}' ({mode}): **{n} "
             "answers**").format(title=spec.title, n=len(responses),
                                 mode=_("anonymous") if spec.anonymity == "anonymous"
                                 else _("identified"))
    if moments:
        text += _(", from {first} to {last}").format(first=french_date(min(moments).date()),
                                                     last=french_date(max(moments).date()))
    text += "."
    if synthetic:
        text += " " + _("**{n} of these answers are synthetic** (generated demonstration "
                        "data, not real people).").format(n=synthetic)
    text += "\n\n" + _("The reference population is the territory's: {source}; INSEE "
                         "municipal populations of the communes.").format(
        source=evaluation.census.source)
    return [Text(text)]


def _comparison_table(comparison: Comparison, weighted: Comparison | None) -> Table:
    threshold = small_cell_threshold()
    rows = []
    for i, row in enumerate(comparison.rows):
        small = 0 < row.respondents < threshold
        cells = [row.category, f"< {threshold}" if small else round(row.respondents),
                 None if small else round(row.respondent_share, 1),
                 round(row.population_share, 1),
                 None if small or row.ratio is None else round(row.ratio, 2)]
        if weighted is not None:
            cells.append(None if small else round(weighted.rows[i].respondent_share, 1))
        rows.append(cells)
    columns = [_("Category"), _("Respondents"), _("Share of respondents (%)"),
               _("Share of the population (%)"), _("Representation ratio")]
    if weighted is not None:
        columns.append(_("Share after weighting (%)"))
    note = _("Dissimilarity index: {value} % of the respondents would have to change category "
             "to look like the population.").format(
        value=french_number(round(comparison.dissimilarity, 1))) + " "
    if comparison.merged:
        note += _("For the χ² test, {merges}.").format(merges=" ; ".join(comparison.merged))
    return Table(_("Representativeness by {dimension}").format(dimension=comparison.dimension),
                 columns, rows, note=note,
                 sheet=_("Representativeness {dimension}").format(
                     dimension=comparison.dimension)[:31])


def _comparison_chart(comparison: Comparison) -> Figure | None:
    if len(comparison.rows) > 12:
        return None
    values = []
    respondents, people = _("Respondents"), _("Population")
    for row in comparison.rows:
        values.append({"category": row.category, "who": respondents,
                       "share": round(row.respondent_share, 1)})
        values.append({"category": row.category, "who": people,
                       "share": round(row.population_share, 1)})
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("category:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
        yOffset="who:N", x=alt.X("share:Q", title=_("share (%)")),
        color=alt.Color("who:N", title=None, scale=alt.Scale(range=["#005f73", "#e9c46a"])),
    ).properties(width=300, height=alt.Step(12))
    return Figure(_("Respondents and population by {dimension}").format(
        dimension=comparison.dimension), chart)


def representativeness(evaluation: Evaluation) -> list:
    blocks: list = []
    for plain, weighted in zip(evaluation.comparisons, evaluation.weighted_comparisons,
                               strict=True):
        is_margin = plain.dimension != "commune"
        blocks.append(Text("### " + _("By {dimension}").format(dimension=plain.dimension)
                           + "\n\n" + "\n".join(f"- {sentence}" for sentence in plain.verdict)))
        blocks.append(_comparison_table(plain, weighted if is_margin and evaluation.raking
                                        else None))
        chart = _comparison_chart(plain)
        if chart is not None:
            blocks.append(chart)
    return blocks


def weighting(evaluation: Evaluation) -> list:
    raking = evaluation.raking
    if raking is None:
        return [Text(_("No weighting: no profile variable linked to the census."))]
    margins = ", ".join(d.label for d in evaluation.framework.profile if d.census != "commune")
    rows = [[_("Calibration variables"), margins],
            [_("Method"), _("calibration on margins (raking, iterative proportional fitting)")],
            [_("Iterations"), raking.iterations],
            [_("Convergence"), _("reached") if raking.converged else _("not reached")],
            [_("Largest gap left to the margins (percentage points)"),
             round(100 * raking.max_gap, 4)],
            [_("Smallest weight"), round(min(raking.weights), 3)],
            [_("Largest weight (capped at 5 times the mean)"), round(max(raking.weights), 3)],
            [_("Effective sample size (Kish)"), round(raking.effective_size, 1)],
            [_("Answers"), len(raking.weights)]]
    return [Text(_("The answers are weighted so that the respondents' structure meets the "
                   "population's on the calibration variables. Every result is given "
                   "**unweighted and weighted, side by side**; the gap between the two "
                   "measures the effect of the sample's composition.")),
            Table(_("Weighting"), [_("Item"), _("Value")], rows, sheet=_("Weighting"))]


def _interval(low: float | None, high: float | None) -> str | None:
    if low is None or high is None:
        return None
    return f"{french_number(round(low, 1))} – {french_number(round(high, 1))}"


def results(evaluation: Evaluation) -> list:
    weights = evaluation.raking.weights if evaluation.raking else None
    blocks: list = []
    chart_rows = []
    for number, question in enumerate(evaluation.framework.questions, start=1):
        judgement = "\n".join(f"- {j}" for j in question.judgement)
        blocks.append(Text(f"### {number}. {question.text}\n\n"
                           + _("Criteria: {criteria}.").format(
                               criteria=", ".join(question.criteria)) + "\n\n"
                           + (_("Judgement criteria:") + f"\n\n{judgement}" if judgement
                              else "")))
        rows, sources = [], []
        for indicator in question.indicators:
            value = analysis.indicator_value(indicator, evaluation.respondents, weights)
            unit = f" ({value.unit})" if value.unit else ""
            rows.append([indicator.label + unit, value.base or None,
                         tidy(value.value),
                         _interval(value.low, value.high),
                         tidy(value.weighted),
                         _interval(value.weighted_low, value.weighted_high),
                         indicator.target or None])
            kind = _("interquartile range") if indicator.measure == "median" else (
                _("95 % CI (Wilson)") if value.unit == "%" else "")
            sources.append(f"{indicator.label} : {value.source}"
                           + (" ; " + _("interval: {kind}").format(kind=kind)
                              if kind and value.low is not None else ""))
            if value.unit == "%" and value.value is not None and value.weighted is not None:
                chart_rows += [{"indicator": indicator.id, "kind": _("unweighted"),
                                "value": round(value.value, 1)},
                               {"indicator": indicator.id, "kind": _("weighted"),
                                "value": round(value.weighted, 1)}]
        blocks.append(Table(
            _("Indicators of question {n}").format(n=number),
            [_("Indicator"), _("Base"), _("Unweighted"), _("Interval"), _("Weighted"),
             _("Interval (weighted)"), _("Target")],
            rows, sheet=_("Question {n}").format(n=number),
            note=_("Sources.") + " " + " — ".join(sources)))
    if chart_rows:
        chart = alt.Chart(alt.Data(values=chart_rows)).mark_bar().encode(
            y=alt.Y("indicator:N", title=None, sort=None), yOffset="kind:N",
            x=alt.X("value:Q", title="%", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("kind:N", title=None,
                            scale=alt.Scale(range=["#94d2bd", "#005f73"])),
        ).properties(width=380, height=alt.Step(12))
        blocks.append(Figure(_("Indicators in %: unweighted and weighted"), chart))
    return blocks


def findings(evaluation: Evaluation) -> list:
    """Findings per evaluative question and recommendations, as staff recorded them."""
    from workbench.evaluation.records import list_findings, list_recommendations

    blocks: list = []
    found = list_findings(evaluation.framework.slug)
    by_question = {q.id: q for q in evaluation.framework.questions}
    if found:
        blocks.append(Table(_("Findings"), [_("Evaluative question"), _("Finding")],
                            [[by_question[f.question_id].text if f.question_id in by_question
                              else f.question_id, f.text] for f in found],
                            sheet=_("Findings")))
    else:
        blocks.append(Text(_("No finding recorded yet.")))
    recommendations = list_recommendations(evaluation.framework.slug)
    if recommendations:
        blocks.append(Table(_("Recommendations"),
                            [_("Recommendation"), _("Addressed to"), _("Priority")],
                            [[r.text, r.addressee, r.priority] for r in recommendations],
                            sheet=_("Recommendations")))
    else:
        blocks.append(Text(_("No recommendation recorded yet.")))
    return blocks


def free_text(evaluation: Evaluation) -> list:
    """Themes of the open questions, with representative quotes (verbatim, escaped)."""
    from workbench.evaluation.text import summarise

    blocks: list = []
    for question in evaluation.data.spec.questions:
        if question.type != "long_text":
            continue
        texts = [a[question.id] for a in evaluation.respondents.answers
                 if isinstance(a.get(question.id), str)]
        if len(texts) < small_cell_threshold():
            continue
        summary = summarise(texts)
        blocks.append(Text(f"### {question.label}\n\n"
                           + _("{n} answers.").format(n=summary.answers)))
        blocks.append(Table(_("{question} — frequent terms").format(question=question.label),
                            [_("Term"), _("Answers")], [list(t) for t in summary.terms],
                            sheet=_("Terms {id}").format(id=question.id)))
        if summary.themes:
            blocks.append(Table(
                _("{question} — themes").format(question=question.label),
                [_("Theme (main terms)"), _("Answers"), _("Representative quotes")],
                [[", ".join(t.terms), t.size, " / ".join(f"« {q} »" for q in t.quotes)]
                 for t in summary.themes], sheet=_("Themes {id}").format(id=question.id)))
    return blocks or [Text(_("No open question with enough answers."))]


def _agreement() -> dict:
    """Likert answers grouped: disagree (1–2), neither (3), agree (4–5), no opinion."""
    agree, neither, disagree = _("Agree"), _("Neither"), _("Disagree")
    return {1: disagree, 2: disagree, 3: neither, 4: agree, 5: agree,
            "nsp": _("No opinion")}


def crosstabs(evaluation: Evaluation) -> list:
    """Agreement with each likert question of the indicators, by profile margin (age, size of
    commune…), with small cells and the cells that would reveal them suppressed."""
    from workbench.evaluation.suppression import crosstab

    threshold = small_cell_threshold()
    likert = []
    for question in evaluation.framework.questions:
        for indicator in question.indicators:
            if indicator.question and indicator.measure == "top2" \
                    and indicator.question not in likert:
                likert.append(indicator.question)
    agreement = _agreement()
    columns = [agreement[5], agreement[3], agreement[1], agreement["nsp"]]
    blocks: list = []
    for dimension in evaluation.framework.profile:
        if dimension.census == "commune":
            continue
        for qid in likert:
            label = evaluation.data.spec.question(qid).label
            pairs = [(row[dimension.census], agreement[answers[qid]])
                     for row, answers in zip(evaluation.respondents.profile,
                                             evaluation.respondents.answers, strict=True)
                     if answers.get(qid) in agreement
                     and row[dimension.census] != analysis.UNKNOWN]
            if not pairs:
                continue
            categories = sorted({p[0] for p in pairs})
            table = crosstab(categories, columns, [p[0] for p in pairs], [p[1] for p in pairs],
                             threshold=threshold)
            shown = table.shown(threshold)
            rows = [[category, *shown[i]] for i, category in enumerate(categories)]
            rows.append([_("All respondents"), *shown[-1]])
            blocks.append(Table(
                _("{question} — by {dimension}").format(question=label,
                                                        dimension=dimension.label),
                [dimension.label.capitalize(), *columns, _("Total")], rows,
                sheet=f"{qid} x {dimension.census}"[:31],
                note=_("Unweighted counts. '< {n}': fewer than {n} people; 's': cell hidden "
                       "so that a small cell cannot be deduced from the totals.").format(
                    n=threshold)))
    return blocks
