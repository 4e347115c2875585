"""The evaluation report: context, method and representativeness, results per evaluative
question (weighted and unweighted side by side), findings, recommendations, annexes.

Used by ``notebooks/reports/evaluation.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import altair as alt

from workbench.documents.blocks import Cover, Figure, Table, Text
from workbench.evaluation import analysis
from workbench.evaluation.census import Census, load_census
from workbench.evaluation.framework import EvaluationFramework, framework_path, load_framework
from workbench.evaluation.published import ReportDisclosure, likert_questions, protect_report
from workbench.evaluation.representativeness import Comparison, compare
from workbench.evaluation.responses import evaluation_answers
from workbench.evaluation.suppression import SECRET
from workbench.evaluation.weighting import RakingResult
from workbench.french import french_date, french_number
from workbench.i18n import _, ngettext
from workbench.reports.data import FormAnswers, form_answers
from workbench.reports.participation import answers_count
from workbench.workshops.results import small_cell_threshold

__all__ = ["Evaluation", "context", "cover", "crosstabs", "findings", "free_text", "load",
           "method", "representativeness", "weighting"]


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
    weighting_refused: str = ""  # why no weights were computed (French), if refused
    workshop_note: str = ""  # what became of the answers given in workshops (French)

    @cached_property
    def disclosure(self) -> ReportDisclosure:
        """What the report hides, decided once for the profile tables and cross-tabs
        together."""
        return protect_report(self.framework, self.respondents, self.comparisons,
                              len(self.data.responses), small_cell_threshold())


def load(slug: str, year: int) -> Evaluation:
    framework = load_framework(framework_path(slug))
    read = form_answers(framework.form, year or None)
    if read is None:
        raise ValueError(_("The questionnaire '{slug}' is not published.").format(
            slug=framework.form))
    answers = evaluation_answers(framework, read)
    data = answers.data
    census = load_census()
    respondents = analysis.profiles(framework, data.spec, [r["answers"] for r in
                                                            data.responses])
    try:
        raking, refused = analysis.weights(framework, respondents, census), ""
    except ValueError as error:  # a category without answers that cannot be merged
        raking, refused = None, str(error)
    return Evaluation(framework, data, year, census, respondents, raking,
                      analysis.representativeness(framework, respondents, census),
                      analysis.representativeness(framework, respondents, census,
                                                  raking.weights if raking else None),
                      refused, answers.note)


def cover(evaluation: Evaluation) -> Cover:
    last = max((r["submitted_at"] for r in evaluation.data.responses), default=None)
    period = evaluation.framework.period
    return Cover(_("Evaluation report"), evaluation.framework.title,
                 _("{period} (answers of {year})").format(period=period, year=evaluation.year)
                 if evaluation.year else period,
                 french_date(last.date()) if last else _("no answer"))


def context(evaluation: Evaluation) -> Text:
    f = evaluation.framework
    criteria = sorted({c for q in f.questions for c in q.criteria})
    return Text(_("**Policy evaluated**: {policy}.\n\n**Period**: {period}. "
                  "**Commissioned by**: {by}.").format(policy=f.policy, period=f.period,
                                                        by=f.commissioned_by)
                + f"\n\n{f.context.strip()}\n\n"
                + ngettext("The evaluation asks **{n} evaluative question**, against the "
                           "criteria: {criteria}.",
                           "The evaluation asks **{n} evaluative questions**, against the "
                           "criteria: {criteria}.", len(f.questions)).format(
                    n=len(f.questions), criteria=", ".join(criteria)))


def method(evaluation: Evaluation) -> list:
    responses = evaluation.data.responses
    moments = [r["submitted_at"] for r in responses]
    synthetic = sum(r["synthetic"] for r in responses)
    spec = evaluation.data.spec
    text = ngettext("Inhabitants were asked through the questionnaire '{title}' ({mode}): "
                    "**{n} answer**",
                    "Inhabitants were asked through the questionnaire '{title}' ({mode}): "
                    "**{n} answers**", len(responses)).format(
        title=spec.title, n=french_number(len(responses)),
                                 mode=_("anonymous") if spec.anonymity == "anonymous"
                                 else _("identified"))
    if moments:
        text += _(", from {first} to {last}").format(first=french_date(min(moments).date()),
                                                     last=french_date(max(moments).date()))
    text += "."
    if evaluation.workshop_note:
        text += " " + evaluation.workshop_note
    if synthetic:
        text += " " + ngettext("**{n} of these answers is synthetic** (generated "
                               "demonstration data, not a real person).",
                               "**{n} of these answers are synthetic** (generated "
                               "demonstration data, not real people).", synthetic).format(
            n=french_number(synthetic))
    text += "\n\n" + _("The reference population is the territory's: {source}; INSEE "
                         "municipal populations of the communes.").format(
        source=evaluation.census.source)
    return [Text(text)]


def _secrecy_note() -> str:
    threshold = small_cell_threshold()
    return _("'s': statistical secret. No count of 1 to {last} people is published, and none "
             "can be deduced from the other figures of this report (totals, other tables, "
             "shares): as far as they tell, every small count hidden may be 0 as well as {n} "
             "or more. Some larger counts are secret for that reason.").format(
        last=threshold - 1, n=threshold)


def _public_statistics(comparison: Comparison, hidden: frozenset[str]) -> Comparison:
    """The dissimilarity index, χ² test and groups called out with the secret categories
    counted as one group, whose count the published total and counts give anyway: computed
    per category, they would tell something of each secret count."""
    if not hidden:
        return comparison
    group = _("secret categories")
    sample = {group: sum(r.respondents for r in comparison.rows if r.category in hidden)}
    population = {group: sum(r.population_share for r in comparison.rows
                             if r.category in hidden) / 100}
    groups = {group: group}
    for row in comparison.rows:
        if row.category not in hidden:
            sample[row.category] = row.respondents
            population[row.category] = row.population_share / 100  # shares of 1
            groups[row.category] = row.group or row.category
    return compare(comparison.dimension, sample, population, who=groups.__getitem__)


def _comparison_table(comparison: Comparison, weighted: Comparison | None,
                      hidden: frozenset[str] = frozenset()) -> Table:
    """Respondents against the population; the counts in ``hidden`` and their shares and
    ratios are secret, and count as one group in the statistics."""
    public = _public_statistics(comparison, hidden)
    rows = []
    for i, row in enumerate(comparison.rows):
        secret = row.category in hidden
        cells = [row.category, SECRET if secret else round(row.respondents),
                 None if secret else round(row.respondent_share, 1),
                 round(row.population_share, 1),
                 None if secret or row.ratio is None else round(row.ratio, 2)]
        if weighted is not None:
            cells.append(None if secret else round(weighted.rows[i].respondent_share, 1))
        rows.append(cells)
    total = [_("Total"), round(comparison.respondents), 100.0 if comparison.respondents else None,
             100.0, None]
    rows.append(total + ([100.0 if comparison.respondents else None] if weighted else []))
    columns = [_("Category"), _("Respondents"), _("Share of respondents (%)"),
               _("Share of the population (%)"), _("Representation ratio")]
    if weighted is not None:
        columns.append(_("Share after weighting (%)"))
    note = _("Dissimilarity index: {value} percent of the respondents would have to change "
             "category to look like the population.").format(
        value=french_number(round(public.dissimilarity, 1))) + " "
    if public.merged:
        note += _("For the χ² test, {merges}.").format(merges=" ; ".join(public.merged)) + " "
    if hidden:
        note += _secrecy_note() + " " + _("The secret categories count as one group in the "
                                          "dissimilarity index and the χ² test.")
    return Table(_("Representativeness by {dimension}").format(dimension=comparison.dimension),
                 columns, rows, note=note.strip(),
                 sheet=_("Representativeness {dimension}").format(
                     dimension=comparison.dimension)[:31],
                 decimals=(None, 0, 1, 1, 2, 1))


def _published_verdict(comparison: Comparison, hidden: frozenset[str]) -> list[str]:
    """The verdict, without a word on the categories whose count is secret: their share, or
    even their being called under-represented (or not), would narrow the count down. The
    test and the groups called out are those of ``_public_statistics``, as in the table."""
    if not hidden:
        return list(comparison.verdict)
    public = _public_statistics(comparison, hidden)
    secret = _("secret categories")
    named = [sentence for category, sentence in zip(public.called_out, public.sentences,
                                                    strict=True) if category != secret]
    return [*((public.test,) if public.test else ()),
            *(named or [_("No group whose count is published is clearly over- or "
                          "under-represented.")]),
            _("Categories whose count is secret ('s') are not assessed.")]


def _comparison_chart(comparison: Comparison, hidden: frozenset[str] = frozenset()
                      ) -> Figure | None:
    if len(comparison.rows) > 12:
        return None
    values = []
    respondents, people = _("Respondents"), _("Population")
    for row in comparison.rows:
        if row.category not in hidden:
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
    """Per profile dimension: verdict, table and chart; small counts protected jointly with
    the other tables of the report (communes within their size class, cross-tabs)."""
    disclosure = evaluation.disclosure
    blocks: list = []
    for dimension, plain, weighted in zip(evaluation.framework.profile, evaluation.comparisons,
                                          evaluation.weighted_comparisons, strict=True):
        is_margin = dimension.census != "commune"
        hidden = disclosure.categories.get(dimension.census, frozenset())
        verdict = _published_verdict(plain, hidden)
        blocks.append(Text("### " + _("By {dimension}").format(dimension=plain.dimension)
                           + "\n\n" + "\n".join(f"- {sentence}" for sentence in verdict)))
        blocks.append(_comparison_table(plain, weighted if is_margin and evaluation.raking
                                        else None, hidden))
        merges = [m for m in (evaluation.raking.merges if evaluation.raking else ())
                  if m.margin == dimension.label]
        if merges and is_margin:
            blocks.append(Text("\n".join(
                f"- {m.sentence} " + _("Their weighted shares are to be read together.")
                for m in merges)))
        chart = _comparison_chart(plain, hidden)
        if chart is not None:
            blocks.append(chart)
    return blocks


def _weighting_rows(evaluation: Evaluation) -> list[list]:
    raking = evaluation.raking
    margins = ", ".join(d.label for d in evaluation.framework.profile if d.census != "commune")
    bounded = raking.bounds is not None
    rows = [[_("Calibration variables"), margins],
            [_("Method"), _("calibration on margins, raking ratio truncated to bounds")
             if bounded else _("calibration on margins (raking)")]]
    if bounded:
        rows.append([_("Bounds on the weights (mean weight = 1)"),
                     _("from {floor} to {cap}").format(floor=french_number(raking.bounds[0]),
                                                       cap=french_number(raking.bounds[1]))])
    rows += [[_("Iterations"), raking.iterations],
             [_("Convergence"), _("reached") if raking.converged else _("not reached")],
             [_("Largest gap left to the margins (percentage points)"),
              round(100 * raking.max_gap, 2)],
             [_("Smallest weight"), round(min(raking.weights), 2)],
             [_("Largest weight"), round(max(raking.weights), 2)]]
    if bounded:
        rows += [[_("Weights at the cap"), raking.at_cap],
                 [_("Weights at the floor"), raking.at_floor]]
    rows += [[_("Design effect of the weights (Kish)"), round(raking.design_effect, 2)],
             [_("Effective sample size (Kish)"), round(raking.effective_size, 1)],
             [_("Answers"), len(raking.weights)]]
    return rows


def weighting(evaluation: Evaluation) -> list:
    """The calibration and its diagnostics: bounds, capped weights, design effect, merges and
    margins not met."""
    raking = evaluation.raking
    if raking is None:
        return [Text(_("No weighting: {reason}").format(reason=evaluation.weighting_refused)
                     if evaluation.weighting_refused else
                     _("No weighting: no profile variable linked to the census."))]
    blocks: list = [
        Text(_("The answers are weighted so that the respondents' structure meets the "
               "population's on the calibration variables, each weight staying within "
               "bounds so that no respondent counts for too many. Every result is given "
               "**unweighted and weighted, side by side**; when they differ, the sample's "
               "composition by these variables explains the gap.")),
        Table(_("Weighting"), [_("Item"), _("Value")], _weighting_rows(evaluation),
              sheet=_("Weighting"))]
    if raking.merges:
        blocks.append(Text("\n".join(f"- {merge.sentence}" for merge in raking.merges)))
    if raking.unmet:
        labels = {d.census: d.label for d in evaluation.framework.profile}
        secret = evaluation.disclosure.categories  # a weighted share bounds a secret count
        blocks.append(Text(_("**The calibration failed**: within the bounds, no weights meet "
                             "every margin. The weighted results are flagged and the "
                             "judgement relies on them with caution.")))
        blocks.append(Table(
            _("Margins not met"), [_("Variable"), _("Category"), _("Target (%)"),
                                   _("After weighting (%)"), _("Gap (points)")],
            [[labels.get(gap.margin, gap.margin), gap.category, round(100 * gap.target, 1),
              *((SECRET, SECRET) if gap.category in secret.get(gap.margin, ()) else
                (round(100 * gap.weighted, 1), round(100 * gap.gap, 1)))]
             for gap in raking.unmet],
            sheet=_("Margins not met")))
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
                           + answers_count(summary.answers)))
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
    commune…), with small cells and the cells that would reveal them suppressed (jointly with
    the profile tables: see ``_disclosure``)."""
    agreement = _agreement()
    columns = [agreement[5], agreement[3], agreement[1], agreement["nsp"]]
    tables = evaluation.disclosure.crosstabs
    blocks: list = []
    for dimension in evaluation.framework.profile:
        for qid in likert_questions(evaluation.framework):
            table = tables.get((dimension.census, qid))
            if table is None:
                continue
            label = evaluation.data.spec.question(qid).label
            shown = table.shown()
            rows = [[category, *shown[i]] for i, category in enumerate(table.rows)]
            rows.append([_("All respondents"), *shown[-1]])
            blocks.append(Table(
                _("{question} — by {dimension}").format(question=label,
                                                        dimension=dimension.label),
                [dimension.label.capitalize(), *columns, _("Total")], rows,
                sheet=f"{qid} x {dimension.census}"[:31],
                note=_("Unweighted counts.") + (" " + _secrecy_note() if table.hidden
                                                else "")))
    return blocks
