"""The Delphi page (public app): this round's items, the previous round's feedback.

``?etude=SLUG&t=TOKEN`` (the panelist's personal link). Plain ipywidgets, light imports.
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.foresight import delphi_rounds
from workbench.foresight.delphi import DelphiStudy, ItemStats, load_delphi
from workbench.forms.render import message_panel
from workbench.i18n import _
from workbench.web.field import Field

__all__ = ["DelphiPage"]


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def feedback_html(stats: ItemStats, own: int | None) -> str:
    """The previous round, for one item: median, quartiles, distribution, own answer."""
    biggest = max(count for _v, count in stats.distribution) or 1
    bars = "".join(
        f"<tr><th scope='row'>{value}</th><td><span class='wb-bar' style='width:"
        f"{round(100 * count / biggest)}%'></span> {count}</td></tr>"
        for value, count in stats.distribution)
    text = _("Previous round: median {median}, quartiles {q1} to {q3} ({n} answers).").format(
        median=_number(stats.median), q1=_number(stats.q1), q3=_number(stats.q3), n=stats.n)
    mine = (_("Your previous answer: {value}.").format(value=own) if own is not None
            else _("You did not answer the previous round."))
    return (f"<div class='wb-feedback'><p>{html.escape(text)}</p><p><strong>"
            f"{html.escape(mine)}</strong></p><table class='wb-distribution'>{bars}</table>"
            "</div>")


class DelphiPage:
    def __init__(self, slug: str | None, token: str | None) -> None:
        self.root = w.VBox()
        self.root.add_class("wb-page")
        try:
            self.study: DelphiStudy = load_delphi(slug or "")
        except WorkbenchError:
            self._stop(_("Study not found"), _("This address names no Delphi study."))
            return
        self.panelist = delphi_rounds.find_panelist(self.study.slug, token)
        if self.panelist is None:
            self._stop(_("Link not recognised"),
                       _("This Delphi study is answered through your personal link."))
            return
        self.round = delphi_rounds.current_round(self.study.slug)
        if self.round is None:
            self._stop(_("No round open"), _("The next round is not open yet."))
            return
        previous = (delphi_rounds.round_stats(self.study, self.round - 1)
                    if self.round > 1 else {})
        own_before = (delphi_rounds.own_answers(self.study.slug, self.round - 1, self.panelist)
                      if self.round > 1 else {})
        mine = delphi_rounds.own_answers(self.study.slug, self.round, self.panelist)
        low, high = self.study.scale
        self.fields: dict[str, tuple[Field, Field]] = {}
        bottom, top = self.study.scale_labels
        scale = (_("{low} = {low_label} · {high} = {high_label}").format(
            low=low, low_label=bottom, high=high, high_label=top) if bottom or top else "")
        blocks: list[w.Widget] = [w.HTML(
            f"<h1>{html.escape(self.study.title)}</h1><p class='wb-progress'>" + html.escape(
                _("Round {n} of {max}").format(n=self.round, max=self.study.rules.max_rounds))
            + "</p>")]
        for number, (item, statement) in enumerate(self.study.items, start=1):
            # Radios named by the statement (state read out), errors tied to the group.
            choice = Field("scale", f"{number}. {statement}", hint=scale, required=True,
                           options=[(str(v), str(v)) for v in range(low, high + 1)],
                           value=str(mine[item]) if item in mine else None)
            why = Field("textarea", _("Justification (required if your answer is outside "
                                      "the previous quartiles)"), heading_level=3,
                        props={"maxlength": 2000},
                        # nothing to justify against in the first round
                        layout={"display": None if self.round > 1 else "none"})
            stats = previous.get(item)
            parts: list[w.Widget] = [choice]
            if stats is not None:
                parts.append(w.HTML(feedback_html(stats, own_before.get(item))))
            parts.append(why)
            box = w.VBox(parts)
            box.add_class("wb-question")
            blocks.append(box)
            self.fields[item] = (choice, why)
        self.send = w.Button(description=_("Send my answers"), button_style="primary")
        self.send.add_class("wb-submit")
        self.send.on_click(lambda _b: self._submit())
        self.status = w.HTML()
        self.root.children = [*blocks, self.send, self.status]

    def _stop(self, title: str, text: str) -> None:
        self.root.children = [message_panel(title, text, "stop")]

    def _submit(self) -> None:
        answers = {item: (int(choice.value) if choice.value is not None else None,
                          why.value or "")
                   for item, (choice, why) in self.fields.items()}
        errors = delphi_rounds.submit_round(self.study, self.round, self.panelist, answers)
        for item, (choice, _why) in self.fields.items():
            choice.error = errors.get(item, "")
        if errors:
            self.status.value = "<p class='wb-error' role='alert'>" + html.escape(
                errors.get("_", _("Some answers need attention; nothing was recorded yet."))) + \
                "</p>"
            first = next((c for item, (c, _w) in self.fields.items() if item in errors), None)
            if first is not None:
                first.request_focus()
            return
        self.status.value = "<p role='status'>" + html.escape(_(
            "Your answers to round {n} are recorded. You can change them until the round "
            "closes.").format(n=self.round)) + "</p>"
