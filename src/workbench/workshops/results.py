"""Aggregating a session's answers, question by question, with small-cell suppression.

Public outputs never show a count of fewer than ``threshold`` people (default 5,
``WORKBENCH_SMALL_CELL``), nor let one be deduced from the published total: see ``_suppress``.
Every hidden count is shown as secret ("s"), whether small or hidden to protect a small one;
the people in the hidden categories are told together (``QuestionResult.others``), never by
name, and only when they are ``threshold`` or more.
"""

from __future__ import annotations

import math
import os
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.forms.spec import DONT_KNOW, OTHER
from workbench.i18n import _
from workbench.territory import commune_by_code
from workbench.workshops.words import word_frequencies

__all__ = ["NAMED_BY_ANSWERS", "OTHERS", "Bar", "QuestionResult", "aggregate", "hidden_in_line",
           "public_bars", "small_cell_threshold"]

OTHERS = "_others"  # the key of the bar that groups the hidden categories
# Kinds whose categories exist only because someone chose them (a commune, a month): naming a
# hidden one would tell the room that someone chose it, so hidden ones are grouped instead.
NAMED_BY_ANSWERS = ("commune", "date")


def small_cell_threshold() -> int:
    """The smallest count shown publicly (setting ``WORKBENCH_SMALL_CELL``, default 5)."""
    return int(os.environ.get("WORKBENCH_SMALL_CELL", "5"))


@dataclass(frozen=True)
class Bar:
    """One category: its count and share, or None when suppressed."""

    key: str
    label: str
    count: int | None
    percent: float | None = None
    value: float | None = None  # mean rank, total points, or the bin's lower bound


@dataclass(frozen=True)
class QuestionResult:
    """What the results page shows for one question."""

    question_id: str
    label: str
    kind: str
    total: int
    hidden: bool  # fewer answers than the threshold: nothing but the count is shown
    bars: tuple[Bar, ...] = ()
    median: float | None = None
    words: tuple[tuple[str, int], ...] = ()
    latest: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    # People in the hidden categories together, when that may be shown: the categories add up
    # to the total (so it tells nothing the total and the shown counts do not) and they are at
    # least the threshold; None when nothing is hidden or the number must not be shown.
    others: int | None = None


def hidden_in_line(counts: Sequence[int], threshold: int, additive: bool = True) -> set[int]:
    """Positions to hide in one line of counts: the small ones (1 to threshold − 1) and, when
    the counts add up to a published total (``additive``), more until at least two are hidden
    and they add up to ``threshold`` or more. A reader subtracting can then tell neither that
    a hidden count is small nor its value: each may be 0 as well as ``threshold`` (exact for
    one line; linked tables need ``evaluation.disclosure``). Smallest non-zero counts first,
    zeros last. Counts that do not add up (multiple choices): the small ones only."""
    hidden = {k for k, n in enumerate(counts) if 0 < n < threshold}
    others = sorted((n == 0, n, k) for k, n in enumerate(counts) if k not in hidden)
    while additive and hidden and others and (
            len(hidden) < 2 or sum(counts[k] for k in hidden) < threshold):
        hidden.add(others.pop(0)[2])
    return hidden


def _suppress(counts: list[tuple[str, str, int]], total: int, threshold: int,
              additive: bool = True) -> dict:
    """Bars with the counts ``hidden_in_line`` chooses hidden (count and share), and the
    hidden ones' sum as ``others`` when it may be shown (see ``QuestionResult.others``)."""
    hidden = hidden_in_line([n for _key, _label, n in counts], threshold, additive)
    bars = tuple(Bar(key, label, None if k in hidden else n,
                     None if k in hidden or not total else round(100 * n / total, 1))
                 for k, (key, label, n) in enumerate(counts))
    together = sum(counts[k][2] for k in hidden)
    # Choices that do not add up (multiple choices) are never summed: one person may have
    # ticked several hidden ones, and a sum near the hidden cells' maximum would tell them.
    others = together if hidden and additive and together >= threshold else None
    return {"bars": bars, "others": others}


def public_bars(result: QuestionResult) -> tuple[Bar, ...]:
    """The bars as the public page draws and tabulates them: every category of a fixed list in
    its order (hidden ones with no count, shown "s"); for categories named by the answers
    (``NAMED_BY_ANSWERS``), the shown ones then one nameless bar for the hidden ones together
    (when ``others`` may be shown), so that no hidden category is named."""
    if result.kind not in NAMED_BY_ANSWERS:
        return result.bars
    shown = tuple(b for b in result.bars if b.count is not None)
    if result.others is None or len(shown) == len(result.bars):
        return shown
    share = round(100 * result.others / result.total, 1) if result.total else None
    return (*shown, Bar(OTHERS, _("Other answers (grouped)"), result.others, share))


def _categories(question, values: list) -> list[tuple[str, str, int]]:
    kind = question.type
    if kind == "likert":
        tally = Counter(values)
        levels = [(str(i), label, tally.get(i, 0)) for i, label in enumerate(question.labels, 1)]
        if question.dont_know:
            levels.append((DONT_KNOW, _("Does not know"), tally.get(DONT_KNOW, 0)))
        return levels
    if kind == "single_choice":
        tally = Counter(values)
        return [(o.value, o.label, tally.get(o.value, 0)) for o in question.options]
    if kind == "multiple_choice":
        tally = Counter(choice for v in values for choice in v["choices"])
        options = [(o.value, o.label) for o in question.options]
        if question.other:
            options.append((OTHER, _("Other (specify)")))
        return [(key, label, tally.get(key, 0)) for key, label in options]
    if kind == "commune":
        tally = Counter(values)
        return sorted(((code, getattr(commune_by_code(code), "nom", code), n)
                       for code, n in tally.items()), key=lambda c: (-c[2], c[1]))
    if kind == "date":
        tally = Counter(v[:7] for v in values)
        return [(month, f"{month[5:]}/{month[:4]}", n) for month, n in sorted(tally.items())]
    raise ValueError(kind)


def _histogram(question, values: list) -> list[tuple[str, str, int]]:
    if question.type == "scale":
        tally = Counter(values)
        return [(str(i), str(i), tally.get(i, 0)) for i in range(11)]
    low, high = math.floor(min(values)), math.ceil(max(values))
    width = max(math.ceil((high - low + 1) / 8), 1)
    tally = Counter(int((v - low) // width) for v in values)
    return [(str(i), f"{low + i * width:g}–{low + (i + 1) * width - 1:g}", tally.get(i, 0))
            for i in range(max(tally) + 1)]


def aggregate(question, values: list, threshold: int | None = None) -> QuestionResult:
    """The public result of ``question`` from its stored ``values`` (canonical form)."""
    threshold = small_cell_threshold() if threshold is None else threshold
    total = len(values)
    base = {"question_id": question.id, "label": question.label, "kind": question.type,
            "total": total}
    if total < threshold:
        return QuestionResult(**base, hidden=True)
    kind = question.type
    if kind in ("likert", "single_choice", "multiple_choice", "commune", "date"):
        return QuestionResult(**base, hidden=False,
                              **_suppress(_categories(question, values), total, threshold,
                                          kind != "multiple_choice"))
    if kind in ("scale", "number"):
        return QuestionResult(**base, hidden=False,
                              **_suppress(_histogram(question, values), total, threshold),
                              median=statistics.median(values))
    if kind == "ranking":
        bars = tuple(
            Bar(o.value, o.label, total,
                value=round(statistics.fmean(v.index(o.value) + 1 for v in values), 2))
            for o in question.options)
        return QuestionResult(**base, hidden=False, bars=tuple(sorted(bars,
                                                                        key=lambda b: b.value)))
    if kind == "points":
        bars = tuple(Bar(o.value, o.label, total, value=sum(v[o.value] for v in values))
                     for o in question.options)
        return QuestionResult(**base, hidden=False,
                              bars=tuple(sorted(bars, key=lambda b: -b.value)))
    if kind in ("short_text", "long_text"):
        return QuestionResult(**base, hidden=False, words=tuple(word_frequencies(values)),
                              latest=tuple(reversed(values[-8:])))
    raise ValueError(kind)
