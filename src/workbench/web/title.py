"""The browser tab's title, in French, saying what the page is (RGAA 8.6).

The template's ``<title>`` comes from the notebook's metadata (``title``); a page that knows
more (the questionnaire's own title, a closed session) sets it with ``PageTitle``.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["SITE", "PageTitle", "page_title"]

SITE = "Guingamp-Paimpol Agglomération"

_ESM = """
function render({ model, el }) {
  const set = () => { if (model.get("title")) document.title = model.get("title"); };
  set();
  model.on("change:title", set);
  el.style.display = "none";
}
export default { render };
"""


def page_title(*parts: str) -> str:
    """``"Questionnaire — Mobilités — Guingamp-Paimpol Agglomération"``."""
    return " — ".join([*(p.strip() for p in parts if p and p.strip()), SITE])


class PageTitle(anywidget.AnyWidget):
    """Hidden widget that sets ``document.title``."""

    _esm = _ESM
    title = traitlets.Unicode("").tag(sync=True)
