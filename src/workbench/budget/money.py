"""Amounts as French readers write them: 45 000 € (thin space between thousands, no-break
space before the sign); "—" for none."""

from __future__ import annotations

from fractions import Fraction

__all__ = ["euros"]


def euros(value: float | Fraction | None) -> str:
    if value is None:
        return "—"
    return f"{float(value):,.0f}".replace(",", "\u202f") + "\u00a0€"
