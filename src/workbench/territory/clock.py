"""The time on the territory (Europe/Paris), whatever the server's clock zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = ["PARIS", "local_now", "local_time", "local_today"]

PARIS = ZoneInfo("Europe/Paris")


def local_now() -> datetime:
    """The time on the territory (naive, Europe/Paris), as specs write their dates."""
    return datetime.now(PARIS).replace(tzinfo=None)


def local_today() -> date:
    """The day on the territory: a meeting's day, an invitation's day of use."""
    return local_now().date()


def local_time(utc: datetime) -> str:
    """A stored (naive UTC) moment as the territory's clock reads it: ``HH:MM``."""
    return utc.replace(tzinfo=UTC).astimezone(PARIS).strftime("%H:%M")
