"""The questionnaire report: participation, every question's distribution, methods.

Used by ``notebooks/reports/questionnaire.ipynb``; each function returns blocks to display.
"""

from __future__ import annotations

from collections import Counter

from workbench.documents.blocks import Cover, Figure, Table, Text
from workbench.evaluation.suppression import SECRET
from workbench.french import french_date, french_number, tidy
from workbench.i18n import _, ngettext
from workbench.reports.data import FormAnswers, form_answers, population
from workbench.reports.participation import (
    answers_count,
    by_commune,
    over_time,
    protected_result,
    unknown,
    year_on_year,
)
from workbench.workshops.charts import chart_for
from workbench.workshops.results import small_cell_threshold

__all__ = ["commune_question", "cover", "load", "methods", "participation", "questions",
           "year_comparison"]


def load(slug: str, year: int, session: str = "") -> FormAnswers:
    """The answers of the year (all years with ``year`` 0), or of one live session; a French
    error if the questionnaire is unknown."""
    data = form_answers(slug, year or None, session=session or None)
    if data is None:
        raise ValueError(_("The questionnaire '{slug}' does not exist or is not published.")
                         .format(slug=slug))
    return data


def cover(data: FormAnswers, year: int, session: str = "") -> Cover:
    last = max((r["submitted_at"] for r in data.responses), default=None)
    subject = f"« {data.spec.title} »"
    if session:
        subject += ", " + _("workshop {code}").format(code=session)
    return Cover(_("Questionnaire report"), subject,
                 str(year) if year else _("all years"),
                 french_date(last.date()) if last else _("no answer"))


def commune_question(data: FormAnswers) -> str | None:
    return next((q.id for q in data.spec.questions if q.type == "commune"), None)


def participation(data: FormAnswers) -> list:
    synthetic = any(r["synthetic"] for r in data.responses)
    n = len(data.responses)
    blocks: list = [Text((
        ngettext("The questionnaire received **{n} answer** over the period (a synthetic "
                 "demonstration answer).",
                 "The questionnaire received **{n} answers** over the period (some of them "
                 "synthetic demonstration answers).", n) if synthetic else
        ngettext("The questionnaire received **{n} answer** over the period.",
                 "The questionnaire received **{n} answers** over the period.", n)).format(
        n=french_number(n)))]
    blocks += over_time([r["submitted_at"] for r in data.responses], _("Answers over time"))
    question = commune_question(data)
    if question:
        blocks += by_commune((r["answers"].get(question) for r in data.responses),
                             population(), _("Answers per commune"))
    return blocks


def questions(data: FormAnswers) -> list:
    """For every question: counts and shares (or words and extracts), and its chart."""
    threshold = small_cell_threshold()
    blocks: list = []
    for number, question in enumerate(data.spec.questions, start=1):
        values = [r["answers"][question.id] for r in data.responses
                  if question.id in r["answers"]]
        result = protected_result(question, values, threshold)
        blocks.append(Text(f"### {number}. {question.label}\n\n"
                           + answers_count(result.total)))
        sheet = f"Q{number} {question.id}"
        if result.hidden:
            blocks.append(Text(_("Fewer than {n} answers: results not published.").format(
                n=threshold)))
            continue
        if result.kind in ("short_text", "long_text"):
            blocks.append(Table(_("{question} — most frequent words").format(
                question=question.label), [_("Word"), _("Occurrences")],
                [list(w) for w in result.words], sheet=sheet))
            blocks.append(Table(_("{question} — latest answers").format(
                question=question.label), [_("Answer")], [[text] for text in result.latest],
                sheet=_("{sheet} extracts").format(sheet=sheet)))
        elif result.kind in ("ranking", "points"):
            heading = _("Mean rank") if result.kind == "ranking" else _("Total points")
            blocks.append(Table(question.label, [_("Proposal"), heading],
                                [[b.label, b.value] for b in result.bars], sheet=sheet))
        else:
            blocks.append(Table(question.label, [_("Option"), _("Count"), _("Share (%)")],
                                [[b.label, b.count if b.count is not None else SECRET,
                                  b.percent] for b in result.bars], sheet=sheet,
                                note=(_("Median: {value}").format(
                                    value=french_number(tidy(result.median)))
                                      if result.median is not None else "")))
        chart = chart_for(result)
        if chart is not None:
            blocks.append(Figure(question.label, chart, alt=_(
                "Chart of the answers to “{question}”; its figures are in the table "
                "above.").format(question=question.label)))
    return blocks


def year_comparison(slug: str, data: FormAnswers, year: int) -> list:
    """Answers by commune compared with the previous year, when it has answers too."""
    if not year:
        return []
    previous = form_answers(slug, year - 1)
    if previous is None or not previous.responses:
        return [Text(_("No answer in {year}: no comparison from one year to the next.")
                     .format(year=year - 1))]
    question = commune_question(data)
    names = {code: name for code, (name, _people) in population().items()}

    def tally(answers: FormAnswers) -> Counter:
        everyone = _("All")
        return Counter((r["answers"].get(question) or "?") if question else everyone
                       for r in answers.responses)

    return year_on_year(tally(data), tally(previous), year, {**names, "?": unknown()},
                        _("Answers per commune"), _("Commune"))


def methods(data: FormAnswers, year: int) -> Table:
    moments = [r["submitted_at"] for r in data.responses]
    versions = sorted({r["version"] for r in data.responses})
    period = str(year) if year else _("all years")
    rows = [
        [_("Questionnaire"), data.spec.title],
        [_("Identifier"), data.spec.slug],
        [_("Period of the report"), period],
        [_("First answer"), french_date(min(moments)) if moments else "—"],
        [_("Last answer"), french_date(max(moments)) if moments else "—"],
        [_("Number of answers"), len(data.responses)],
        [_("Synthetic answers (demonstration)"), sum(r["synthetic"] for r in data.responses)],
        [_("Anonymity"), _("anonymous") if data.spec.anonymity == "anonymous"
         else _("identified")],
        [_("Access"), _("open to anyone") if data.spec.access == "open" else _("by invitation")],
        [_("Version of the questionnaire (latest published)"), data.version],
        [_("Versions that received answers"), ", ".join(map(str, versions)) or "—"],
        [_("Statistical confidentiality rule"),
         _("no count from 1 to {last} is published or can be deduced from the totals "
           "('s': statistical secret)").format(last=small_cell_threshold() - 1)],
    ]
    return Table(_("Methods annex"), [_("Item"), _("Value")], rows, sheet=_("Methods"))
