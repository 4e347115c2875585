"""Staff tab: the members registry (view, add, edit, export, anonymise) and the composition
check. Personal data: staff app only."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from workbench.council.composition import check_composition
from workbench.council.members import AGE_BANDS, COLLEGES, active_members
from workbench.council.registry import (
    MemberRecord,
    field_labels,
    list_members,
    members_csv,
    purge_expired,
    save_member,
)
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.territory import communes
from workbench.web.choices import set_options
from workbench.web.date_input import FrenchDate
from workbench.web.fields import fill_widgets, read_widgets
from workbench.web.grid import DataGrid
from workbench.web.markup import download_link, status

__all__ = ["MembersTab"]

NEW = 0


class MembersTab:
    def __init__(self) -> None:
        self.names = {c.code_insee: c.nom for c in communes()}
        self.composition = w.HTML()
        self.scope = w.ToggleButtons(options=[(_("In office"), True), (_("All"), False)],
                                     value=True)
        self.scope.observe(lambda _c: self._draw_table(), "value")
        self.registry = DataGrid(
            (_("Name"), _("Commune"), _("Sex"), _("Age band"), _("College"), _("Entry"),
             _("Exit"), _("E-mail")), caption=_("Council members"), dates=(5, 6),
            select=True)
        self.registry.widget.observe(lambda _c: self._pick(), "selected_rows")
        self.shown_count = w.HTML()
        self.export = w.HTML()
        export = w.Button(description=_("Export the registry (CSV, personal data)"),
                          layout={"width": "auto"})
        export.on_click(lambda _b: self._export())
        self.chosen = w.Dropdown(description=_("Member"), layout={"width": "32em"})
        self.chosen.observe(lambda _c: self._fill(), "value")
        field = {"style": {"description_width": "12em"}, "layout": {"width": "32em"}}
        label = field_labels()
        self.inputs = {
            "nom": w.Text(description=label["nom"], **field),
            "email": w.Text(description=label["email"], **field),
            "telephone": w.Text(description=label["telephone"], **field),
            "commune": w.Dropdown(description=label["commune"], options=[
                ("—", ""), *sorted((n, c) for c, n in self.names.items())], **field),
            "sexe": w.Dropdown(description=label["sexe"], options=[(_("Woman"), "F"),
                                                                   (_("Man"), "H")], **field),
            "tranche_age": w.Dropdown(description=label["tranche_age"], options=AGE_BANDS,
                                      **field),
            "college": w.Dropdown(description=label["college"], options=COLLEGES, **field),
            "entree": FrenchDate(description=label["entree"], **field),
            "sortie": FrenchDate(description=label["sortie"], **field),
            "conservation_jusqu_au": FrenchDate(description=label["conservation_jusqu_au"],
                                                  **field),
            "elu_communautaire": w.Checkbox(description=label["elu_communautaire"],
                                            indent=False),
            "consentement": w.Checkbox(description=label["consentement"], indent=False),
            "date_consentement": FrenchDate(description=label["date_consentement"], **field),
        }
        save = w.Button(description=_("Save the member"), button_style="primary")
        save.on_click(lambda _b: self._save())
        purge = w.Button(description=_("Anonymise members past their retention date"))
        purge.on_click(lambda _b: self._purge())
        self.message = w.HTML()
        self.root = w.VBox([
            w.HTML("<h2>" + html.escape(_("Composition (CGCT art. L5211-10-1)")) + "</h2>"),
            self.composition,
            w.HTML("<h2>" + html.escape(_("Registry")) + "</h2>"), self.scope,
            self.registry.widget, self.shown_count,
            export, self.export,
            w.HTML("<h2>" + html.escape(_("Add or edit a member")) + "</h2>"), self.chosen,
            *self.inputs.values(), save, self.message, purge])
        self.root.add_class("wb-members")
        self._refresh()

    def _refresh(self, keep: int = NEW) -> None:
        self.records = {r.id: r for r in list_members()}
        set_options(self.chosen, [(_("— New member —"), NEW)] + [
            (r.fields["nom"], r.id) for r in self.records.values()], keep)
        self._fill()
        self._draw_table()
        self.composition.value = "<ul>" + "".join(
            f"<li class='{'wb-ok' if rule.ok else 'wb-warn'}'>{html.escape(rule.verdict)}"
            + "".join(f"<br>{html.escape(d)}" for d in rule.details) + "</li>"
            for rule in check_composition(active_members(), _census())) + "</ul>"
        self.export.value = ""  # made on demand: each export is in the audit trail

    def _draw_table(self) -> None:
        self.shown = [r for r in self.records.values() if r.active or not self.scope.value]
        self.registry.update(
            (f["nom"], self.names.get(f["commune"], "—"), f["sexe"], f["tranche_age"],
             f["college"], f["entree"], f["sortie"] or "—", f["email"] or "—")
            for f in (r.fields for r in self.shown))
        self.shown_count.value = "<p>" + html.escape(
            _("{n} members shown. Select a row to edit the member.").format(
                n=len(self.shown))) + "</p>"

    def _pick(self) -> None:
        """A row selected in the grid is the member to edit."""
        chosen = self.registry.selected
        if chosen and chosen[0] < len(self.shown):
            self.chosen.value = self.shown[chosen[0]].id

    def _fill(self) -> None:
        record: MemberRecord | None = self.records.get(self.chosen.value)
        fields = record.fields if record else {"sexe": "F", "tranche_age": AGE_BANDS[0],
                                                "college": COLLEGES[0],
                                                "entree": date.today().isoformat(),
                                                "consentement": "oui"}
        fill_widgets(self.inputs, fields)

    def _save(self) -> None:
        try:
            member = save_member(read_widgets(self.inputs), self.chosen.value or None)
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        self._refresh(keep=member)
        self.message.value = status(_("Member saved."))

    def _export(self) -> None:
        try:
            data = members_csv()
        except WorkbenchError as error:
            self.export.value = status(str(error), error=True)
            return
        self.export.value = download_link("registre-conseil.csv", data,
                                          _("Download the registry (CSV, personal data)"))

    def _purge(self) -> None:
        try:
            count = purge_expired()
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        self._refresh()
        self.message.value = status(_("{count} members anonymised.").format(count=count))


def _census():
    from workbench.evaluation.census import load_census

    return load_census()
