"""Failed attempts, counted: past a few, the next ones are refused for a while (HTTP 429).

Used by the staff sign-in (wrong tokens). Counted per source (the client's address: behind
the proxy, the one it forwards), in a sliding window, in the server's memory: a restart
forgets them, which is fine for a guard whose job is to make guessing slow (a 43-character
token cannot be guessed anyway). There is no overall limit: it would let anyone lock every
member of staff out.
"""

from __future__ import annotations

import time
from collections import deque

__all__ = ["Throttle"]


class Throttle:
    """At most ``per_source`` failures per source per ``window`` seconds."""

    def __init__(self, per_source: int = 5, window: float = 300.0) -> None:
        self.per_source = per_source
        self.window = window
        self._failures: deque[tuple[float, str]] = deque()

    def _recent(self) -> deque[tuple[float, str]]:
        limit = time.monotonic() - self.window
        while self._failures and self._failures[0][0] < limit:
            self._failures.popleft()
        return self._failures

    def allowed(self, source: str) -> bool:
        """Whether an attempt from ``source`` may be checked now."""
        return sum(1 for _, who in self._recent() if who == source) < self.per_source

    def failed(self, source: str) -> None:
        """Record a failed attempt from ``source``."""
        self._recent().append((time.monotonic(), source))
