"""The MICMAC scoring page (public app, phones): one pair at a time, saved at once, resumable.

Plain ipywidgets (no Voilà-specific code): ``?groupe=CODE`` is read at the edge.
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.foresight import scoring
from workbench.forms.render import message_panel
from workbench.i18n import _
from workbench.web.field import Field

__all__ = ["ScoringPage"]

LABELS = (("0", "0 · nulle"), ("1", "1 · faible"), ("2", "2 · moyenne"), ("3", "3 · forte"),
          ("P", "P · potentielle"))


class ScoringPage:
    """A group's pairs, scored one after the other."""

    def __init__(self, code: str | None) -> None:
        self.root = w.VBox()
        self.root.add_class("wb-page")
        self.group = scoring.find_group(code or "") if code else None
        if self.group is None:
            self.root.children = [message_panel(
                _("Group not found"),
                _("This address names no scoring group. Please check the code given by the "
                  "facilitator."), "stop")]
            return
        self.pairs = scoring.pairs(self.group)
        self.given = scoring.scores(self.group)
        self.index = self._first_unscored()
        self.title = w.HTML()
        self.progress = w.HTML()
        self.question = w.HTML()
        # Radios (state read out: "3 · forte, cochée"), named by the pair's question.
        self.choice = Field("scale", "", options=[(label, value) for value, label in LABELS])
        self.choice.add_class("wb-scores")
        self.choice.observe(self._scored, names="value")
        self.back = w.Button(description=_("Previous pair"), icon="arrow-left")
        self.next = w.Button(description=_("Next pair"), icon="arrow-right")
        self.back.on_click(lambda _b: self._move(-1))
        self.next.on_click(lambda _b: self._move(1))
        self.status = w.HTML()
        self.root.children = [self.title, self.progress, self.question, self.choice,
                              w.HBox([self.back, self.next]), self.status]
        self._draw()

    def _first_unscored(self) -> int:
        for index, pair in enumerate(self.pairs):
            if pair not in self.given:
                return index
        return len(self.pairs)

    def _draw(self) -> None:
        group = self.group
        done = sum(pair in self.given for pair in self.pairs)
        self.title.value = (f"<h1>{html.escape(group.title)}</h1><p>"
                            + html.escape(_("Group: {name}").format(name=group.name)) + "</p>")
        self.progress.value = ("<p class='wb-progress' role='status'>" + html.escape(
            _("Pairs scored: {done} of {total}").format(done=done, total=len(self.pairs)))
            + "</p>")
        if self.index >= len(self.pairs):
            self.question.value = ("<div class='wb-panel'><h2>" + html.escape(
                _("Every pair is scored: thank you!")) + "</h2><p>" + html.escape(
                _("You can go back to change a score.")) + "</p></div>")
            self.choice.layout.display = "none"
            self.next.disabled = True
            self.back.disabled = not self.pairs
            return
        source, target = self.pairs[self.index]
        self.question.value = (
            "<p class='wb-label'>" + html.escape(_("Pair {n} of {total}").format(
                n=self.index + 1, total=len(self.pairs))) + "</p>")
        self.choice.label = (_("How strongly does \u201c{source}\u201d influence "
                               "\u201c{target}\u201d?").format(source=source, target=target))
        self.choice.layout.display = None
        self.choice.unobserve(self._scored, names="value")
        self.choice.value = self.given.get((source, target))
        self.choice.observe(self._scored, names="value")
        self.back.disabled = self.index == 0
        self.next.disabled = False

    def _move(self, step: int) -> None:
        self.index = max(0, min(len(self.pairs), self.index + step))
        self.status.value = ""
        self._draw()

    def _scored(self, change) -> None:
        if change["new"] is None or self.index >= len(self.pairs):
            return
        source, target = self.pairs[self.index]
        try:
            scoring.save_score(self.group, source, target, change["new"])
        except WorkbenchError as error:
            self.status.value = f"<p class='wb-error'>{html.escape(str(error))}</p>"
            return
        self.given[(source, target)] = change["new"]
        self.status.value = "<p role='status'>" + html.escape(_("Saved.")) + "</p>"
        self.index += 1
        self._draw()
