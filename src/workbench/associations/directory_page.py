"""The directory page: search the territory's associations by name, theme and commune.

``DirectoryView(staff=False)`` is the public page (no address, no identifiers); the staff
page shows the registered office and the RNA and SIRET numbers. Light imports (public app).
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.associations.directory import LIMIT, Entry, search
from workbench.associations.nomenclature import themes
from workbench.i18n import _, ngettext
from workbench.territory import communes
from workbench.web.markup import table

__all__ = ["DirectoryView"]


class DirectoryView:
    def __init__(self, staff: bool = False) -> None:
        self.staff = staff
        fit = {"layout": {"width": "100%", "max_width": "36em"}}
        self.text = w.Text(placeholder=_("Name or object (e.g. bagad, tennis)"),
                           description=_("Search"), continuous_update=False, **fit)
        self.theme = w.Dropdown(description=_("Theme"), options=[(_("All themes"), "")] + [
            (t.label, t.code) for t in themes()], **fit)
        self.commune = w.Dropdown(description=_("Commune"), options=[(_("All communes"), "")]
                                  + [(c.nom, c.code_insee) for c in communes()], **fit)
        self.dissolved = w.Checkbox(description=_("Include dissolved associations"),
                                    value=False, indent=False)
        for control in (self.text, self.theme, self.commune, self.dissolved):
            control.observe(lambda _c: self.refresh(), "value")
        self.results = w.HTML()
        title = _("Directory of associations") if not staff else _("Directory (staff)")
        self.root = w.VBox([w.HTML(f"<h2>{html.escape(title)}</h2>"), self.text, self.theme,
                            self.commune, self.dissolved, self.results])
        self.root.add_class("wb-directory")
        self.refresh()

    def refresh(self) -> None:
        found, total = search(self.text.value, self.theme.value or None,
                              self.commune.value or None, staff=self.staff,
                              include_dissolved=self.dissolved.value)
        count = ngettext("{n} association found.", "{n} associations found.", total).format(
            n=total)
        if total > LIMIT:
            count += " " + _("The first {limit} are shown: refine the search.").format(
                limit=LIMIT)
        listing = self._table(found) if self.staff else self._cards(found)
        self.results.value = f"<p role='status'>{html.escape(count)}</p>" + listing

    @staticmethod
    def _name(entry: Entry) -> str:
        return entry.title + (" " + _("(dissolved)") if entry.dissolved else "")

    def _cards(self, found: list[Entry]) -> str:
        """One block per association: readable on a phone."""
        out = []
        for e in found:
            facts = " · ".join(filter(None, (e.theme, e.commune, _("created in {year}").format(
                year=e.created) if e.created else "")))
            out.append(f"<article class='wb-card'><h3>{html.escape(self._name(e))}</h3>"
                       f"<p class='wb-help'>{html.escape(facts)}</p>"
                       f"<p>{html.escape(e.object[:300])}</p></article>")
        return "".join(out)

    def _table(self, found: list[Entry]) -> str:
        return table(
            (_("Association"), _("Theme"), _("Commune"), _("Created"), _("Object"), _("RNA"),
             _("SIRET"), _("Registered office")),
            [(self._name(e), e.theme, e.commune, e.created or "—", e.object[:160],
              e.rna or "—", e.siret or "—",
              " ".join(filter(None, (e.address, e.postcode))) or "—") for e in found])
