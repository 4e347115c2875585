"""The directory page: search the territory's associations by name, theme and commune.

``DirectoryView(staff=False)`` is the public page (no address, no identifiers); the staff
page shows the registered office and the RNA and SIRET numbers. Light imports (public app).
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.associations.directory import LIMIT, search
from workbench.associations.nomenclature import themes
from workbench.i18n import _, ngettext
from workbench.territory import communes
from workbench.web.markup import table

__all__ = ["DirectoryView"]


class DirectoryView:
    def __init__(self, staff: bool = False) -> None:
        self.staff = staff
        self.text = w.Text(placeholder=_("Name or object (e.g. bagad, tennis)"),
                           description=_("Search"), continuous_update=False)
        self.theme = w.Dropdown(description=_("Theme"), options=[(_("All themes"), "")] + [
            (t.label, t.code) for t in themes()], layout={"width": "36em"})
        self.commune = w.Dropdown(description=_("Commune"), options=[(_("All communes"), "")]
                                  + [(c.nom, c.code_insee) for c in communes()])
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
        headers = [_("Association"), _("Theme"), _("Commune"), _("Created"), _("Object")]
        rows = [[e.title + (" " + _("(dissolved)") if e.dissolved else ""), e.theme, e.commune,
                 e.created or "—", e.object[:160]] for e in found]
        if self.staff:
            headers += [_("RNA"), _("SIRET"), _("Registered office")]
            for row, e in zip(rows, found, strict=True):
                row += [e.rna or "—", e.siret or "—",
                        " ".join(filter(None, (e.address, e.postcode))) or "—"]
        count = ngettext("{n} association found.", "{n} associations found.", total).format(
            n=total)
        if total > LIMIT:
            count += " " + _("The first {limit} are shown: refine the search.").format(
                limit=LIMIT)
        self.results.value = f"<p role='status'>{html.escape(count)}</p>" + table(headers, rows)
