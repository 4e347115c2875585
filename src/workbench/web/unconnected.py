"""Kernels whose page never connected: reclaimed within a minute, never allowed to fill the room.

Every page request starts a kernel; the page's front end then opens the kernel's websocket.
A request that never opens it (a script, a crawler, a link preview) would hold its kernel
until the idle culling, 30 minutes later: a few plain ``GET`` would fill the room.

- A kernel that has never had a websocket is *unconnected*. It is shut down once it has been
  unconnected for ``timeout`` seconds (a page connects within seconds, even on a slow phone).
- When the room is full (the kernel cap) or ``limit`` kernels are unconnected, a new page
  takes the place of the oldest unconnected kernel older than ``grace`` seconds; only if
  there is none does the person get the waiting page. So a script must start more than
  ``limit / grace`` pages per second, forever, to keep anyone out, whatever its addresses.

A kernel that has once been connected is never touched here (its page may come back after a
lost connection): the idle culling takes care of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

__all__ = ["Unconnected"]

SWEEP_S = 2.0


class Unconnected:
    """Watches a kernel manager for kernels whose page never opened their websocket."""

    def __init__(self, manager: Any, timeout: float, grace: float, limit: int) -> None:
        self.manager = manager
        self.timeout = timeout
        self.grace = grace
        self.limit = limit
        self.connected: set[str] = set()
        self.since: dict[str, float] = {}  # kernel id -> when first seen unconnected
        original = manager.notify_connect

        def notify_connect(kernel_id: str) -> None:
            self.connected.add(kernel_id)
            self.since.pop(kernel_id, None)
            original(kernel_id)

        manager.notify_connect = notify_connect

    def _pooled(self) -> set[str]:
        """Preheated kernels waiting for their page (Voilà's pools): not unconnected pages."""
        pooled = set()
        for pool in getattr(self.manager, "_pools", {}).values():
            for future in pool:
                if future.done() and not future.cancelled() and future.exception() is None:
                    pooled.add(future.result().get("kernel_id"))
        return pooled

    def waiting(self) -> list[tuple[float, str]]:
        """The unconnected kernels, as (since, kernel id), oldest first."""
        now = time.monotonic()
        ids = set(self.manager.list_kernel_ids())
        self.connected &= ids
        pooled = self._pooled()
        for kernel_id in list(self.since):
            if kernel_id not in ids or kernel_id in pooled:
                del self.since[kernel_id]
        for kernel_id in ids - self.connected - pooled:
            self.since.setdefault(kernel_id, now)
        return sorted((since, kernel_id) for kernel_id, since in self.since.items())

    def _settled(self, kernel_id: str) -> bool:
        """Not starting nor running its notebook (a page being rendered, a pool filling)."""
        try:
            state = getattr(self.manager.get_kernel(kernel_id), "execution_state", "idle")
        except KeyError:
            return False
        return state not in ("starting", "busy")

    async def _shutdown(self, kernel_id: str) -> None:
        self.since.pop(kernel_id, None)
        with contextlib.suppress(KeyError, RuntimeError):  # already gone
            await self.manager.shutdown_kernel(kernel_id, now=True)

    async def sweep(self) -> int:
        """Shut down the kernels unconnected for longer than ``timeout``; how many."""
        limit = time.monotonic() - self.timeout
        expired = [kernel_id for since, kernel_id in self.waiting() if since <= limit]
        for kernel_id in expired:
            await self._shutdown(kernel_id)
        return len(expired)

    async def make_room(self, full: bool) -> bool:
        """Before starting a page's kernel: False if the person must wait.

        ``full``: the kernel cap is reached. Then, or past ``limit`` unconnected kernels, the
        oldest unconnected kernel older than ``grace`` gives its place.
        """
        waiting = self.waiting()
        if not full and len(waiting) < self.limit:
            return True
        old = [kernel_id for since, kernel_id in waiting
               if since <= time.monotonic() - self.grace and self._settled(kernel_id)]
        if not old:
            return False
        await self._shutdown(old[0])
        return True

    async def run(self) -> None:
        """Sweep every few seconds, for the life of the server."""
        while True:
            await asyncio.sleep(min(SWEEP_S, self.timeout / 2))
            with contextlib.suppress(Exception):  # a failed sweep must not stop the next
                await self.sweep()
