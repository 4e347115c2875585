"""Calendar arithmetic the retention rules need."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["months_after"]


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))
