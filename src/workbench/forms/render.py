"""The questionnaire page as ipywidgets: every question on one page, progress, "Envoyer".

One page rather than one question at a time: on a phone the participant scrolls through the
whole questionnaire, sees what is coming, can go back without a "Précédent" button, and the
page talks to its kernel once, at submission (fewer round trips over a weak mobile network).
Conditional questions appear in place as soon as the answer they depend on is given.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from workbench.forms.answers import is_blank, is_visible
from workbench.forms.fields import QuestionField, build_field
from workbench.forms.spec import FormSpec
from workbench.i18n import _, ngettext

__all__ = ["FormView", "message_panel"]


def message_panel(title: str, text: str, kind: str = "info") -> w.HTML:
    """A block with a title and a sentence (escaped), e.g. a closed form or a receipt."""
    panel = w.HTML(f"<div class='wb-panel wb-{kind}' role='status'><h2>{html.escape(title)}</h2>"
                   f"<p>{html.escape(text)}</p></div>")
    return panel


class FormView:
    """The widgets of one questionnaire; ``on_submit`` receives the raw answers."""

    def __init__(self, spec: FormSpec, *, synthetic_demo: bool = False,
                 allowed: set[str] | None = None, draft_key: str = "") -> None:
        self.spec = spec
        self.allowed = allowed  # None: every question; else only these (a live session)
        self.done = False  # the final panel is shown: the form is over
        self._submit_handlers: list[Callable[[dict], None]] = []
        self.fields: list[QuestionField] = [
            build_field(q, i, self._changed) for i, q in enumerate(spec.questions, start=1)
        ]
        for field in self.fields:
            field.set_draft_key(draft_key)
        header = f"<h1 class='wb-title'>{html.escape(spec.title)}</h1>"
        if spec.introduction:
            paragraphs = "".join(f"<p>{html.escape(p)}</p>"
                                 for p in spec.introduction.strip().split("\n\n"))
            header += f"<div class='wb-intro'>{paragraphs}</div>"
        if synthetic_demo:
            demo = _("Demonstration questionnaire: the answers already stored are synthetic, "
                     "generated for the demo.")
            header += f"<p class='wb-demo'>{html.escape(demo)}</p>"
        if spec.anonymity == "identified":  # the answers are linked to the invitation
            from workbench.rgpd.notice import notice_html

            header += notice_html(spec.processing or "questionnaires",
                                  ("reponses", "identite-invitation"))
        required = _("Questions marked * are required.")
        header += f"<p class='wb-hint'>{html.escape(required)}</p>"
        self.progress_bar = w.IntProgress(min=0, max=1, value=0)
        self.progress_bar.add_class("wb-progress-bar")
        self.progress_text = w.HTML()
        self.progress = w.VBox([self.progress_text, self.progress_bar])
        self.progress.add_class("wb-progress")
        self.summary = w.HTML(layout=w.Layout(display="none"))
        self.summary.add_class("wb-error")
        self.button = w.Button(description=_("Send"), button_style="primary", icon="")
        self.button.add_class("wb-submit")
        self.button.on_click(lambda _b: self._submit())
        self.status = w.HTML()
        self.status.add_class("wb-status")
        self.widget = w.VBox([w.HTML(header), self.progress, *(f.box for f in self.fields),
                              self.summary, self.button, self.status])
        self.widget.add_class("wb-form")
        self._changed()

    def on_submit(self, handler: Callable[[dict], None]) -> None:
        """Call ``handler(raw_answers)`` when the participant presses "Envoyer"."""
        self._submit_handlers.append(handler)

    def _shown(self, question, raw: dict) -> bool:
        return (self.allowed is None or question.id in self.allowed) and is_visible(question, raw)

    def values(self) -> dict:
        """The raw answers of the visible questions (to be validated by the server)."""
        raw: dict = {}
        for field in self.fields:
            if self._shown(field.question, raw):
                raw[field.question.id] = field.read()
        return raw

    def set_allowed(self, allowed: set[str] | None) -> None:
        """Show only ``allowed`` questions (a live session releases them one at a time)."""
        if allowed != self.allowed:
            self.allowed = allowed
            self._changed()

    @property
    def asked(self) -> list[str]:
        """The ids of the questions on screen now."""
        return list(self.values())

    def set_note(self, text: str) -> None:
        """A sentence under the button (e.g. the receipt of the last round, or "wait")."""
        self.status.value = f"<p role='status'>{html.escape(text)}</p>" if text else ""

    def _changed(self) -> None:
        raw: dict = {}
        visible = answered = 0
        for field in self.fields:
            shown = self._shown(field.question, raw)
            field.set_visible(shown)
            if shown:
                value = field.read()
                raw[field.question.id] = value
                visible += 1
                field.set_number(visible)
                answered += not is_blank(value)
        self.button.layout.display = None if visible and not self.done else "none"
        self.progress.layout.display = None if visible else "none"
        self.progress_bar.max = max(visible, 1)
        self.progress_bar.value = answered
        self.progress_text.value = html.escape(_("Questions answered: {answered} of {total}")
                                               .format(answered=answered, total=visible))

    def _submit(self) -> None:
        if self.button.disabled:
            return
        self.button.disabled = True
        self.button.description = _("Sending…")
        try:
            for handler in self._submit_handlers:
                handler(self.values())
        finally:
            if not self.done:
                self.button.description = _("Send")
                self.button.disabled = False

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each French message next to its field, and a summary by the button."""
        numbers = []
        for field in self.fields:
            text = errors.get(field.question.id)
            field.set_error(text)
            if text:
                numbers.append(str(field.number))
        general = errors.get("_")
        lines = []
        if numbers:
            lines.append(ngettext(
                "Please correct the answer marked in red (question {numbers}).",
                "Please correct the {count} answers marked in red (questions {numbers}).",
                len(numbers)).format(count=len(numbers), numbers=", ".join(numbers)))
        if general:
            lines.append(general)
        self.summary.value = "<br>".join(f"<span role='alert'>{html.escape(t)}</span>"
                                         for t in lines)
        self.summary.layout.display = None if lines else "none"
        self.set_note(_("Nothing has been stored yet.") if lines else "")
        first = next((f for f in self.fields if errors.get(f.question.id)), None)
        if first is not None:  # keyboard and screen reader land on what to correct
            first.request_focus()

    def show_done(self, title: str, text: str) -> None:
        """Replace the questions by a final panel (receipt, or why it stops here)."""
        self.done = True
        self.button.layout.display = "none"
        self.button.disabled = True
        self.widget.children = [message_panel(title, text, "done")]

