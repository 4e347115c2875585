"""Failed sign-ins per source (the client's address), with a delay that grows.

After 5 failures in a row from one source, that source waits 1 minute, then twice as long
after each further failure, at most an hour (``workbench.staff.accounts.lockout_delay``, the
rule accounts follow too). A source with no failure for an hour starts again from zero.
Kept in the server's memory: a restart forgets it, which is fine for a guard whose job is
to make guessing slow. There is no overall limit: it would let anyone lock every member of
staff out.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

__all__ = ["Throttle"]

FORGET_S = 3600.0


class Throttle:
    """Failures per source, and how long each source must wait."""

    def __init__(self, delay=None) -> None:
        if delay is None:
            from workbench.staff.accounts import lockout_delay as delay
        self._delay = delay
        self._sources: dict[str, tuple[int, float, float]] = {}  # failures, last, until
        self._lock = threading.Lock()

    def attempt(self, source: str) -> int:
        """Seconds ``source`` must still wait (0: go ahead). Going ahead counts the attempt as
        a failure at once, so that parallel attempts cannot all pass before the first failure
        is known; ``succeeded`` forgives it."""
        now = time.monotonic()
        with self._lock:
            failures, last, until = self._sources.get(source, (0, now, now))
            if now - last > FORGET_S:
                failures, until = 0, now
            if until > now:
                return max(1, int(until - now + 0.999))
            failures += 1
            delay: timedelta = self._delay(failures)
            self._sources[source] = (failures, now, now + delay.total_seconds())
            if len(self._sources) > 100_000:  # a flood of addresses: forget the oldest half
                for key in sorted(self._sources, key=lambda k: self._sources[k][1])[:50_000]:
                    del self._sources[key]
        return 0

    def succeeded(self, source: str) -> None:
        """The attempt counted by ``attempt`` was no failure after all."""
        now = time.monotonic()
        with self._lock:
            if source not in self._sources:
                return
            failures, last, until = self._sources[source]
            failures = max(0, failures - 1)
            if not self._delay(failures):
                until = now
            self._sources[source] = (failures, last, until)
