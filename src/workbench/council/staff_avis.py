"""Staff tab: droit de suite — a recommendation's answer and milestones, the year's indicators,
the overdue answers and the reminders' mail merge file."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from workbench.council.avis import add_milestone, load_ledger, record_answer
from workbench.council.follow_up import (
    POSITIONS,
    STATUSES,
    LedgerEntry,
    indicators,
    reminders_csv,
)
from workbench.council.follow_up import summary as indicators_summary
from workbench.errors import WorkbenchError
from workbench.french import french_date, french_number
from workbench.i18n import _
from workbench.web.choices import set_options
from workbench.web.date_input import FrenchDate
from workbench.web.grid import DataGrid
from workbench.web.markup import download_link, status

__all__ = ["AvisTab"]


class AvisTab:
    def __init__(self) -> None:
        field = {"style": {"description_width": "10em"}, "layout": {"width": "40em"}}
        self.only_pending = w.Checkbox(description=_("Only recommendations awaiting an answer"),
                                       value=False, indent=False)
        self.only_pending.observe(lambda _c: self._refresh(), "value")
        self.recommendation = w.Dropdown(description=_("Recommendation"),
                                         layout={"width": "56em"},
                                         style={"description_width": "10em"})
        self.recommendation.observe(lambda _c: self._show(), "value")
        self.state = w.HTML()
        self.position = w.Dropdown(options=list(POSITIONS), description=_("Position"), **field)
        self.answered_on = FrenchDate(description=_("Date"), value=date.today(), **field)
        self.answer = w.Textarea(description=_("Answer"),
                                 placeholder=_("Text of the answer."), **field)
        save_answer = w.Button(description=_("Save the answer"), button_style="primary")
        save_answer.on_click(lambda _b: self._save_answer())
        self.status = w.Dropdown(options=list(STATUSES), description=_("Status"), **field)
        self.milestone_on = FrenchDate(description=_("Date"), value=date.today(), **field)
        self.evidence = w.Text(description=_("Evidence"),
                               placeholder=_("Decision, document, address…"), **field)
        save_milestone = w.Button(description=_("Add the milestone"), button_style="primary")
        save_milestone.on_click(lambda _b: self._save_milestone())
        self.year = w.BoundedIntText(description=_("Year"), value=date.today().year,
                                     min=2000, max=2100)
        self.year.observe(lambda _c: self._draw_indicators(), "value")
        self.indicators = w.HTML()
        self.overdue = DataGrid((_("No."), _("Avis"), _("Recommendation"), _("Addressed to"),
                                 _("Due")), caption=_("Overdue recommendations"),
                                numeric=(0,), dates=(4,))
        self.message = w.HTML()
        self.root = w.VBox([
            w.HTML("<h2>" + html.escape(_("Recommendations")) + "</h2>"), self.only_pending,
            self.recommendation, self.state,
            w.HTML("<h3>" + html.escape(_("Official answer")) + "</h3>"),
            self.position, self.answered_on, self.answer, save_answer,
            w.HTML("<h3>" + html.escape(_("Follow-up milestone")) + "</h3>"),
            self.status, self.milestone_on, self.evidence, save_milestone, self.message,
            w.HTML("<h2>" + html.escape(_("Droit de suite indicators")) + "</h2>"),
            self.year, self.indicators, self.overdue.widget])
        self.root.add_class("wb-avis-staff")
        self._refresh()

    def _refresh(self, keep: int | None = None) -> None:
        self.ledger = {e.id: e for e in load_ledger()}
        shown = [e for e in self.ledger.values()
                 if not self.only_pending.value or e.answered_on is None]
        set_options(self.recommendation,
                    [(f"{e.id}. {e.avis} — {e.text[:80]}", e.id) for e in shown], keep)
        self._show()
        self._draw_indicators()

    def _show(self) -> None:
        entry: LedgerEntry | None = self.ledger.get(self.recommendation.value)
        if entry is None:
            self.state.value = "<p>" + html.escape(_("No recommendation.")) + "</p>"
            return
        answer = (_("Answered on {date}: {position}.").format(
            date=french_date(entry.answered_on), position=entry.position)
            if entry.answered_on else _("No answer yet (due {date}).").format(
            date=french_date(entry.due)))
        steps = "".join(f"<li>{french_date(on)} : {html.escape(s)}</li>"
                        for on, s in entry.milestones)
        self.state.value = (
            f"<blockquote>{html.escape(entry.text)}</blockquote><p>"
            + html.escape(_("Addressed to {addressee}.").format(addressee=entry.addressee))
            + " " + html.escape(answer) + "</p>" + (f"<ul>{steps}</ul>" if steps else ""))

    def _act(self, action, done: str) -> None:
        try:
            if self.recommendation.value is None:
                raise WorkbenchError(_("Choose a recommendation and a date."))
            action()
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        self._refresh(keep=self.recommendation.value)
        self.message.value = status(done)

    def _save_answer(self) -> None:
        def save() -> None:
            if self.answered_on.day is None:
                raise WorkbenchError(_("Choose a recommendation and a date."))
            record_answer(self.recommendation.value, self.answered_on.day,
                          self.position.value, self.answer.value)

        self._act(save, _("Answer recorded."))

    def _save_milestone(self) -> None:
        def save() -> None:
            if self.milestone_on.day is None:
                raise WorkbenchError(_("Choose a recommendation and a date."))
            add_milestone(self.recommendation.value, self.milestone_on.day,
                          self.status.value, self.evidence.value.strip())

        self._act(save, _("Milestone recorded."))

    def _draw_indicators(self) -> None:
        today = date.today()
        result = indicators(list(self.ledger.values()), self.year.value, today)
        self.overdue.update((e.id, e.avis, e.text, e.addressee, e.due)
                            for e in result.overdue)
        if not result.recommendations:
            self.indicators.value = "<p>" + html.escape(
                _("No recommendation issued this year.")) + "</p>"
            return
        summary = indicators_summary(result, french_number)
        overdue = download_link(
            f"relances-{self.year.value}.csv", reminders_csv(result.overdue, today),
            _("Reminders to send (CSV for a mail merge)")) if result.overdue else ""
        self.indicators.value = f"<p>{html.escape(summary)}</p>{overdue}"
