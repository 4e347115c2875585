"""An accessible form field (anywidget) for every page a person fills in.

ipywidgets cannot give a group of radios a name (no fieldset/legend), makes every radio its own
Tab stop and never exposes a toggle button's state; a screen reader heard "Plutôt d'accord" with
no question. ``Field`` renders native HTML instead (see ``static/workbench-fields.js`` in the
page template): a group is a ``<fieldset>`` whose legend holds the question as a heading,
radios share a name (arrow keys, one Tab stop), the 0–10 scale and score buttons are radios
(their state is read as "checked"), errors set ``aria-invalid`` and are tied to the inputs by
``aria-describedby``, and ``request_focus()`` moves focus (and the view) to the field.

The widget's own module is a one-line re-export of the template's static script, so a page of
twenty questions does not carry twenty copies of the code over the websocket, and the browser
caches the script like any versioned asset.
"""

from __future__ import annotations

import anywidget
import traitlets

from workbench.i18n import _

__all__ = ["KINDS", "Field", "field_texts"]

KINDS = ("radio", "scale", "checkbox", "ranking", "points", "text", "textarea", "number",
         "email", "tel", "date", "select")

_ESM = """
const fields = window.workbenchFields;
export default { render: (context) => fields.render(context) };
"""


def field_texts() -> dict[str, str]:
    """The French sentences the browser side shows ({placeholders} filled in the browser)."""
    return {
        "required_text": _("(required)"),
        "confirm_text": _("This order suits me"),
        "up_text": _("Move “{item}” up"),
        "down_text": _("Move “{item}” down"),
        "moved_text": _("“{item}” is now in position {rank} of {count}."),
        "left_text": _("Points left to share: {n} of {total}"),
        "over_text": _("You have shared {spent} points out of {total}: {over} too many."),
        "whole_text": _("Whole numbers only."),
        "left_chars_one": _("{n} character left"),
        "left_chars_many": _("{n} characters left"),
    }


class Field(anywidget.AnyWidget):
    """One question: ``kind`` says which inputs; ``value`` is what the person gave (JSON)."""

    _esm = _ESM
    kind = traitlets.Enum(KINDS, default_value="text").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    help = traitlets.Unicode("").tag(sync=True)
    required = traitlets.Bool(False).tag(sync=True)
    heading_level = traitlets.Int(2).tag(sync=True)
    options = traitlets.List().tag(sync=True)  # [[label, value], …]
    props = traitlets.Dict().tag(sync=True)
    value = traitlets.Any(None, allow_none=True).tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    focus = traitlets.Int(0).tag(sync=True)
    draft_key = traitlets.Unicode("").tag(sync=True)

    def __init__(self, kind: str, label: str, *, options: list | None = None,
                 props: dict | None = None, **kwargs) -> None:
        super().__init__(kind=kind, label=label,
                         options=[[str(text), value] for text, value in (options or [])],
                         props={**field_texts(), **(props or {})}, **kwargs)

    def request_focus(self) -> None:
        """Move the keyboard focus (and the view) to this field's first input."""
        self.focus += 1
