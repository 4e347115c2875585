"""Long work off the page's way: a job runs in a worker thread while the page stays usable,
shows a progress bar (its steps done out of its total) and a cancel button, and hands its
result back on the kernel's event loop, where widget updates are safe.

The work is a function ``work(progress)``; it calls ``progress(done, total, step)`` now and
then, which raises ``Cancelled`` once the cancel button was pressed (so work stops at its
next step). Outside a page's kernel (a script, a test), the job runs at once, inline.
"""

from __future__ import annotations

import contextvars
import html
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import ipywidgets as w

from workbench.errors import Cancelled, WorkbenchError
from workbench.i18n import _
from workbench.web.live import every
from workbench.web.markup import status

__all__ = ["BackgroundJob", "Cancelled", "Progress"]

log = logging.getLogger(__name__)
POLL_S = 0.5

Progress = Callable[[int, int, str], None]


@dataclass
class _State:
    done: int = 0
    total: int = 0
    step: str = ""


class BackgroundJob:
    """A progress bar, its step, and a cancel button; ``start`` runs one job at a time."""

    def __init__(self, label: str) -> None:
        self.bar = w.IntProgress(min=0, max=1, value=0, description="",
                                 layout=w.Layout(width="24em"))
        self.bar.add_class("wb-progress-bar")
        self.step = w.HTML()
        self.step.add_class("wb-status")
        self.cancel_button = w.Button(description=_("Cancel"),
                                      tooltip=_("Stop after the step in progress"))
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.label = label
        self.root = w.HBox([self.bar, self.cancel_button, self.step])
        self.root.add_class("wb-job")
        self.root.layout.display = "none"
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wb-job")
        self._future: Future | None = None
        self._state = _State()
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._finish: tuple[Callable, Callable] | None = None
        self._poller = None

    @property
    def running(self) -> bool:
        return self._future is not None and not self._future.done()

    def _progress(self, done: int, total: int, step: str = "") -> None:
        """Called by the work (in its thread)."""
        if self._cancel.is_set():
            raise Cancelled()
        with self._lock:
            self._state = _State(done, total, step)

    def start(self, work: Callable[[Progress], object], on_done: Callable[[object], None],
              on_error: Callable[[str], None]) -> None:
        """Run ``work``; then ``on_done(result)`` or ``on_error(French message)``."""
        if self.running:
            on_error(_("{label} is already in progress.").format(label=self.label))
            return
        self._cancel.clear()
        self._state = _State(0, 1, self.label)
        self._finish = (on_done, on_error)
        self.root.layout.display = None
        self.cancel_button.disabled = False
        self._draw()
        # The work runs as whoever started it (the acting staff member's context).
        self._future = self._pool.submit(contextvars.copy_context().run, work, self._progress)
        if not _in_kernel():  # a script or a test: no page to keep usable, wait here
            self._future.exception()
            self.poll()
            return
        if self._poller is None:
            self._poller = every(POLL_S, self.poll)

    def cancel(self) -> None:
        self._cancel.set()
        self.cancel_button.disabled = True
        self.step.value = status(_("Cancelling after the step in progress…"))

    def _draw(self) -> None:
        with self._lock:
            state = self._state
        self.bar.max = max(state.total, 1)
        self.bar.value = min(state.done, self.bar.max)
        if not self._cancel.is_set():
            count = _("{done} of {total}").format(done=state.done, total=state.total)
            self.step.value = html.escape(f"{state.step} — {count}" if state.step else count)

    def poll(self) -> None:
        """On the event loop: the bar follows the work; at its end, its result."""
        if self._future is None or self._finish is None:
            return
        self._draw()
        if not self._future.done():
            return
        on_done, on_error = self._finish
        self._finish = None
        self.root.layout.display = "none"
        error = self._future.exception()
        if error is None:
            on_done(self._future.result())
        elif isinstance(error, WorkbenchError):
            on_error(str(error))
        else:  # a programming or system error: logged, a French sentence for the page
            log.error("background job failed", exc_info=error)
            on_error(_("{label} failed because of a technical problem.").format(
                label=self.label))


def _in_kernel() -> bool:
    """Whether this runs in a page's kernel, whose event loop will call ``poll``."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kernel
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
