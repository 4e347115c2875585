"""The evaluation report's count tables, linked as a reader can link them and protected
together (``workbench.evaluation.disclosure``).

Published counts and what ties them:

- the number of answers (method section);
- one table per profile dimension (respondents per category, with a total that the shares
  give away): its categories add up to its total, at most the number of answers;
- communes within their size class: every commune belongs to one known class, so a class's
  count is the sum of its communes';
- the cross-tabs (agreement with a likert question by age, by size of commune…): margins;
  a row total is at most the same group's count in the profile table (equal when nobody
  skipped the question), the grand total at most that table's total;
- the results section: per likert question, the people who agree and the base (answers
  other than "no opinion"): at most the cross-tab's column totals' counterparts; two
  cross-tabs of one question over the same people have the same column totals.

Where a part counts fewer people than its whole (a row total under the profile table's
count, because a filtered question was not asked to everyone), the difference is a count a
reader can compute, though never printed: it is a cell of its own, hidden from the start and
protected like the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.evaluation.analysis import UNKNOWN, Respondents, size_class
from workbench.evaluation.disclosure import TableSet
from workbench.evaluation.framework import EvaluationFramework
from workbench.evaluation.representativeness import Comparison
from workbench.evaluation.suppression import CrossTab
from workbench.territory import communes

__all__ = ["AGREEMENT", "ReportDisclosure", "likert_questions", "protect_report"]

AGREEMENT = {5: 0, 4: 0, 3: 1, 2: 2, 1: 2, "nsp": 3}  # agree, neither, disagree, no opinion
GROUPS = ("agree", "neither", "disagree", "nsp")


@dataclass(frozen=True)
class ReportDisclosure:
    """What the report hides: per profile dimension (census kind), the categories whose count
    is secret; per (census kind, likert question) the cross-tab with its hidden cells
    (columns ``GROUPS``); and how many small counts could not be protected."""

    categories: dict[str, frozenset[str]]
    crosstabs: dict[tuple[str, str], CrossTab]
    unprotected: int = 0


def likert_questions(framework: EvaluationFramework) -> list[str]:
    """The questions of the top-2 indicators, in the framework's order, once each."""
    found: list[str] = []
    for question in framework.questions:
        for indicator in question.indicators:
            if indicator.question and indicator.measure == "top2" \
                    and indicator.question not in found:
                found.append(indicator.question)
    return found


def _people(respondents: Respondents, census: str, qid: str, order: Sequence[str]
            ) -> tuple[list[str], list[list[int]]]:
    """Categories (in ``order``, the census's: age bands by age, size classes by size) and
    counts per agreement group of one cross-tab."""
    pairs = Counter((row[census], AGREEMENT[answers[qid]])
                    for row, answers in zip(respondents.profile, respondents.answers,
                                            strict=True)
                    if answers.get(qid) in AGREEMENT and row[census] != UNKNOWN)
    present = {category for category, _group in pairs}
    categories = [c for c in order if c in present] + sorted(present - set(order))
    return categories, [[pairs[(c, g)] for g in range(len(GROUPS))] for c in categories]


def _link(tables: TableSet, whole: int, parts: Sequence[int], unpublished: list[int]) -> None:
    """``parts`` count some of ``whole``'s people. The others (say, those of an age band
    not asked a filtered question: 61 in the age table, 57 in the cross-tab) are a count too,
    never printed but deducible by subtraction: a cell of its own, hidden from the start and
    protected like any other (``unpublished``)."""
    rest = tables.values[whole] - sum(tables.values[p] for p in parts)
    if rest:
        unpublished.append(tables.cell(rest))
        parts = [*parts, unpublished[-1]]
    tables.link(whole, parts)


def protect_report(framework: EvaluationFramework, respondents: Respondents,
                   comparisons: Sequence[Comparison], answers: int, threshold: int
                   ) -> ReportDisclosure:
    """Protect the report's profile tables and cross-tabs jointly."""
    tables = TableSet()
    unpublished: list[int] = []  # differences a reader can compute: counts never printed
    everyone = tables.cell(answers, fixed=True)
    profile = list(framework.profile)
    margins: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for dimension, comparison in zip(profile, comparisons, strict=True):
        cells, total = tables.line([round(r.respondents) for r in comparison.rows],
                                   total_fixed=True)
        _link(tables, everyone, [total], unpublished)
        margins[dimension.census] = {r.category: c for r, c in zip(comparison.rows, cells,
                                                                    strict=True)}
        totals[dimension.census] = total
    if "commune" in margins and "taille_commune" in margins:
        by_class: dict[str, list[int]] = {}
        for commune in communes():
            if commune.nom in margins["commune"]:
                by_class.setdefault(size_class(commune.code_insee), []).append(
                    margins["commune"][commune.nom])
        for name, cells in by_class.items():
            if name in margins["taille_commune"]:
                tables.link(margins["taille_commune"][name], cells)
    grids: dict[tuple[str, str], tuple[list[str], list[list[int]], list[list[int]]]] = {}
    for qid in likert_questions(framework):
        values = [a[qid] for a in respondents.answers if a.get(qid) in AGREEMENT]
        agree = tables.cell(sum(AGREEMENT[v] == 0 for v in values), fixed=True)
        base = tables.cell(sum(v != "nsp" for v in values), fixed=True)
        bottoms = []
        for dimension in profile:
            if dimension.census == "commune":
                continue
            categories, counts = _people(respondents, dimension.census, qid,
                                         list(margins[dimension.census]))
            if not categories:
                continue
            cells = tables.grid(counts)
            grids[(dimension.census, qid)] = (categories, counts, cells)
            for category, row in zip(categories, cells, strict=False):
                if category in margins[dimension.census]:
                    _link(tables, margins[dimension.census][category], [row[-1]],
                          unpublished)
            _link(tables, totals[dimension.census], [cells[-1][-1]], unpublished)
            _link(tables, agree, [cells[-1][0]], unpublished)
            _link(tables, base, cells[-1][:3], unpublished)
            for other in bottoms:
                if [tables.values[c] for c in other] == [tables.values[c] for c in cells[-1]]:
                    for mine, theirs in zip(cells[-1], other, strict=True):
                        tables.link(theirs, [mine])
            bottoms.append(cells[-1])
    protection = tables.protect(threshold, unpublished)
    hidden = protection.hidden
    categories = {census: frozenset(name for name, cell in cells.items() if cell in hidden)
                  for census, cells in margins.items()}
    crosstabs = {key: CrossTab(tuple(rows), GROUPS,
                               tuple(tuple(float(v) for v in row) for row in counts),
                               frozenset((i, j) for i, line in enumerate(cells)
                                         for j, cell in enumerate(line) if cell in hidden),
                               tuple(tuple(row) for row in counts))
                 for key, (rows, counts, cells) in grids.items()}
    return ReportDisclosure(categories, crosstabs, len(protection.unprotected))
