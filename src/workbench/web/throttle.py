"""Failed attempts, counted: past a few, the next ones are refused for a while (HTTP 429).

Used by the staff sign-in (wrong tokens) and the meeting sign-in (wrong code or address).
Counted per source (the client's address: behind the proxy, the forwarded one) and overall,
in a sliding window, in the server's memory: a restart forgets them, which is fine for a
guard whose job is to make guessing slow (a 43-character token cannot be guessed anyway).
"""

from __future__ import annotations

import time
from collections import deque

__all__ = ["Throttle"]


class Throttle:
    """At most ``per_source`` failures per source and ``overall`` in all per ``window`` s."""

    def __init__(self, per_source: int = 5, overall: int = 50, window: float = 300.0) -> None:
        self.per_source = per_source
        self.overall = overall
        self.window = window
        self._failures: deque[tuple[float, str]] = deque()

    def _recent(self) -> deque[tuple[float, str]]:
        limit = time.monotonic() - self.window
        while self._failures and self._failures[0][0] < limit:
            self._failures.popleft()
        return self._failures

    def allowed(self, source: str) -> bool:
        """Whether an attempt from ``source`` may be checked now."""
        recent = self._recent()
        mine = sum(1 for _, who in recent if who == source)
        return mine < self.per_source and len(recent) < self.overall

    def failed(self, source: str) -> None:
        """Record a failed attempt from ``source``."""
        self._recent().append((time.monotonic(), source))

    def unusual(self) -> int:
        """Failures in the window (what staff see as unusual activity)."""
        return len(self._recent())
