"""Disclosure control audited by an attacker: integer programming over everything published.

The attacker here is written independently of ``workbench.evaluation.disclosure``: it reads
the published tables (numbers, hidden marks, shares), knows how they are linked (margins,
communes within their size class, cross-tabs within the profile tables, the indicators'
counts) and computes with ``scipy.optimize.milp`` the exact integer range of every hidden
count. The rule: a count from 1 to 4 must have a range reaching both 0 and 5.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import block_diag

from workbench.evaluation.suppression import CrossTab, suppress

THRESHOLD = 5


# The attacker ------------------------------------------------------------------------------

@dataclasses.dataclass
class Published:
    """What a reader knows: each cell's published value (None when hidden), what its mark
    says (a lower and an upper bound), and sums: ``sum(parts) == total`` (or ``<=``)."""

    shown: list[int | None] = dataclasses.field(default_factory=list)
    truth: list[int] = dataclasses.field(default_factory=list)  # to judge, never to attack
    marks: dict[int, tuple[int, int | None]] = dataclasses.field(default_factory=dict)
    sums: list[tuple[int, tuple[int, ...], bool]] = dataclasses.field(default_factory=list)

    def add(self, truth: int, label: object) -> int:
        """A cell as printed: a number, or a mark (« < 5 » tells 1 to 4)."""
        self.truth.append(int(truth))
        self.shown.append(int(label) if isinstance(label, int | float) else None)
        if isinstance(label, str) and label.startswith("<"):
            self.marks[len(self.truth) - 1] = (1, int(label[1:]) - 1)
        return len(self.truth) - 1

    def add_sum(self, total: int, parts, exact: bool = True) -> None:
        """``sum(parts) == total``; when not ``exact``, the difference counts people too
        (e.g. those of an age band not asked a filtered question): an unpublished cell, which
        must be protected like any other count."""
        parts = tuple(parts)
        if not exact:
            self.truth.append(self.truth[total] - sum(self.truth[p] for p in parts))
            self.shown.append(None)
            parts = (*parts, len(self.truth) - 1)
        self.sums.append((total, parts, True))

    def link(self, a: int, b: int) -> None:
        """Two cells count the same people, or ``b`` a subset of ``a``'s."""
        self.add_sum(a, [b], self.truth[a] == self.truth[b])


def _problem(published: Published) -> tuple[list[int], np.ndarray, list, list, np.ndarray,
                                             np.ndarray]:
    """Variables (the hidden cells), constraint rows with their bounds, variable bounds."""
    hidden = [i for i, v in enumerate(published.shown) if v is None]
    column = {cell: k for k, cell in enumerate(hidden)}
    rows, lower, upper = [], [], []
    for total, parts, exact in published.sums:
        row = np.zeros(len(hidden))
        constant = 0.0
        for cell, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
            if cell in column:
                row[column[cell]] += sign
            else:
                constant += sign * published.shown[cell]
        if row.any():
            rows.append(row)
            lower.append(-constant if exact else -np.inf)
            upper.append(-constant)
        else:
            assert constant == 0 or (not exact and constant < 0)
    ceiling = sum(published.truth) + 100
    low = np.array([published.marks.get(c, (0, None))[0] for c in hidden], dtype=float)
    high = np.array([published.marks.get(c, (0, None))[1] or ceiling for c in hidden],
                    dtype=float)
    matrix = np.array(rows) if rows else np.zeros((0, len(hidden)))
    return hidden, matrix, lower, upper, low, high


def ranges_of_many(tables: list[Published]) -> list[dict[int, tuple[int, int]]]:
    """The exact integer range of every hidden cell of 1 to 4 people, table by table.

    The tables are independent, so one integer program over all of them, minimising the sum
    of one cell per table (or minus a cell, for its maximum), finds each table's own optimum:
    as many programs as the largest table has (cell, end) pairs, not one per pair.
    """
    problems = [_problem(t) for t in tables]
    offsets = np.cumsum([0] + [len(p[0]) for p in problems])
    tasks = [[(k, cell, sign) for k, cell in enumerate(p[0])
              if 0 < t.truth[cell] < THRESHOLD for sign in (1.0, -1.0)]
             for t, p in zip(tables, problems, strict=True)]
    results: list[dict[int, list[int]]] = [{} for _ in tables]
    if not offsets[-1]:
        return [{} for _ in tables]
    matrix = block_diag([p[1] for p in problems], format="csr")
    constraint = LinearConstraint(matrix, np.concatenate([p[2] for p in problems]),
                                  np.concatenate([p[3] for p in problems]))
    bounds = Bounds(np.concatenate([p[4] for p in problems]),
                    np.concatenate([p[5] for p in problems]))
    for step in range(max(map(len, tasks), default=0)):
        objective = np.zeros(offsets[-1])
        for t, table_tasks in enumerate(tasks):
            if step < len(table_tasks):
                k, _cell, sign = table_tasks[step]
                objective[offsets[t] + k] = sign
        solved = milp(objective, constraints=constraint, integrality=np.ones(offsets[-1]),
                      bounds=bounds, options={"mip_rel_gap": 0})
        assert solved.x is not None, solved.message
        for t, table_tasks in enumerate(tasks):
            if step < len(table_tasks):
                k, cell, _sign = table_tasks[step]
                results[t].setdefault(cell, []).append(round(solved.x[offsets[t] + k]))
    return [{cell: (ends[0], ends[1]) for cell, ends in r.items()} for r in results]


def exposed_in_many(tables: list[Published]) -> list[tuple[int, int, tuple[int, int]]]:
    """Cells of 1 to 4 people shown, or hidden with a range missing 0 or 5."""
    leaks = []
    for published, found in zip(tables, ranges_of_many(tables), strict=True):
        leaks += [(c, v, (v, v)) for c, v in enumerate(published.shown)
                  if v is not None and 0 < v < THRESHOLD]
        leaks += [(c, published.truth[c], (lo, hi)) for c, (lo, hi) in found.items()
                  if lo > 0 or hi < THRESHOLD]
    return leaks


def exposed(published: Published) -> list[tuple[int, int, tuple[int, int]]]:
    return exposed_in_many([published])


def add_grid(published: Published, people: list[list[int]], labels: list[list[object]]
             ) -> list[list[int]]:
    """A table with margins (``labels`` as printed, margins included)."""
    grid = [[*row, sum(row)] for row in people]
    grid.append([sum(r[j] for r in grid) for j in range(len(grid[0]))])
    cells = [[published.add(v, labels[i][j]) for j, v in enumerate(row)]
             for i, row in enumerate(grid)]
    for row in cells:
        published.add_sum(row[-1], row[:-1])
    for j in range(len(cells[0])):
        published.add_sum(cells[-1][j], [row[j] for row in cells[:-1]])
    return cells


# (b) Random tables ---------------------------------------------------------------------------

def random_table(rng: random.Random) -> list[list[int]]:
    height, width = rng.randint(2, 4), rng.randint(2, 4)
    scale = rng.choice([2, 4, 8, 15])
    return [[max(0, round(rng.expovariate(1 / scale))) for _ in range(width)]
            for _ in range(height)]


def test_random_tables_leave_no_small_cell_recoverable() -> None:
    rng = random.Random(13)
    tables = []
    for _ in range(400):
        people = random_table(rng)
        hidden = suppress(people, threshold=THRESHOLD)
        table = CrossTab(tuple("abcd"[:len(people)]), tuple("wxyz"[:len(people[0])]),
                         tuple(tuple(float(v) for v in row) for row in people), hidden,
                         tuple(tuple(row) for row in people))
        published = Published()
        add_grid(published, people, table.shown(THRESHOLD))
        tables.append(published)
    small = sum(0 < v < THRESHOLD for t in tables for v in t.truth)
    assert small > 1000
    leaks = exposed_in_many(tables)
    assert leaks == [], f"{len(leaks)} of {small} small cells: " + _summary(leaks)


def test_random_lines_with_a_published_total_leave_no_small_cell_recoverable() -> None:
    """One-way tables (answers per commune, per option): the total is published."""
    from workbench.evaluation.disclosure import protect_line

    rng = random.Random(7)
    tables = []
    for _ in range(150):
        counts = [max(0, round(rng.expovariate(1 / rng.choice([2, 5, 12]))))
                  for _ in range(rng.randint(2, 12))]
        if sum(counts) < THRESHOLD:  # a published total under 5 cannot be protected
            continue
        hidden = protect_line(counts, THRESHOLD)
        published = Published()
        cells = [published.add(v, "s" if k in hidden else v) for k, v in enumerate(counts)]
        published.add_sum(published.add(sum(counts), sum(counts)), cells)
        tables.append(published)
    leaks = exposed_in_many(tables)
    assert leaks == [], _summary(leaks)


def test_a_third_party_audit_of_a_published_table() -> None:
    from workbench.evaluation.disclosure import audit_grid

    leaky = [[20, "s", 24], [10, "s", 14], [30, 8, 38]]  # one line with two hidden cells
    assert audit_grid(leaky, THRESHOLD) == {(0, 1): (4, 4), (1, 1): (4, 4)}
    people = [[20, 4, 13, 1], [10, 2, 7, 9], [3, 30, 12, 8]]
    hidden = suppress(people, threshold=THRESHOLD)
    shown = CrossTab(tuple("abc"), tuple("wxyz"), tuple(tuple(map(float, r)) for r in people),
                     hidden, tuple(map(tuple, people))).shown(THRESHOLD)
    found = audit_grid(shown, THRESHOLD)
    assert set(found) == hidden
    assert not [r for r in found.values() if r[0] > 0 and r[1] < THRESHOLD]


# (a), (c) The evaluation report --------------------------------------------------------------

def _summary(leaks: list) -> str:
    exact = sum(low == high for _cell, _value, (low, high) in leaks)
    return f"{len(leaks)} small counts exposed ({exact} exactly): {leaks[:5]}"


def _number(label: object) -> int | None:
    return int(label) if isinstance(label, int | float) else None


def audit_report(evaluation) -> list:
    """Every count table of the report, linked as a reader can link them, and attacked."""
    from workbench.documents.blocks import Table
    from workbench.evaluation import analysis
    from workbench.reports import evaluation as report
    from workbench.territory import communes

    published = Published()
    framework = evaluation.framework
    profile = list(framework.profile)
    blocks = [b for b in report.representativeness(evaluation) if isinstance(b, Table)]
    assert len(blocks) == len(profile)
    answers = published.add(len(evaluation.data.responses), len(evaluation.data.responses))
    margins: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for dimension, comparison, block in zip(profile, evaluation.comparisons, blocks,
                                            strict=True):
        cells = {}
        n = round(comparison.respondents)
        for row, table_row in zip(comparison.rows, block.rows, strict=False):
            assert table_row[0] == row.category
            label = table_row[1]
            if _number(label) is None and any(v is not None for k, v in
                                              enumerate(table_row[2:]) if k != 1):
                label = round(row.respondents)  # a share or ratio gives the count away
            cells[row.category] = published.add(round(row.respondents), label)
        totals[dimension.census] = total = published.add(n, n)  # shares give it away
        published.add_sum(total, list(cells.values()))
        published.link(answers, total)
        margins[dimension.census] = cells
    if "commune" in margins and "taille_commune" in margins:
        classes: dict[str, list[int]] = {}
        for commune in communes():
            if commune.nom in margins["commune"]:
                classes.setdefault(analysis.size_class(commune.code_insee), []).append(
                    margins["commune"][commune.nom])
        for size, cells in classes.items():
            published.add_sum(margins["taille_commune"][size], cells)

    columns_by_question: dict[str, list[list[int]]] = {}
    by_title = {b.title: b for b in report.crosstabs(evaluation) if isinstance(b, Table)}
    for dimension in profile:
        if dimension.census == "commune":
            continue
        for qid in {i.question for q in framework.questions for i in q.indicators
                    if i.question and i.measure == "top2"}:
            label = evaluation.data.spec.question(qid).label
            block = next((b for t, b in by_title.items() if t.startswith(label)
                          and t.endswith(dimension.label)), None)
            if block is None:
                continue
            agreement = {1: 2, 2: 2, 3: 1, 4: 0, 5: 0, "nsp": 3}
            people = Counter((row[dimension.census], agreement[a[qid]])
                             for row, a in zip(evaluation.respondents.profile,
                                               evaluation.respondents.answers, strict=True)
                             if a.get(qid) in agreement
                             and row[dimension.census] != analysis.UNKNOWN)
            categories = [r[0] for r in block.rows[:-1]]
            counts = [[people[(c, j)] for j in range(4)] for c in categories]
            cells = add_grid(published, counts, [r[1:] for r in block.rows])
            for i, category in enumerate(categories):
                published.link(margins[dimension.census][category], cells[i][-1])
            published.link(totals[dimension.census], cells[-1][-1])
            columns_by_question.setdefault(qid, []).append(cells[-1])
    for qid, bottoms in columns_by_question.items():  # results: base and top-2 share
        values = [a[qid] for a in evaluation.respondents.answers if qid in a]
        agree = published.add(sum(v in (4, 5) for v in values), sum(v in (4, 5) for v in values))
        base = sum(v != "nsp" for v in values)
        base_cell = published.add(base, base)
        for bottom in bottoms:
            published.link(agree, bottom[0])
            published.add_sum(base_cell, bottom[:3],
                              sum(published.truth[c] for c in bottom[:3]) == base)
        for first, other in itertools.pairwise(bottoms):
            for a, b in zip(first, other, strict=True):
                if published.truth[a] == published.truth[b]:
                    published.link(a, b)
    return exposed(published)


@pytest.fixture(scope="module")
def demo_evaluation(demo_url):
    """The demo evaluation: 300 synthetic answers, the built-in census."""
    from workbench.reports import evaluation as report

    return report.load("evaluation-transport", 0)


def _with_answers(evaluation, answers: list[dict]):
    from workbench.evaluation import analysis

    respondents = analysis.profiles(evaluation.framework, evaluation.data.spec, answers)
    raking = analysis.weights(evaluation.framework, respondents, evaluation.census)
    return dataclasses.replace(
        evaluation, respondents=respondents, raking=raking,
        comparisons=analysis.representativeness(evaluation.framework, respondents,
                                                evaluation.census),
        weighted_comparisons=analysis.representativeness(
            evaluation.framework, respondents, evaluation.census,
            raking.weights if raking else None))


def test_communes_hidden_cannot_be_recovered_from_their_size_class(demo_evaluation) -> None:
    """The reviewer's case: four communes of a size class under five, the others shown."""
    from workbench.evaluation import analysis
    from workbench.territory import communes

    middle = [c.code_insee for c in communes()
              if analysis.size_class(c.code_insee) == analysis.SIZE_CLASSES[1]]
    rng = random.Random(2)
    answers = []
    for k, code in enumerate(middle):
        for _ in range(4 if k < 4 else rng.randint(5, 12)):
            answers.append({"commune": code, "age": rng.choice(["30_a_44_ans", "60_a_74_ans"]),
                            "horaires": rng.choice([1, 2, 3, 4, 5, "nsp"]),
                            "tad_rural": rng.choice([1, 4, 5])})
    for code in [c.code_insee for c in communes()
                 if analysis.size_class(c.code_insee) == analysis.SIZE_CLASSES[2]][:3]:
        answers += [{"commune": code, "age": "45_a_59_ans", "horaires": 4,
                     "tad_rural": 3}] * 20
    leaks = audit_report(_with_answers(demo_evaluation, answers))
    assert leaks == [], _summary(leaks)


def test_the_demo_evaluation_report_leaks_no_small_count(demo_evaluation) -> None:
    leaks = audit_report(demo_evaluation)
    assert leaks == [], _summary(leaks)
