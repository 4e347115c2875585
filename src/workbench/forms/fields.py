"""One input per question type, as plain ipywidgets (no Voilà-specific code).

Each field's label is the input's own ``description``, which ipywidgets renders as a
``<label for=…>`` tied to the input, so screen readers announce the question. Every text
that comes from a spec is escaped before it reaches an HTML widget.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from workbench.forms.spec import DONT_KNOW, OTHER
from workbench.i18n import _
from workbench.territory import communes

__all__ = ["QuestionField", "build_field"]


class QuestionField:
    """A question on the page: label, help, input(s), and the place for its error."""

    def __init__(self, question, number: int, inputs: list[w.Widget],
                 read: Callable[[], object], on_change: Callable[[], None],
                 hint: str | None = None) -> None:
        self.question = question
        self.hint = hint
        self.read = read
        self.caption_widget = inputs[0]
        self.error = w.HTML(layout=w.Layout(display="none"))
        self.error.add_class("wb-error")
        parts: list[w.Widget] = []
        if question.help:
            help_ = w.HTML(f'<div class="wb-help">{html.escape(question.help)}</div>')
            parts.append(help_)
        self.box = w.VBox([*inputs, *parts, self.error])
        self.box.add_class("wb-question")
        self.number = number
        for widget in _all(inputs):
            if hasattr(widget, "value"):
                widget.observe(lambda _change: on_change(), names="value")

    def set_number(self, number: int) -> None:
        """Renumber the question (hidden conditional questions leave no gap)."""
        if number == self.number:
            return
        self.number = number
        if isinstance(self.caption_widget, w.HTML):
            self.caption_widget.value = _heading_html(self.question, number, self.hint)
        else:
            self.caption_widget.description = _caption(self.question, number)

    def set_visible(self, visible: bool) -> None:
        self.box.layout.display = None if visible else "none"

    def set_error(self, text: str | None) -> None:
        self.error.value = f"<span role='alert'>⚠ {html.escape(text)}</span>" if text else ""
        self.error.layout.display = None if text else "none"


def _all(widgets: list[w.Widget]) -> list[w.Widget]:
    out: list[w.Widget] = []
    for widget in widgets:
        out.append(widget)
        out += _all(list(getattr(widget, "children", ())))
    return out


def _caption(question, number: int) -> str:
    unit = f" ({question.unit})" if getattr(question, "unit", None) else ""
    mark = " *" if question.required else ""
    return f"{number}. {question.label}{unit}{mark}"


def _heading_html(question, number: int, hint: str | None) -> str:
    out = f'<div class="wb-label">{html.escape(_caption(question, number))}</div>'
    return out + (f'<div class="wb-hint">{html.escape(hint)}</div>' if hint else "")


def _heading(question, number: int, hint: str | None = None) -> w.HTML:
    return w.HTML(_heading_html(question, number, hint))


def _radios(question, number, options, on_change):
    radios = w.RadioButtons(options=options, value=None, description=_caption(question, number))
    return QuestionField(question, number, [radios], lambda: radios.value, on_change)


def _likert(question, number, on_change):
    options = [(label, i) for i, label in enumerate(question.labels, start=1)]
    if question.dont_know:
        options.append((_("Does not know"), DONT_KNOW))
    return _radios(question, number, options, on_change)


def _single(question, number, on_change):
    options = [(o.label, o.value) for o in question.options]
    return _radios(question, number, options, on_change)


def _multiple(question, number, on_change):
    boxes = {o.value: w.Checkbox(value=False, description=o.label, indent=False)
             for o in question.options}
    other_text = None
    if question.other:
        boxes[OTHER] = w.Checkbox(value=False, description=_("Other (specify)"), indent=False)
        other_text = w.Text(description=_("Specify:"), continuous_update=False,
                            layout=w.Layout(display="none"))

        def toggle(change) -> None:
            other_text.layout.display = None if change["new"] else "none"

        boxes[OTHER].observe(toggle, names="value")
    hint = _("Several answers possible")
    if question.max_selections:
        hint = _("Up to {n} answers").format(n=question.max_selections)
    inputs: list[w.Widget] = [_heading(question, number, hint), *boxes.values(),
                              *([other_text] if other_text else [])]

    def read() -> object:
        return {"choices": [v for v, box in boxes.items() if box.value],
                "other": other_text.value if other_text else None}

    return QuestionField(question, number, inputs, read, on_change, hint)


def _scale(question, number, on_change):
    buttons = w.ToggleButtons(options=[str(i) for i in range(11)], value=None,
                              description=_caption(question, number))
    buttons.add_class("wb-scale")
    ends = [question.min_label or "0", question.max_label or "10"]
    legend = w.HTML(f'<div class="wb-hint">0 = {html.escape(ends[0])} · '
                    f'10 = {html.escape(ends[1])}</div>')
    return QuestionField(question, number, [buttons, legend],
                         lambda: None if buttons.value is None else int(buttons.value),
                         on_change)


def _number(question, number, on_change):
    box = w.Text(description=_caption(question, number), continuous_update=False,
                 placeholder=_("a number"))
    box.add_class("wb-number")
    return QuestionField(question, number, [box], lambda: box.value.strip() or None, on_change)


def _text(question, number, on_change, widget_class):
    box = widget_class(description=_caption(question, number), continuous_update=False,
                       placeholder=_("{n} characters at most").format(n=question.max_length))
    return QuestionField(question, number, [box], lambda: box.value, on_change)


def _short_text(question, number, on_change):
    return _text(question, number, on_change, w.Text)


def _long_text(question, number, on_change):
    return _text(question, number, on_change, w.Textarea)


def _ranking(question, number, on_change):
    order = [o.value for o in question.options]
    labels = question.option_labels
    rows = w.VBox()
    confirmed = w.Checkbox(value=False, description=_("This order suits me"), indent=False)

    def move(value: str, step: int) -> None:
        i = order.index(value)
        j = i + step
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
            redraw()
            confirmed.value = True
            on_change()

    def redraw() -> None:
        children = []
        for rank, value in enumerate(order, start=1):
            up = w.Button(description="↑", tooltip=_("Move up"), disabled=rank == 1)
            down = w.Button(description="↓", tooltip=_("Move down"),
                            disabled=rank == len(order))
            up.on_click(lambda _b, v=value: move(v, -1))
            down.on_click(lambda _b, v=value: move(v, +1))
            text = w.HTML(f"<span class='wb-rank'>{rank}.</span> {html.escape(labels[value])}")
            row = w.HBox([up, down, text])
            row.add_class("wb-rank-row")
            children.append(row)
        rows.children = children

    redraw()
    advice = _("Use the arrows to order from most to least important.")
    return QuestionField(question, number, [_heading(question, number, advice), rows, confirmed],
                         lambda: list(order) if confirmed.value else None, on_change, advice)


def _points(question, number, on_change):
    boxes = {o.value: w.BoundedIntText(value=0, min=0, max=question.total, description=o.label)
             for o in question.options}
    left = w.HTML()
    left.add_class("wb-hint")

    def update(_change=None) -> None:
        rest = question.total - sum(b.value or 0 for b in boxes.values())
        left.value = html.escape(_("Points left to share: {n} of {total}").format(
            n=rest, total=question.total))

    for box in boxes.values():
        box.add_class("wb-points")
        box.observe(update, names="value")
    update()
    return QuestionField(question, number, [_heading(question, number), *boxes.values(), left],
                         lambda: {k: b.value for k, b in boxes.items()}, on_change)


def _commune(question, number, on_change):
    # The placeholder's value is "" (ipywidgets shows a blank box for a None value).
    options = [(_("— choose your commune —"), "")] + [(c.nom, c.code_insee) for c in communes()]
    menu = w.Dropdown(options=options, value="", description=_caption(question, number))
    return QuestionField(question, number, [menu], lambda: menu.value or None, on_change)


def _date(question, number, on_change):
    picker = w.DatePicker(value=None, description=_caption(question, number))
    return QuestionField(question, number, [picker],
                         lambda: picker.value.isoformat() if picker.value else None, on_change)


_BUILDERS = {
    "likert": _likert, "single_choice": _single, "multiple_choice": _multiple,
    "scale": _scale, "number": _number, "short_text": _short_text, "long_text": _long_text,
    "ranking": _ranking, "points": _points, "commune": _commune, "date": _date,
}


def build_field(question, number: int, on_change: Callable[[], None]) -> QuestionField:
    """The field for ``question``, numbered ``number`` on the page."""
    return _BUILDERS[question.type](question, number, on_change)
