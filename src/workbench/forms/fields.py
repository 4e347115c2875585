"""One field per question type, on the accessible ``workbench.web.field.Field`` widget.

A question with several inputs is a fieldset whose legend is the question (a heading); a
question with one input is a heading holding that input's label. Every text from a spec is set
as text by the browser (never as HTML), so nothing a spec or a participant writes can run.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from workbench.forms.spec import DONT_KNOW, OTHER
from workbench.i18n import _, ngettext
from workbench.territory import communes
from workbench.web.field import Field

__all__ = ["QuestionField", "build_field"]


class QuestionField:
    """A question on the page: its ``Field`` (label, inputs, error) inside a card."""

    def __init__(self, question, number: int, field: Field,
                 read: Callable[[], object], on_change: Callable[[], None]) -> None:
        self.question = question
        self.read = read
        self.caption_widget = field
        field.label = _caption(question, number)
        field.required = bool(question.required)
        field.help = question.help or ""
        self.box = w.VBox([field])
        self.box.add_class("wb-question")
        self.number = number
        field.observe(lambda _change: on_change(), names="value")

    def set_number(self, number: int) -> None:
        """Renumber the question (hidden conditional questions leave no gap)."""
        if number != self.number:
            self.number = number
            self.caption_widget.label = _caption(self.question, number)

    def set_visible(self, visible: bool) -> None:
        self.box.layout.display = None if visible else "none"

    def set_error(self, text: str | None) -> None:
        self.caption_widget.error = text or ""

    def set_draft_key(self, key: str) -> None:
        """Keep what is typed on the phone (browser storage) under ``key`` until it is sent."""
        self.caption_widget.draft_key = f"{key}:{self.question.id}" if key else ""

    def request_focus(self) -> None:
        self.caption_widget.request_focus()


def _caption(question, number: int) -> str:
    unit = f" ({question.unit})" if getattr(question, "unit", None) else ""
    return f"{number}. {question.label}{unit}"


def _radios(question, number, options, on_change):
    field = Field("radio", "", options=options)
    return QuestionField(question, number, field, lambda: field.value, on_change)


def _likert(question, number, on_change):
    options = [(label, i) for i, label in enumerate(question.labels, start=1)]
    if question.dont_know:
        options.append((_("Does not know"), DONT_KNOW))
    return _radios(question, number, options, on_change)


def _single(question, number, on_change):
    return _radios(question, number, [(o.label, o.value) for o in question.options], on_change)


def _multiple(question, number, on_change):
    options = [(o.label, o.value) for o in question.options]
    props: dict = {}
    if question.other:
        options.append((_("Other (specify)"), OTHER))
        props.update(other_value=OTHER, other_label=_("Specify:"))
    hint = _("Several answers possible")
    if question.max_selections:
        hint = _("Up to {n} answers").format(n=question.max_selections)
        props.update(max_selections=question.max_selections,
                     max_text=_("You have chosen the maximum: untick an answer to change it."))
    field = Field("checkbox", "", options=options, props=props, hint=hint,
                  value={"choices": [], "other": None})

    def read() -> object:
        value = field.value or {}
        choices = [v for v in value.get("choices") or [] if v != OTHER or question.other]
        other = value.get("other") if OTHER in choices else None
        return {"choices": choices, "other": other if question.other else None}

    return QuestionField(question, number, field, read, on_change)


def _scale(question, number, on_change):
    field = Field("scale", "", options=[(str(i), i) for i in range(11)],
                  props={"min_label": question.min_label or "",
                         "max_label": question.max_label or ""})
    return QuestionField(question, number, field, lambda: field.value, on_change)


def _number(question, number, on_change):
    field = Field("number", "", props={"integer": question.integer, "maxlength": 20},
                  hint=_number_hint(question))
    return QuestionField(question, number, field,
                         lambda: (str(field.value or "").strip() or None), on_change)


def _number_hint(question) -> str:
    kind = _("A whole number") if question.integer else _("A number")
    if question.min is not None and question.max is not None:
        return _("{kind} between {low} and {high}").format(
            kind=kind, low=_plain(question.min), high=_plain(question.max))
    return kind


def _plain(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number).replace(".", ",")


def _text(question, number, on_change, kind: str):
    field = Field(kind, "", props={"maxlength": question.max_length, "spellcheck": "true"},
                  hint=ngettext("{n} character at most", "{n} characters at most",
                                 question.max_length).format(n=question.max_length))
    return QuestionField(question, number, field, lambda: field.value or "", on_change)


def _short_text(question, number, on_change):
    return _text(question, number, on_change, "text")


def _long_text(question, number, on_change):
    return _text(question, number, on_change, "textarea")


def _ranking(question, number, on_change):
    options = [(o.label, o.value) for o in question.options]
    field = Field("ranking", "", options=options,
                  hint=_("Use the arrows to order from most to least important."),
                  value={"order": [v for _l, v in options], "confirmed": False})

    def read() -> object:
        value = field.value or {}
        return list(value.get("order") or []) if value.get("confirmed") else None

    return QuestionField(question, number, field, read, on_change)


def _points(question, number, on_change):
    options = [(o.label, o.value) for o in question.options]
    field = Field("points", "", options=options, props={"total": question.total},
                  hint=_("Share exactly {total} points.").format(total=question.total),
                  value={})

    def read() -> object:
        given = field.value or {}
        return {value: _whole(given.get(value)) for _l, value in options}

    return QuestionField(question, number, field, read, on_change)


def _whole(text: object) -> object:
    """A points box's text as an int when it is one ("" is 0); anything else as typed."""
    text = str(text if text is not None else "").strip()
    if not text:
        return 0
    return int(text) if text.isdigit() else text


def _commune(question, number, on_change):
    options = [(c.nom, c.code_insee) for c in communes()]
    field = Field("select", "", options=options,
                  props={"placeholder": _("— choose your commune —")})
    return QuestionField(question, number, field, lambda: field.value or None, on_change)


def _date(question, number, on_change):
    field = Field("date", "", hint=_("Date as day/month/year"))
    return QuestionField(question, number, field, lambda: field.value or None, on_change)


_BUILDERS = {
    "likert": _likert, "single_choice": _single, "multiple_choice": _multiple,
    "scale": _scale, "number": _number, "short_text": _short_text, "long_text": _long_text,
    "ranking": _ranking, "points": _points, "commune": _commune, "date": _date,
}


def build_field(question, number: int, on_change: Callable[[], None]) -> QuestionField:
    """The field for ``question``, numbered ``number`` on the page."""
    return _BUILDERS[question.type](question, number, on_change)
