"""Staff tab: the committee's results — scores and spread per request, agreement per
criterion, the rule's proposals within each envelope, staff's adjustments, the votes.
COMMITTEE permission (else a French refusal is the tab's only content)."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from workbench.associations.grid import edition_path, load_edition
from workbench.associations.scoring import adjust, record_decision, results, store_proposals
from workbench.errors import WorkbenchError
from workbench.forms.issues import SpecError
from workbench.french import french_number, tidy
from workbench.i18n import _
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.web.choices import set_options
from workbench.web.date_input import FrenchDate
from workbench.web.grid import DataGrid
from workbench.web.markup import status, table

__all__ = ["CommitteeTab"]


def _number(value: float | None) -> str:
    return french_number(tidy(value)) if value is not None else "—"


class CommitteeTab:
    def __init__(self) -> None:
        try:
            require(Permission.COMMITTEE)
        except Refused as refused:
            self.root = w.VBox([w.HTML(status(str(refused), error=True))])
            return
        folder = edition_path("x").parent
        slugs = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        self.edition = w.Dropdown(description=_("Committee"), options=slugs,
                                  layout={"width": "30em"})
        self.edition.observe(lambda _c: self._refresh(), "value")
        compute = w.Button(description=_("Compute the proposals"),
                           tooltip=_("Replaces the amounts proposed by the rule's"),
                           layout={"width": "auto"})
        compute.on_click(lambda _b: self._act(lambda e: store_proposals(e),
                                              _("Proposals computed.")))
        self.request = w.Dropdown(description=_("File"), layout={"width": "48em"})
        self.amount = w.BoundedFloatText(description=_("Amount (€)"), min=0, max=10**8)
        self.reference = w.Text(description=_("Deliberation"), placeholder="DEL-2026-042")
        self.voted_on = FrenchDate(description=_("Date"), value=date.today())
        adjust_button = w.Button(description=_("Set the amount proposed"),
                                 layout={"width": "auto"})
        adjust_button.on_click(lambda _b: self._act(
            lambda _e: adjust(self.request.value, self.amount.value),
            _("Amount proposed set.")))
        vote = w.Button(description=_("Record the vote"), button_style="primary",
                        layout={"width": "auto"})
        vote.on_click(lambda _b: self._act(
            lambda _e: record_decision(self.request.value, self.amount.value,
                                       self.reference.value, self.voted_on.day),
            _("Vote recorded.")))
        self.message = w.HTML()
        self.totals = w.HTML()
        self.alpha = w.HTML()
        self.table = DataGrid(
            (_("Reference"), _("Association"), _("Service"), _("Score"), _("Spread"),
             _("Disagreement"), _("Requested (€)"), _("Rule (€)"), _("Proposed (€)"),
             _("Voted (€)")), caption=_("Committee files"), numeric=(3, 4, 6, 7, 8, 9),
            select=True)
        self.table.widget.observe(lambda _c: self._pick(), "selected_rows")
        self.root = w.VBox([
            w.HTML("<h2>" + html.escape(_("Allocation committee")) + "</h2>"), self.edition,
            compute, w.HTML("<h3>" + html.escape(_("Envelopes")) + "</h3>"), self.totals,
            w.HTML("<h3>" + html.escape(_("Agreement between assessors")) + "</h3>"),
            self.alpha, w.HTML("<h3>" + html.escape(_("Adjust or record the vote")) + "</h3>"),
            self.request, self.amount, adjust_button, self.reference, self.voted_on, vote,
            self.message, w.HTML("<h3>" + html.escape(_("Files")) + "</h3>"),
            self.table.widget])
        self.root.add_class("wb-committee-results")
        self._refresh()

    def _act(self, action, done: str) -> None:
        try:
            if not self.edition.value:
                raise WorkbenchError(_("No committee edition in data/associations/comites."))
            action(load_edition(self.edition.value))
        except (WorkbenchError, SpecError) as error:
            self.message.value = status(str(error), error=True)
            return
        self._refresh()
        self.message.value = status(done)

    def _pick(self) -> None:
        """A file selected in the grid is the one to adjust."""
        chosen = self.table.selected
        if chosen and chosen[0] < len(self.ids):
            self.request.value = self.ids[chosen[0]]

    def _refresh(self) -> None:
        if not self.edition.value:
            return
        try:
            edition = load_edition(self.edition.value)
            found = results(edition)
        except (WorkbenchError, SpecError) as error:
            self.totals.value = status(str(error), error=True)
            return
        set_options(self.request, [(f"{r.reference} · {r.association} · {r.service}",
                                    r.request_id) for r in found.requests], self.request.value)
        self.totals.value = table(
            (_("Service"), _("Envelope (€)"), _("Rule's proposals (€)"),
             _("Proposed after adjustment (€)"), _("Voted (€)")),
            [(s, *(_number(v) for v in t)) for s, t in found.totals.items()], (1, 2, 3, 4))
        labels = {c.id: c.label for c in [
            *edition.criteria, *(c for items in edition.service_criteria.values()
                                 for c in items)]}
        self.alpha.value = table(
            (_("Criterion"), _("Krippendorff's alpha (ordinal)")),
            [(labels.get(c, c), "—" if a is None else f"{a:.2f}".replace(".", ","))
             for c, a in found.alpha.items()], (1,)) + "<p class='wb-help'>" + html.escape(
            _("1 = full agreement, 0 = no more than chance; below 0.67 the assessors read the "
              "criterion differently.")) + "</p>"
        self.ids = [r.request_id for r in found.requests]
        self.table.update(
            (r.reference, r.association, r.service, *(None if v is None else tidy(v) for v in (
                r.score, r.spread)), _("yes") if r.flagged else "",
             *(None if v is None else tidy(v) for v in (
                 r.requested, r.proposed, r.adjusted, r.voted)))
            for r in found.requests)
