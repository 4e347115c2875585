"""Staff tab: enter or edit a subsidy request (CERFA n°12156 essentials), the year's requests
and the alerts (documents missing, financial reports overdue, conventions). ASSOCIATIONS
permission (else a French refusal is the tab's only content)."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from workbench.associations.requests import (
    DOCUMENTS,
    KINDS,
    SERVICES,
    STATUSES,
    alerts,
    list_requests,
    request_fields,
    save_request,
)
from workbench.errors import WorkbenchError
from workbench.french import tidy
from workbench.i18n import _
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.territory import communes
from workbench.web.choices import set_options
from workbench.web.date_input import FrenchDate
from workbench.web.fields import fill_widgets, read_widgets
from workbench.web.grid import DataGrid
from workbench.web.markup import status, table

__all__ = ["RequestsTab"]

NEW = 0


class RequestsTab:
    def __init__(self) -> None:
        try:
            require(Permission.ASSOCIATIONS)
        except Refused as refused:
            self.root = w.VBox([w.HTML(status(str(refused), error=True))])
            return
        field = {"style": {"description_width": "13em"}, "layout": {"width": "44em"}}
        self.year = w.BoundedIntText(description=_("Year"), value=date.today().year,
                                     min=2000, max=2100)
        self.year.observe(lambda _c: self._refresh(), "value")
        self.chosen = w.Dropdown(description=_("Request"), layout={"width": "44em"},
                                 style={"description_width": "13em"})
        self.chosen.observe(lambda _c: self._fill(), "value")
        text = {c: w.Text(description=label, **field) for c, label in (
            ("reference", _("Reference")), ("association", _("Association")),
            ("rna", _("RNA number")), ("siret", _("SIRET")), ("intitule", _("Title")),
            ("public", _("Public")), ("autres_financeurs", _("Other funders")),
            ("budget_total", _("Total budget (€)")),
            ("montant_demande", _("Amount requested (€)")), ("commission", _("Committee")))}
        self.inputs: dict[str, w.Widget] = {
            **text,
            "commune": w.Dropdown(description=_("Commune"), options=[("—", "")] + [
                (c.nom, c.code_insee) for c in communes()], **field),
            "service": w.Dropdown(description=_("Service"), options=SERVICES, **field),
            "type": w.Dropdown(description=_("Kind"), options=KINDS, **field),
            "renouvellement": w.Checkbox(description=_("Renewal"), indent=False),
            "pluriannuel": w.Checkbox(description=_("Multi-year"), indent=False),
            "description": w.Textarea(description=_("Description"), **field),
            "objectifs": w.Textarea(description=_("Objectives"), **field),
            "debut": FrenchDate(description=_("Start"), **field),
            "fin": FrenchDate(description=_("End"), **field),
            "statut": w.Dropdown(description=_("Status"), options=STATUSES, **field),
            "convention": FrenchDate(description=_("Convention signed on"), **field),
            "versement": FrenchDate(description=_("Paid on"), **field),
            "bilan_recu": FrenchDate(description=_("Financial report received on"),
                                       **field),
            "pieces": w.SelectMultiple(description=_("Documents received"),
                                       options=[(label, code) for code, label in
                                                DOCUMENTS.items()], rows=8, **field),
        }
        save = w.Button(description=_("Save the request"), button_style="primary")
        save.on_click(lambda _b: self._save())
        self.message = w.HTML()
        self.listing = DataGrid(
            (_("Reference"), _("Association"), _("Service"), _("Status"),
             _("Amount requested (€)")), caption=_("Requests of the year"), numeric=(4,),
            select=True)
        self.listing.widget.observe(lambda _c: self._pick(), "selected_rows")
        self.alerts = w.HTML()
        self.root = w.VBox([
            w.HTML("<h2>" + html.escape(_("Subsidy requests")) + "</h2>"), self.year,
            self.chosen, *self.inputs.values(), save, self.message,
            w.HTML("<h2>" + html.escape(_("To chase")) + "</h2>"), self.alerts,
            w.HTML("<h2>" + html.escape(_("Requests of the year")) + "</h2>"),
            self.listing.widget])
        self.root.add_class("wb-requests")
        self._refresh()

    def _refresh(self, keep: int = NEW) -> None:
        rows = list_requests(self.year.value)
        set_options(self.chosen, [(_("— New request —"), NEW)] + [
            (f"{ref} · {name}", rid) for rid, ref, name, *_rest in rows], keep)
        self._fill()
        self.ids = [row[0] for row in rows]
        self.listing.update((ref, name, service, state, tidy(amount))
                            for _id, ref, name, service, state, amount in rows)
        found = alerts(date.today())
        self.alerts.value = table((_("Reference"), _("Association"), _("Alert")),
                                  [(a.reference, a.association, a.message) for a in found]) \
            if found else "<p>" + html.escape(_("Nothing to chase.")) + "</p>"

    def _pick(self) -> None:
        """A row selected in the grid is the request to edit."""
        chosen = self.listing.selected
        if chosen and chosen[0] < len(self.ids):
            self.chosen.value = self.ids[chosen[0]]

    def _fill(self) -> None:
        fields = request_fields(self.chosen.value) if self.chosen.value else {
            "annee": str(self.year.value), "service": SERVICES[0], "type": KINDS[0],
            "statut": STATUSES[0]}
        fill_widgets(self.inputs, fields)

    def _save(self) -> None:
        try:
            request = save_request({"annee": str(self.year.value),
                                    **read_widgets(self.inputs)})
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        self._refresh(keep=request)
        self.message.value = status(_("Request saved."))
