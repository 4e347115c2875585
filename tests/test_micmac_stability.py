"""MICMAC indirect rankings: exact integer powers, and an honest word when they never settle.

The reference here is an independent brute force: whole matrix powers M^k in plain Python
integers (numpy object arrays), the rankings of their row and column sums, and the rule of
``docs/foresight.md`` applied to that sequence.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from workbench.cli import main
from workbench.foresight import micmac
from workbench.foresight.study import Study
from workbench.reports import prospective

MAX_K = 30
TWO_STEP_CYCLE = [[0, 1, 0], [1, 0, 1], [0, 0, 0]]  # a ⇄ b, b → c: M³ = M


def _cells(matrix: list[list[int]]) -> list[list[str]]:
    return [[str(x) for x in row] for row in matrix]


def _rank(values: list[int]) -> tuple[int, ...]:
    """1 for the highest; ties share the better rank (index in the descending order)."""
    descending = sorted(values, reverse=True)
    return tuple(descending.index(v) + 1 for v in values)


def _states(matrix: list[list[int]], last: int) -> dict[int, tuple]:
    """For k = 1..last: (influence ranking, dependence ranking, M^k == 0), exact powers."""
    m = np.array(matrix, dtype=object)
    power, states = m, {}
    for k in range(1, last + 1):
        states[k] = (_rank(power.sum(axis=1).tolist()), _rank(power.sum(axis=0).tolist()),
                     all(x == 0 for x in power.flat))
        power = power.dot(m)
    return states


def _expected(matrix: list[list[int]], max_k: int = MAX_K) -> tuple[str, int, int | None]:
    """(status, power shown, period) by brute force over M^1 … M^(max_k + 1)."""
    last = max_k + 1
    s = _states(matrix, last)
    vanished = [k for k in s if s[k][2]]
    if vanished:
        return "vanishing", max(vanished[0] - 1, 1), None
    for k in range(2, max_k + 1):
        if all(s[j] == s[k] for j in range(k, last + 1)):
            return "stable", k, None
    for p in range(2, last):
        for k in range(2, last - 2 * p + 2):  # at least two whole periods seen
            if all(s[j] == s[j + p] for j in range(k, last - p + 1)):
                return "periodic", k, p
    return "unsettled", max_k, None


def _write(tmp_path, matrix: list[list[int]], names: str) -> str:
    lines = [";" + ";".join(names)]
    lines += [f"{n};" + ";".join(row) for n, row in zip(names, _cells(matrix), strict=True)]
    path = tmp_path / "matrice.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


# A two-step cycle ------------------------------------------------------------------------------

def test_a_two_step_cycle_alternates_and_is_not_called_stable() -> None:
    # M² = [[1,0,1],[0,1,0],[0,0,0]] (rows 2, 1, 0), M³ = M (rows 1, 2, 0): a and b swap
    # places at every step, for ever.
    states = _states(TWO_STEP_CYCLE, 6)
    assert states[2][0] == (1, 2, 3) and states[3][0] == (2, 1, 3) and states[4] == states[2]
    result = micmac.analyse(["a", "b", "c"], _cells(TWO_STEP_CYCLE))
    assert result.stable is False
    assert result.period == 2
    assert result.k == 2  # the power shown: M², the first of the cycle
    assert result.indirect.influence == (2, 1, 0)  # rescaled to the direct total (3)
    data = result.to_json()
    assert data["stable"] is False and data["period"] == 2 and data["k"] == 2


def test_the_cli_says_the_rankings_alternate(tmp_path) -> None:
    path = _write(tmp_path, TWO_STEP_CYCLE, "abc")
    done = CliRunner().invoke(main, ["foresight", "micmac", path, "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["stable"] is False and data["period"] == 2
    done = CliRunner().invoke(main, ["foresight", "micmac", path])
    assert done.exit_code == 0, done.output
    assert "stables à" not in done.output
    assert "ne se stabilisent pas" in done.output and "période de 2" in done.output
    assert "M^2" in done.output


def test_the_report_does_not_call_alternating_rankings_stable(tmp_path) -> None:
    path = Path(_write(tmp_path, TWO_STEP_CYCLE, "abc"))
    table = prospective.structural(Study("t", tmp_path, "T", micmac=path))[0]
    assert "ne changent plus" not in table.note
    assert "ne se stabilisent pas" in table.note and "période de 2" in table.note


def test_the_potential_matrix_has_its_own_verdict() -> None:
    # a → b scored 1, b → a potential: the direct matrix has no cycle (M² = 0), the potential
    # one is a two-step cycle (rows 3, 3 at even powers, 3, 9 at odd ones).
    result = micmac.analyse(["a", "b"], [["0", "1"], ["P", "0"]], potential=3)
    data = result.to_json()
    assert data["stable"] is False and data["stability"] == "vanishing"
    assert data["potential"]["stable"] is False and data["potential"]["period"] == 2


# Nilpotent matrices: indirect influences vanish ---------------------------------------------

def test_vanishing_indirect_influences_are_not_a_stable_ranking(tmp_path) -> None:
    chain = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]  # a → b → c: M² = (a → c), M³ = 0
    result = micmac.analyse(["a", "b", "c"], _cells(chain))
    assert result.stable is False and result.period is None
    assert result.to_json()["stability"] == "vanishing"
    assert result.to_json()["vanishes_at"] == 3
    assert result.k == 2 and result.indirect.influence == (2, 0, 0)  # last non-zero power
    done = CliRunner().invoke(main, ["foresight", "micmac", _write(tmp_path, chain, "abc")])
    assert "stables à" not in done.output and "s'annulent à partir de k = 3" in done.output


# Exact ties ------------------------------------------------------------------------------------

def test_exact_ties_stay_ties() -> None:
    # b and c have the same indirect influence at every power (M² rows 6, 16, 16, 15; M³ 30,
    # 50, 50, 48; M⁴ 96, 190, 190, 150): the rankings at k = 3 and 4 are the same (dependence
    # M³ 60, 56, 20, 42 and M⁴ 228, 166, 112, 120), while M² → M³ changes the dependence
    # ranking, so k = 3. Floating rescaled powers broke the b–c tie and said k = 4.
    matrix = [[0, 0, 0, 2], [3, 0, 2, 0], [3, 2, 0, 0], [0, 3, 0, 0]]
    result = micmac.analyse(list("abcd"), _cells(matrix))
    assert result.k == 3
    assert result.stable is True and result.period is None
    assert result.indirect.influence[1] == result.indirect.influence[2]
    assert _expected(matrix) == ("stable", 3, None)


def test_the_hand_computed_matrix_is_stable_at_4() -> None:
    result = micmac.analyse(["a", "b", "c"], [["0", "1", "0"], ["0", "0", "1"], ["1", "1", "0"]])
    assert (result.k, result.stable, result.period) == (4, True, None)


def _random_matrices(count: int, seed: int = 13) -> list[list[list[int]]]:
    rng = random.Random(seed)
    out = []
    for _trial in range(count):
        n, density = rng.randint(3, 9), rng.uniform(0.1, 0.4)
        out.append([[rng.randint(1, 3) if i != j and rng.random() < density else 0
                     for j in range(n)] for i in range(n)])
    return out


def test_600_random_sparse_matrices_match_the_exact_brute_force() -> None:
    cases = [(m, micmac.analyse([f"v{i}" for i in range(len(m))], _cells(m)), _expected(m))
             for m in _random_matrices(600)]
    wrong_k = [m for m, result, (_status, k, _period) in cases if result.k != k]
    assert not wrong_k, f"{len(wrong_k)} of 600 with another k, e.g. {wrong_k[0]}"
    for matrix, result, (status, _k, period) in cases:
        assert (result.to_json()["stability"], result.period) == (status, period), matrix
        assert result.stable is (status == "stable")
    assert {status for _m, _r, (status, _k, _p) in cases} == {"stable", "periodic",
                                                               "vanishing", "unsettled"}


def test_a_matrix_without_any_influence_says_so_in_french() -> None:
    """It read « aucune chaîne de 1 influences »."""
    from workbench.foresight.micmac import analyse

    result = analyse(["a", "b", "c"], [["0"] * 3 for _ in range(3)])
    assert not result.stable
    assert result.settling.describe() == "la matrice ne contient aucune influence : pas de " \
        "classement indirect."
