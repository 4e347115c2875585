"""Picking and naming scenarios (staff app, projected in a workshop)."""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.foresight.morpho import load_morphology
from workbench.foresight.morpho_count import SpaceTooEntangled
from workbench.foresight.scenarios import list_scenarios, save_scenario
from workbench.foresight.study import load_study
from workbench.i18n import _
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.web.markup import status

__all__ = ["ScenarioPage"]


class ScenarioPage:
    def __init__(self, slug: str) -> None:
        self.root = w.VBox()
        self.status = w.HTML()
        try:
            require(Permission.FORESIGHT)
        except Refused as refused:  # the refusal is the page's only content
            self.root.children = [w.HTML(status(str(refused), error=True))]
            return
        try:
            self.study = load_study(slug)
            if self.study.morpho is None:
                raise WorkbenchError(_("This study has no morphological analysis."))
            self.space = load_morphology(self.study.morpho)
        except WorkbenchError as error:
            self.root.children = [w.HTML(f"<p class='wb-error'>{html.escape(str(error))}</p>")]
            return
        self.pickers = [w.Dropdown(options=[(c, i) for i, c in enumerate(configurations)],
                                   description=component, style={"description_width": "14em"},
                                   layout={"width": "40em"})
                        for component, configurations in zip(
                            self.space.components, self.space.configurations, strict=True)]
        for picker in self.pickers:
            picker.observe(lambda _c: self._check(), names="value")
        self.feasibility = w.HTML()
        self.name = w.Text(description=_("Name"), placeholder=_("e.g. Le bus partout"))
        save = w.Button(description=_("Save the scenario"), button_style="primary")
        save.on_click(lambda _b: self._save())
        self.saved = w.HTML()
        self.root.children = [
            w.HTML(f"<h1>{html.escape(self.study.title)}</h1><p>" + html.escape(self._counts())
                   + "</p>"),
            *self.pickers, self.feasibility, self.name, save, self.status, self.saved]
        self._check()
        self._list()

    def _counts(self) -> str:
        """How many scenarios are feasible, or why they cannot be counted (picking works)."""
        try:
            feasible = self.space.feasible_count()
        except SpaceTooEntangled as error:
            return str(error)
        return _("{feasible} feasible scenarios out of {raw} combinations.").format(
            feasible=feasible, raw=self.space.raw_count)

    def _choice(self) -> tuple[int, ...]:
        return tuple(p.value for p in self.pickers)

    def _check(self) -> None:
        broken = self.space.violations(self._choice())
        if broken:
            items = "".join(f"<li>{html.escape(a)} / {html.escape(b)}</li>" for a, b in broken)
            self.feasibility.value = ("<p class='wb-error'>" + html.escape(
                _("Incompatible configurations:")) + f"</p><ul>{items}</ul>")
        else:
            self.feasibility.value = "<p>" + html.escape(_("This scenario is feasible.")) + \
                "</p>"

    def _save(self) -> None:
        try:
            save_scenario(self.study.slug, self.space, self.name.value, self._choice())
        except WorkbenchError as error:
            self.status.value = f"<p class='wb-error'>{html.escape(str(error))}</p>"
            return
        self.status.value = "<p role='status'>" + html.escape(_("Saved.")) + "</p>"
        self.name.value = ""
        self._list()

    def _list(self) -> None:
        rows = "".join(
            f"<li><strong>{html.escape(s.name)}</strong> : "
            + html.escape(" ; ".join(f"{c} = {v}" for c, v in s.choices.items())) + "</li>"
            for s in list_scenarios(self.study.slug))
        heading = html.escape(_("Named scenarios"))
        self.saved.value = f"<h2>{heading}</h2><ul>{rows}</ul>"
