"""Refresh loops inside a kernel: a callback every few seconds on the kernel's event loop.

The loop runs between the kernel's messages (no thread), so widget updates are safe; an
exception is logged and the loop goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

__all__ = ["every"]

log = logging.getLogger(__name__)


def every(seconds: float, callback: Callable[[], object]) -> asyncio.Task | None:
    """Call ``callback`` now and then every ``seconds``; None when no loop runs (plain script)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return None
        if not loop.is_running():
            return None

    async def repeat() -> None:
        while True:
            try:
                callback()
            except Exception:  # a failed refresh must not stop the page
                log.exception("refresh failed")
            await asyncio.sleep(seconds)

    return loop.create_task(repeat())
