"""The staff evaluation page: the référentiel with its current values, who took part, the
free-text themes, and the forms to record findings and recommendations.

Everything participants wrote is escaped before display. Opening the page needs
``Permission.READ``; the forms to record findings and recommendations are shown only to those
with ``Permission.REPORTS`` (the others read why instead).
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.evaluation import analysis, records
from workbench.evaluation.census import load_census
from workbench.evaluation.framework import framework_path, load_framework
from workbench.evaluation.judgement import target_text
from workbench.evaluation.responses import evaluation_answers
from workbench.forms.reading import form_answers
from workbench.french import french_number, tidy
from workbench.i18n import _
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.web.background import BackgroundJob
from workbench.web.markup import status

__all__ = ["EvaluationPage"]


def _e(value: object) -> str:
    return html.escape(french_number(value) if not isinstance(value, str) else value)


class EvaluationPage:
    """One evaluation (``slug``), for staff."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.message = w.HTML()
        self.root = w.VBox([self.message])
        self.root.add_class("wb-evaluation")
        try:
            require(Permission.READ)
        except Refused as refused:  # the refusal is the page's only content
            self.message.value = status(str(refused), error=True)
            return
        try:
            self.framework = load_framework(framework_path(slug))
        except WorkbenchError as error:  # an unknown evaluation, or a framework with errors
            self.message.value = "<pre class='wb-error'>" + html.escape(str(error)) + "</pre>"
            return
        read = form_answers(self.framework.form, record=False)
        if read is None:
            self.message.value = html.escape(_("The questionnaire '{slug}' does not exist or "
                                               "is not published.").format(
                                                   slug=self.framework.form))
            return
        answers = evaluation_answers(self.framework, read)
        data = answers.data
        census = load_census()
        self.respondents = analysis.profiles(self.framework, data.spec,
                                             [r["answers"] for r in data.responses])
        try:
            self.raking = analysis.weights(self.framework, self.respondents, census)
        except ValueError:  # a category without answers that cannot be merged: unweighted
            self.raking = None
        self.comparisons = analysis.representativeness(self.framework, self.respondents,
                                                       census)
        self.weighted = w.ToggleButtons(options=[(_("Unweighted"), False),
                                                 (_("Weighted"), True)], value=False)
        self.weighted.observe(lambda _c: self._draw_framework(), names="value")
        self.framework_table = w.HTML()
        self.themes = w.HTML()
        self.themes_button = themes_button = w.Button(description=_("Analyse the free text"))
        themes_button.on_click(lambda _b: self._analyse())
        self.themes_job = BackgroundJob(_("The analysis of the free text"))
        self.findings = w.HTML()
        self.question_choice = w.Dropdown(
            options=[(f"{i}. {q.text}", q.id) for i, q in enumerate(self.framework.questions,
                                                                   start=1)],
            description=_("Question"))
        self.finding_text = w.Textarea(placeholder=_("Finding"), layout={"width": "40em"})
        save_finding = w.Button(description=_("Save the finding"), button_style="primary")
        save_finding.on_click(lambda _b: self._act(lambda: records.add_finding(
            self.slug, self.question_choice.value, self.finding_text.value), self.finding_text))
        self.recommendation_text = w.Textarea(placeholder=_("Recommendation"),
                                              layout={"width": "40em"})
        self.addressee = w.Text(description=_("Addressee"))
        self.priority = w.Dropdown(options=list(records.PRIORITIES), value="moyenne",
                                   description=_("Priority"))
        save_recommendation = w.Button(description=_("Save the recommendation"),
                                       button_style="primary")
        save_recommendation.on_click(lambda _b: self._act(lambda: records.add_recommendation(
            self.slug, self.recommendation_text.value, self.addressee.value,
            self.priority.value), self.recommendation_text))
        try:
            require(Permission.REPORTS)
            writing = [self.question_choice, self.finding_text, save_finding,
                       self.recommendation_text, self.addressee, self.priority,
                       save_recommendation]
        except Refused as refused:  # read only: why the forms are not there
            writing = [w.HTML(status(str(refused)))]
        self.root.children = [
            w.HTML(f"<h1>{_e(self.framework.title)}</h1><p>{_e(self.framework.policy)} — "
                   f"{_e(self.framework.period)} — {_e(len(data.responses))} "
                   + html.escape(_("responses")) + "</p>"
                   + (f"<p>{_e(answers.note)}</p>" if answers.note else "")),
            w.HTML("<h2>" + html.escape(_("Framework and indicators")) + "</h2>"),
            self.weighted, self.framework_table,
            w.HTML("<h2>" + html.escape(_("Who took part")) + "</h2>"
                   + self._representativeness()),
            w.HTML("<h2>" + html.escape(_("Free text")) + "</h2>"), themes_button,
            self.themes_job.root, self.themes,
            w.HTML("<h2>" + html.escape(_("Findings and recommendations")) + "</h2>"),
            self.findings, *writing, self.message]
        self._draw_framework()
        self._draw_records()

    def _act(self, action, field: w.Textarea) -> None:
        try:
            action()
        except WorkbenchError as error:
            self.message.value = f"<p class='wb-error'>{html.escape(str(error))}</p>"
            return
        field.value = ""
        self.message.value = html.escape(_("Saved."))
        self._draw_records()

    def _draw_framework(self) -> None:
        weights = self.raking.weights if self.weighted.value and self.raking else None
        rows = []
        for question in self.framework.questions:
            for indicator in question.indicators:
                value = analysis.indicator_value(indicator, self.respondents, weights)
                shown = value.weighted if weights is not None and value.weighted is not None \
                    else value.value
                rows.append(
                    f"<tr><td>{_e(question.text)}</td><td>{_e(', '.join(question.criteria))}"
                    f"</td><td>{_e(indicator.label)}</td><td class='wb-num'>"
                    f"{'—' if shown is None else _e(tidy(shown))} {_e(value.unit)}</td>"
                    f"<td>{_e(target_text(indicator, value.unit))}</td></tr>")
        head = "".join(f"<th>{html.escape(h)}</th>" for h in (
            _("Evaluative question"), _("Criteria"), _("Indicator"), _("Value"), _("Target")))
        self.framework_table.value = (f"<table class='wb-table'><thead><tr>{head}</tr></thead>"
                                      f"<tbody>{''.join(rows)}</tbody></table>")

    def _representativeness(self) -> str:
        parts = []
        for comparison in self.comparisons:
            items = "".join(f"<li>{_e(sentence)}</li>" for sentence in comparison.verdict)
            parts.append(f"<h3>{_e(comparison.dimension.capitalize())}</h3><ul>{items}</ul>")
        if self.raking:
            parts.append("<p>" + html.escape(_(
                "Weights (raking on the census margins): effective sample size {ess} of {n}.")
                .format(ess=french_number(round(self.raking.effective_size, 1)),
                        n=len(self.raking.weights))) + "</p>")
        return "".join(parts)

    def _analyse(self) -> None:
        """The themes of each free-text question, in the background (spaCy takes seconds):
        a progress bar per question, a cancel button, the page usable meanwhile."""
        self.themes_button.disabled = True
        self.themes.value = ""
        self.themes_job.start(self._themes, self._show_themes, self._themes_failed)

    def _themes(self, progress) -> str:
        from workbench.evaluation.text import summarise

        questions = [q for q in self.respondents.spec.questions if q.type == "long_text"]
        blocks = []
        for number, question in enumerate(questions):
            progress(number, len(questions), question.label)
            texts = [a[question.id] for a in self.respondents.answers
                     if isinstance(a.get(question.id), str)]
            summary = summarise(texts)
            items = "".join(
                f"<li><strong>{_e(', '.join(t.terms[:4]))}</strong> ({_e(t.size)}) : "
                + " / ".join(f"« {_e(q)} »" for q in t.quotes) + "</li>"
                for t in summary.themes)
            blocks.append(f"<h3>{_e(question.label)}</h3><ul>{items}</ul>")
        progress(len(questions), len(questions), "")
        return "".join(blocks)

    def _show_themes(self, blocks: str) -> None:
        self.themes_button.disabled = False
        self.themes.value = blocks

    def _themes_failed(self, message: str) -> None:
        self.themes_button.disabled = False
        self.themes.value = status(message, error=True)

    def _draw_records(self) -> None:
        texts = {q.id: q.text for q in self.framework.questions}
        findings = "".join(f"<li><em>{_e(texts.get(f.question_id, f.question_id))}</em> : "
                           f"{_e(f.text)}</li>" for f in records.list_findings(self.slug))
        recommendations = "".join(
            f"<li>{_e(r.text)} — {_e(r.addressee)} ({_e(r.priority)})</li>"
            for r in records.list_recommendations(self.slug))
        headings = [html.escape(_("Findings")), html.escape(_("Recommendations"))]
        self.findings.value = (f"<h3>{headings[0]}</h3><ul>{findings}</ul>"
                               f"<h3>{headings[1]}</h3><ul>{recommendations}</ul>")
