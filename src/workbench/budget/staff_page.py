"""Staff page of the participatory budget (staff app, ``budget.ipynb?edition=SLUG``): the
projects with their review status, and the review form of the one chosen. BUDGET permission
(else a French refusal is the page's only content)."""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.budget.review import (
    REASONS,
    STATUSES,
    projects,
    reason_label,
    review_project,
    status_label,
)
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.territory.communes import commune_by_code
from workbench.web.choices import set_options
from workbench.web.grid import DataGrid
from workbench.web.markup import status as status_line

__all__ = ["ReviewPage"]


def _amount(value) -> float | int | None:
    """An amount for the grid (sorted as a number, shown the French way)."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


class ReviewPage:
    def __init__(self, edition: str) -> None:
        self.slug = edition
        try:
            require(Permission.BUDGET)
        except Refused as refused:
            self.root = w.VBox([w.HTML(status_line(str(refused), error=True))])
            return
        field = {"style": {"description_width": "12em"}, "layout": {"width": "44em"}}
        self.list = DataGrid(
            [_("No."), _("Project"), _("Commune"), _("Proposer's estimate (€)"),
             _("Services' cost (€)"), _("Status"), _("Reason")], caption=_("Projects"),
            numeric=(3, 4), select=True)
        self.list.widget.observe(lambda _c: self._pick(), "selected_rows")
        self.project = w.Dropdown(description=_("Project"), **field)
        self.project.observe(lambda _c: self._show(), "value")
        self.state = w.Dropdown(options=[(status_label(s), s) for s in STATUSES],
                                description=_("Status"), **field)
        self.state.observe(lambda _c: self._visible(), "value")
        self.cost = w.BoundedFloatText(description=_("Services' cost (€)"), min=0,
                                       max=100_000_000, **field)
        self.reason = w.Dropdown(options=[(reason_label(r), r) for r in REASONS],
                                 description=_("Reason"), **field)
        self.text = w.Textarea(description=_("Public text"), placeholder=_(
            "Shown on the public list of projects."), **field)
        self.merge = w.Dropdown(description=_("Merged into"), **field)
        self.service = w.Text(description=_("Reviewing service"), **field)
        save = w.Button(description=_("Save the review"), button_style="primary")
        save.on_click(lambda _b: self._save())
        self.message = w.HTML()
        self.root = w.VBox()
        self.root.add_class("wb-pb-review")
        try:
            self._refresh()
        except WorkbenchError as error:
            self.root.children = [w.HTML(status_line(str(error), error=True))]
            return
        self.root.children = [
            w.HTML("<h1>" + html.escape(_("Participatory budget: feasibility review"))
                   + "</h1>"), self.list.widget,
            w.HTML("<h2>" + html.escape(_("Review a project")) + "</h2>"), self.project,
            self.state, self.cost, self.reason, self.text, self.merge, self.service, save,
            self.message]
        self._show()

    def _refresh(self) -> None:
        self.rows = projects(self.slug)
        self.list.update(
            [r.code, r.title, self._place(r.commune), _amount(r.proposed_cost),
             _amount(r.cost), status_label(r.status),
             (reason_label(r.refusal_category) + " : " + (r.refusal_text or ""))
             if r.status == "non_recevable" else ""] for r in self.rows)
        set_options(self.project, [(f"{r.code}. {r.title}", r.code) for r in self.rows],
                    keep=self.project.value)
        set_options(self.merge, [(f"{r.code}. {r.title}", r.code) for r in self.rows
                                 if r.status == "recevable"], keep=self.merge.value)

    def _pick(self) -> None:
        """A row selected in the grid is the project to review."""
        chosen = self.list.selected
        if chosen and chosen[0] < len(self.rows):
            self.project.value = self.rows[chosen[0]].code

    @staticmethod
    def _place(code: str | None) -> str:
        place = commune_by_code(code) if code else None
        return place.nom if place else _("whole Agglomération")

    def _show(self) -> None:
        row = next((r for r in self.rows if r.code == self.project.value), None)
        if row is None:
            return
        self.state.value = row.status
        self.cost.value = float(row.cost or row.proposed_cost or 0)
        self.reason.value = row.refusal_category or REASONS[0]
        self.text.value = row.refusal_text or ""
        self.service.value = row.service or ""
        self._visible()

    def _visible(self) -> None:
        state = self.state.value
        self.cost.layout.display = None if state == "recevable" else "none"
        for widget in (self.reason, self.text):
            widget.layout.display = None if state == "non_recevable" else "none"
        self.merge.layout.display = None if state == "fusionnee" else "none"

    def _save(self) -> None:
        try:
            review_project(self.slug, self.project.value, self.state.value,
                           cost=self.cost.value, reason=self.reason.value,
                           text=self.text.value, merged_into=self.merge.value,
                           service=self.service.value)
        except WorkbenchError as refused:  # ReviewError, Refused
            self.message.value = status_line(str(refused), error=True)
            return
        self._refresh()
        self.message.value = status_line(_("Review of project {code} saved.").format(
            code=self.project.value))
