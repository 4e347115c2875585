"""A browser-kept submission id (anywidget): a reload never makes a second answer.

The browser draws the id once per form (and invitation) and keeps it in ``localStorage``; the
kernel stores answers under it. After a reload the new kernel receives the same id, finds the
stored answer and shows its receipt instead of an empty form.

The same key names the drafts the fields keep on the phone (``workbench.web.field``):
``clear_drafts()`` removes them once the answers are stored.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["BrowserSubmissionId"]

_ESM = """
function draw() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);  // works on plain http too, unlike crypto.randomUUID
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
function render({ model, el }) {
  const key = "workbench-submission:" + model.get("key");
  let id = null;
  try {
    id = window.localStorage.getItem(key);
    if (!id) { id = draw(); window.localStorage.setItem(key, id); }
  } catch (e) {
    id = id || draw();  // private browsing: still idempotent within this page
  }
  model.set("submission_id", id);
  model.save_changes();
  el.style.display = "none";
  const clear = () => {
    if (model.get("clear") && window.workbenchFields) {
      window.workbenchFields.clearDrafts(model.get("key") + ":");
    }
  };
  clear();
  model.on("change:clear", clear);
}
export default { render };
"""


class BrowserSubmissionId(anywidget.AnyWidget):
    """Hidden widget whose ``submission_id`` comes from the participant's browser."""

    _esm = _ESM
    key = traitlets.Unicode("").tag(sync=True)
    submission_id = traitlets.Unicode("").tag(sync=True)
    clear = traitlets.Int(0).tag(sync=True)

    def clear_drafts(self) -> None:
        """Forget the drafts kept on the phone for this form (its answers are stored)."""
        self.clear += 1
