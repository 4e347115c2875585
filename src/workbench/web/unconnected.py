"""Kernels whose page is not connected: reclaimed, and never allowed to fill the room.

Every page request starts a kernel; the page's front end then opens the kernel's websocket.
A request that never opens it (a script, a crawler, a link preview) would hold its kernel
until the idle culling, 30 minutes later: a few plain ``GET`` would fill the room.

- A kernel that has never had a websocket is *unconnected*. It is shut down once it has been
  unconnected for ``timeout`` seconds (a page connects within seconds, even on a slow phone).
- A kernel whose websocket has closed (a phone's screen locked, or a script that connected
  and left) is *disconnected*: the idle culling takes it after 30 minutes, so that a phone
  can come back; but when the room is full it can give its place after ``left_grace``.
- Places are counted when a page is *admitted*, before its kernel exists: parallel requests
  cannot start more kernels than the cap (``admit``, ``Reservation``).
- When the room is full (the kernel cap) or ``limit`` kernels are unconnected, a new page
  takes the place of the oldest unconnected kernel older than ``grace`` seconds, else of the
  oldest disconnected one older than ``left_grace``; only if there is none does the person
  get the waiting page. So a script must start more than ``limit / grace`` pages per second,
  forever, to keep anyone out, or connect and leave ``cap / left_grace`` times per second.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from typing import Any

__all__ = ["Reservation", "Unconnected"]

SWEEP_S = 2.0
_current: contextvars.ContextVar[Reservation | None] = contextvars.ContextVar(
    "workbench_reservation", default=None)


class Reservation:
    """A place taken for one page request until its kernel is registered (or it fails)."""

    def __init__(self, room: Unconnected) -> None:
        self.room = room
        self.held = True
        room.reserved += 1
        _current.set(self)

    def release(self) -> None:
        if self.held:
            self.held = False
            self.room.reserved -= 1


class Unconnected:
    """Watches a kernel manager for kernels whose page never opened (or left) their websocket."""

    def __init__(self, manager: Any, timeout: float, grace: float, limit: int,
                 left_grace: float = 120.0) -> None:
        self.manager = manager
        self.timeout = timeout
        self.grace = grace
        self.left_grace = left_grace
        self.limit = limit
        self.reserved = 0  # admitted requests whose kernel is not registered yet
        self.connections: dict[str, int] = {}  # kernel id -> open websockets (once connected)
        self.left: dict[str, float] = {}  # kernel id -> when its last websocket closed
        self.since: dict[str, float] = {}  # kernel id -> when first seen unconnected
        self._wrap(manager)

    def _wrap(self, manager: Any) -> None:
        connect, disconnect, start = (manager.notify_connect, manager.notify_disconnect,
                                      manager.start_kernel)

        def notify_connect(kernel_id: str) -> None:
            self.connections[kernel_id] = self.connections.get(kernel_id, 0) + 1
            self.since.pop(kernel_id, None)
            self.left.pop(kernel_id, None)
            connect(kernel_id)

        def notify_disconnect(kernel_id: str) -> None:
            if kernel_id in self.connections:
                self.connections[kernel_id] = max(0, self.connections[kernel_id] - 1)
                if not self.connections[kernel_id]:
                    self.left[kernel_id] = time.monotonic()
            disconnect(kernel_id)

        async def start_kernel(*args: Any, **kwargs: Any) -> str:
            kernel_id = await start(*args, **kwargs)
            reservation = _current.get()
            if reservation is not None:  # the request's kernel now counts itself
                reservation.release()
            return kernel_id

        manager.notify_connect = notify_connect
        manager.notify_disconnect = notify_disconnect
        manager.start_kernel = start_kernel

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
        for table in (self.connections, self.left, self.since):
            for kernel_id in [k for k in table if k not in ids]:
                del table[kernel_id]
        pooled = self._pooled()
        for kernel_id in [k for k in self.since if k in pooled]:
            del self.since[kernel_id]
        for kernel_id in ids - set(self.connections) - pooled:
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
        self.left.pop(kernel_id, None)
        with contextlib.suppress(KeyError, RuntimeError):  # already gone
            await self.manager.shutdown_kernel(kernel_id, now=True)

    async def sweep(self) -> int:
        """Shut down the kernels unconnected for longer than ``timeout``; how many."""
        limit = time.monotonic() - self.timeout
        expired = [kernel_id for since, kernel_id in self.waiting() if since <= limit]
        for kernel_id in expired:
            await self._shutdown(kernel_id)
        return len(expired)

    def _evictable(self, waiting: list[tuple[float, str]]) -> str | None:
        """The kernel that gives its place: the oldest unconnected past ``grace``, else the
        longest disconnected past ``left_grace``."""
        now = time.monotonic()
        for since, kernel_id in waiting:
            if since <= now - self.grace and self._settled(kernel_id):
                return kernel_id
        gone = sorted((at, kernel_id) for kernel_id, at in self.left.items()
                      if at <= now - self.left_grace)
        return gone[0][1] if gone else None

    async def admit(self, cap: int) -> Reservation | None:
        """Take a place for a page about to start its kernel; None if the person must wait.

        ``cap``: live kernels at most (0: none). Past it, or past ``limit`` unconnected
        kernels (the requests being admitted count as unconnected), a kernel gives way.
        """
        reservation = Reservation(self)  # counted at once: no await before this line
        waiting = self.waiting()
        full = bool(cap) and len(self.manager.list_kernel_ids()) + self.reserved > cap
        if full or len(waiting) + self.reserved > self.limit:
            victim = self._evictable(waiting)
            if victim is None:
                reservation.release()
                return None
            await self._shutdown(victim)
        return reservation

    async def run(self) -> None:
        """Sweep every few seconds, for the life of the server."""
        while True:
            await asyncio.sleep(min(SWEEP_S, self.timeout / 2))
            with contextlib.suppress(Exception):  # a failed sweep must not stop the next
                await self.sweep()
