"""The directory page: search the territory's associations by name, theme and commune.

``DirectoryView(staff=False)`` is the public page (no address, no identifiers); the staff
page shows the registered office and the RNA and SIRET numbers. Light imports (public app).

The search runs on Enter in the box or with the "Search" button; the number of results is
announced in a polite live region. No box on the page scrolls on its own (ipywidgets' boxes
do by default): what does not fit wraps. The staff page lists them in a data grid
(``workbench.web.grid``: sort, filter, pages), which the public page never loads.
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.associations.directory import LIMIT, Entry, search
from workbench.associations.nomenclature import themes
from workbench.i18n import _, ngettext
from workbench.territory import communes

__all__ = ["DirectoryView"]

STILL = {"overflow": "visible"}  # a box that scrolls must be focusable: these do not scroll


class DirectoryView:
    def __init__(self, staff: bool = False) -> None:
        self.staff = staff
        # full width on a phone (no side margin: 100% + 2 px would make the page scroll)
        fit = {"layout": {"width": "100%", "max_width": "36em", "margin": "2px 0"},
               "style": {"description_width": "initial"}}  # labels shown whole
        # the description is the input's <label>; ipywidgets has no type=search input
        self.text = w.Text(placeholder=_("Name or object (e.g. bagad, tennis)"),
                           description=_("Search for an association"), continuous_update=False,
                           layout={"width": "100%", "max_width": "30em", "margin": "2px 0"},
                           style={"description_width": "initial"})
        self.go = w.Button(description=_("Search"), icon="search", button_style="primary")
        self.go.on_click(lambda _b: self.refresh())
        self.theme = w.Dropdown(description=_("Theme"), options=[(_("All themes"), "")] + [
            (t.label, t.code) for t in themes()], **fit)
        self.commune = w.Dropdown(description=_("Commune"), options=[(_("All communes"), "")]
                                  + [(c.nom, c.code_insee) for c in communes()], **fit)
        self.dissolved = w.Checkbox(description=_("Include dissolved associations"),
                                    value=False, indent=False)
        for control in (self.text, self.theme, self.commune, self.dissolved):
            control.observe(lambda _c: self.refresh(), "value")  # Enter, for the text
        self.status = w.HTML()  # the live region: how many were found
        self.results = w.HTML()
        title = _("Directory of associations") if not staff else _("Directory (staff)")
        level = "h2" if staff else "h1"  # the staff page has its own h1
        parts = [w.HTML(f"<{level}>{html.escape(title)}</{level}>"),
                 w.HBox([self.text, self.go], layout={**STILL, "flex_flow": "row wrap",
                                                      "align_items": "center"}),
                 self.theme, self.commune, self.dissolved]
        if not staff:  # h1, h2, then one h3 per association
            parts.append(w.HTML("<h2>" + html.escape(_("Results")) + "</h2>"))
        self.grid = None
        if staff:  # a data grid (sort, filter, pages): only the staff page loads it
            from workbench.web.grid import DataGrid

            self.grid = DataGrid(
                (_("Association"), _("Theme"), _("Commune"), _("Created"), _("Object"),
                 _("RNA"), _("SIRET"), _("Registered office")),
                caption=_("Associations found"))
        shown = self.grid.widget if self.grid is not None else self.results
        self.root = w.VBox([*parts, self.status, shown], layout=STILL)
        self.root.add_class("wb-directory")
        self.refresh()

    def refresh(self) -> None:
        query = self.text.value.strip()
        found, total = search(query, self.theme.value or None, self.commune.value or None,
                              staff=self.staff, include_dissolved=self.dissolved.value)
        if total:
            count = ngettext("{n} association found.", "{n} associations found.",
                             total).format(n=total)
        elif query:
            count = _("No association matches “{query}”.").format(query=query)
        else:
            count = _("No association matches these criteria.")
        if total > LIMIT:
            count += " " + _("The first {limit} are shown: refine the search.").format(
                limit=LIMIT)
        self.status.value = (f"<p role='status' aria-live='polite' aria-atomic='true'>"
                             f"{html.escape(count)}</p>")
        if self.grid is not None:
            self.grid.update(self._rows(found))
        else:
            self.results.value = self._cards(found)

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

    def _rows(self, found: list[Entry]) -> list[tuple]:
        return [(self._name(e), e.theme, e.commune, str(e.created or "—"), e.object[:160],
                 e.rna or "—", e.siret or "—",
                 " ".join(filter(None, (e.address, e.postcode))) or "—") for e in found]
