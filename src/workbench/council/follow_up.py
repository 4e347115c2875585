"""Droit de suite: every avis recommendation gets an official answer and a follow-up.

Pure indicators over a ledger (reused by the CLI and the activity report): for the
recommendations issued in a year, the share answered, the median delay to answer, the share
implemented (last milestone "réalisée"), and the overdue list (no answer after the due date,
3 months after the avis by default) with what a reminder needs.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from workbench.i18n import _, ngettext
from workbench.spreadsheets import csv_bytes

__all__ = ["ANSWER_DELAY_DAYS", "POSITIONS", "STATUSES", "Indicators", "LedgerEntry",
           "indicators", "reminders_csv", "summary"]

POSITIONS = ("retenue", "partiellement retenue", "non retenue", "à l'étude")
STATUSES = ("engagée", "réalisée", "abandonnée")
ANSWER_DELAY_DAYS = 91  # three months


@dataclass(frozen=True)
class LedgerEntry:
    """One recommendation and what happened to it."""

    id: int
    avis: str
    text: str
    addressee: str
    issued_on: date
    due_on: date | None = None
    answered_on: date | None = None
    position: str | None = None
    milestones: tuple[tuple[date, str], ...] = field(default=())

    @property
    def due(self) -> date:
        return self.due_on or self.issued_on + timedelta(days=ANSWER_DELAY_DAYS)

    @property
    def status(self) -> str:
        if self.milestones:
            return sorted(self.milestones)[-1][1]
        return "répondue" if self.answered_on else "sans réponse"


@dataclass(frozen=True)
class Indicators:
    year: int
    recommendations: int
    answered: int
    answered_share: float | None  # %
    median_delay_days: float | None
    implemented: int
    implemented_share: float | None  # %
    overdue: tuple[LedgerEntry, ...]


def indicators(ledger: list[LedgerEntry], year: int, today: date) -> Indicators:
    """The droit-de-suite indicators of the recommendations issued in ``year``."""
    issued = [e for e in ledger if e.issued_on.year == year]
    answered = [e for e in issued if e.answered_on is not None]
    delays = [(e.answered_on - e.issued_on).days for e in answered]
    implemented = [e for e in issued if e.status == "réalisée"]
    overdue = tuple(sorted((e for e in issued if e.answered_on is None and e.due < today),
                           key=lambda e: (e.due, e.id)))
    n = len(issued)
    return Indicators(year, n, len(answered), round(100 * len(answered) / n, 1) if n else None,
                      statistics.median(delays) if delays else None, len(implemented),
                      round(100 * len(implemented) / n, 1) if n else None, overdue)


def summary(result: Indicators, number: Callable[[object], str] = str) -> str:
    """The indicators in one sentence, each count with its own plural (``number`` formats the
    figures, e.g. ``french_number``; a missing share or delay shows as an em dash)."""
    def figure(value: object) -> str:
        return "—" if value is None else number(value)

    n, answered, implemented = result.recommendations, result.answered, result.implemented
    delay = result.median_delay_days
    parts = [
        ngettext("{n} recommendation", "{n} recommendations", n).format(n=figure(n)),
        ngettext("{n} answered ({share} %)", "{n} answered ({share} %)", answered).format(
            n=figure(answered), share=figure(result.answered_share)),
        _("median delay —") if delay is None else ngettext(
            "median delay {delay} day", "median delay {delay} days", int(delay)).format(
            delay=figure(delay)),
        ngettext("{n} implemented", "{n} implemented", implemented).format(
            n=figure(implemented)),
    ]
    return ", ".join(parts) + "."


def reminders_csv(overdue: tuple[LedgerEntry, ...], today: date) -> bytes:
    """The overdue answers for a mail merge (UTF-8 with BOM, semicolons)."""
    return csv_bytes([["numero", "avis", "recommandation", "destinataire", "echeance",
                       "jours_de_retard"],
                      *([e.id, e.avis, e.text, e.addressee, e.due.isoformat(),
                         (today - e.due).days] for e in overdue)])
