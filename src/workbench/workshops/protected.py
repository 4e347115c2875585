"""Workshop results protected for a document: small cells secret, small communes merged
(``workbench.evaluation.disclosure``)."""

from __future__ import annotations

import dataclasses

from workbench.evaluation.disclosure import protect_line
from workbench.evaluation.suppression import SECRET
from workbench.i18n import _
from workbench.workshops.results import Bar, QuestionResult, aggregate

__all__ = ["protected_result", "secret_line"]


def secret_line(counts: list[int], threshold: int) -> list[int | str]:
    """The counts of a line whose total is published, with the secret ones as "s"."""
    hidden = protect_line(counts, threshold)
    return [SECRET if k in hidden else n for k, n in enumerate(counts)]


def protected_result(question, values: list, threshold: int) -> QuestionResult:
    """``aggregate``'s result, whose bars are protected already (``hidden_in_line``), except
    communes: listed only when chosen, the small ones are merged into one bar (``_merged``),
    so that neither their names nor their counts are told."""
    result = aggregate(question, values, threshold)
    if result.hidden or result.kind != "commune":
        return result
    full = aggregate(question, values, 1)
    return dataclasses.replace(full, bars=_merged(full.bars, full.total, threshold))


def _merged(bars: tuple[Bar, ...], total: int, threshold: int) -> tuple[Bar, ...]:
    """Bars sorted by decreasing count, the small ones (then the smallest others, until the
    group reaches ``threshold``) merged into one "other communes" bar."""
    kept, merged = list(bars), 0
    while kept and (0 < (kept[-1].count or 0) < threshold or 0 < merged < threshold):
        merged += kept.pop().count or 0
    if not merged:
        return bars
    other = Bar("other", _("Other communes"), merged, round(100 * merged / total, 1))
    return (*kept, other)


