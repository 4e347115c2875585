"""Calibration of the weights (issue 13, points 3, 4 and 6): census categories without a
respondent merged and said, bounded raking checked against scipy (linear programming for
feasibility, a constrained minimiser for the weights), one quantile estimator checked against
numpy."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog, minimize

from workbench.evaluation import analysis
from workbench.evaluation.stats import effective_size, quantiles
from workbench.evaluation.weighting import rake

CAP, FLOOR = 5.0, 0.2
SMALL = "moins de 1 000 habitants"


# The demo evaluation, in memory ------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    """The demo framework, census (agglomeration 2017) and the 300 demo answers, as seeded."""
    from workbench.demo.synthetic import apportion, synthetic_answers
    from workbench.evaluation.census import load_census
    from workbench.evaluation.framework import framework_path, load_framework
    from workbench.forms.loader import load_spec_file
    from workbench.settings import project_home
    from workbench.territory import communes

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_CENSUS_FILE", "/nonexistent/census.csv")
        census = load_census()
    spec = load_spec_file(project_home() / "widgets" / "evaluation-transport.yaml")
    rng = random.Random(2026)
    codes = apportion(300, communes())
    rng.shuffle(codes)
    answers = []
    for code in codes:
        rng.randint(0, 25), rng.randint(0, 13 * 60)  # the seeding draws a moment first
        answers.append(synthetic_answers(spec, rng, code, date(2026, 11, 10)))
    framework = load_framework(framework_path("evaluation-transport"))
    return framework, spec, answers, census


def _respondents(demo, keep=lambda index, profile: True):
    """The demo respondents for whom ``keep(index, profile)`` holds."""
    framework, spec, answers, _census = demo
    everyone = analysis.profiles(framework, spec, answers)
    return analysis.profiles(framework, spec, [a for i, (a, p) in enumerate(
        zip(answers, everyone.profile, strict=True)) if keep(i, p)])


def _few_from_small_communes(demo, kept: int):
    """The demo respondents, but only the first ``kept`` from communes under 1,000."""
    small = [i for i, p in enumerate(_respondents(demo).profile)
             if p["taille_commune"] == SMALL][:kept]
    return _respondents(demo, lambda i, p: i in small or p["taille_commune"] != SMALL)


def _share(rows, weights, margin, categories) -> float:
    known = [(r, w) for r, w in zip(rows, weights, strict=True) if r[margin] != analysis.UNKNOWN]
    return sum(w for r, w in known if r[margin] in categories) / sum(w for _r, w in known)


# Point 3: a census category without respondent ---------------------------------------------

def test_the_reviewers_case_a_band_without_respondent_is_merged_and_said(demo) -> None:
    """Without the 30–44 band the old code reported convergence with 30–44 at 0 % (17.7 %
    of the population) and every other band inflated."""
    framework, _spec, _answers, census = demo
    respondents = _respondents(demo, lambda _i, p: p["age"] != "30-44 ans")
    result = analysis.weights(framework, respondents, census)
    age = next(d for d in framework.profile if d.census == "age")
    population = analysis.population_shares(census, age)
    assert population["30-44 ans"] == pytest.approx(0.177, abs=1e-3)
    # 15-29 (13.8 %) is the smaller neighbour of 30-44: the two are weighted together.
    assert _share(respondents.profile, result.weights, "age", {"15-29 ans"}) == pytest.approx(
        population["15-29 ans"] + population["30-44 ans"], abs=1e-8)
    for band in ("45-59 ans", "60-74 ans", "75 ans et plus"):
        assert _share(respondents.profile, result.weights, "age", {band}) == pytest.approx(
            population[band], abs=1e-8)
    assert [(m.margin, m.empty, m.neighbour, m.group) for m in result.merges] == [
        ("âge", "30-44 ans", "15-29 ans", "15-29 ans + 30-44 ans")]
    assert result.merges[0].sentence == ("âge : aucune réponse dans « 30-44 ans » ; catégorie "
                                         "regroupée avec sa voisine « 15-29 ans » pour la "
                                         "pondération.")
    assert result.converged


def test_empty_bands_join_a_neighbour_with_respondents_else_the_smaller() -> None:
    from workbench.evaluation.weighting import merge_empty

    bands = ["a", "b", "c", "d", "e"]
    shares = {"a": 0.1, "b": 0.3, "c": 0.2, "d": 0.25, "e": 0.15}
    mapping, merges = merge_empty("âge", bands, shares, {"b", "c", "d"})
    assert mapping == {"a": "a + b", "b": "a + b", "c": "c", "d": "d + e", "e": "d + e"}
    assert [(m.empty, m.neighbour) for m in merges] == [("a", "b"), ("e", "d")]
    mapping, merges = merge_empty("âge", bands, shares, {"a", "e"})  # b, c, d empty
    assert set(mapping.values()) == {"a + b + c", "d + e"}
    assert [(m.empty, m.neighbour) for m in merges] == [("b", "a"), ("c", "a + b"),
                                                        ("d", "e")]
    assert merge_empty("âge", bands, shares, set(bands)) == ({c: c for c in bands}, ())


def test_an_unordered_category_without_respondent_is_refused_in_french(demo) -> None:
    framework, spec, answers, census = demo
    census = replace(census, shares={**census.shares, "sexe": {"Femme": 0.52, "Homme": 0.48}})
    young = {"moins_de_18_ans", "18_a_29_ans"}  # "Homme" below, and left out
    sexe = framework.profile[0].model_copy(update={
        "question": "age", "census": "sexe", "label": "sexe",
        "map": {v: "Homme" if v in young else "Femme" for v in framework.profile[0].map}})
    only_women = framework.model_copy(update={"profile": [*framework.profile, sexe]})
    respondents = analysis.profiles(only_women, spec, [a for a in answers
                                                       if a.get("age") not in young])
    with pytest.raises(ValueError, match="« sexe » : aucune réponse dans « Homme »"):
        analysis.weights(only_women, respondents, census)


# Point 4: bounded calibration --------------------------------------------------------------

@pytest.mark.parametrize("kept", [8, 10, 12])
def test_weights_respect_the_cap_after_normalisation(demo, kept) -> None:
    """Few respondents from small communes: the old trim gave 5.19, 5.0000000052, 5.0000000056
    (cap applied before the rescaling to mean 1)."""
    framework, _spec, _answers, census = demo
    respondents = _few_from_small_communes(demo, kept)
    result = analysis.weights(framework, respondents, census)
    assert max(result.weights) <= CAP + 1e-9 and min(result.weights) >= FLOOR - 1e-9
    assert sum(result.weights) / len(result.weights) == pytest.approx(1.0, abs=1e-12)
    assert (result.method, result.bounds) == ("bounded raking", (FLOOR, CAP))
    assert result.design_effect == pytest.approx(len(result.weights) / result.effective_size)


def test_a_margin_out_of_reach_is_listed_and_the_weights_flagged(demo) -> None:
    """8 respondents of 249 cannot stand for 19.8 % of the population with weights ≤ 5."""
    framework, _spec, _answers, census = demo
    respondents = _few_from_small_communes(demo, 8)
    result = analysis.weights(framework, respondents, census)
    assert not result.converged and result.at_cap == 8
    gap = next(g for g in result.unmet if g.category == SMALL)
    assert (gap.margin, round(gap.target, 3)) == ("taille_commune", 0.198)
    assert gap.weighted == pytest.approx(8 * CAP / 249)  # the most the cap allows
    assert result.max_gap == pytest.approx(max(abs(g.gap) for g in result.unmet))
    assert max(result.weights) <= CAP + 1e-9


def _random_problem(seed: int):
    """Respondents on three correlated margins and targets away from the sample."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(60, 200))
    rows = []
    for _ in range(n):
        a = int(rng.choice(4, p=[0.45, 0.3, 0.15, 0.1]))
        b = int(rng.choice(3, p=[0.6, 0.3, 0.1] if a < 2 else [0.2, 0.3, 0.5]))
        c = int(rng.choice(2, p=[0.7, 0.3] if b else [0.4, 0.6]))
        rows.append({"age": f"a{a}", "taille": f"t{b}", "sexe": f"s{c}"})
    targets = {}
    for margin in ("age", "taille", "sexe"):
        seen = sorted({r[margin] for r in rows})
        sample = np.array([sum(r[margin] == k for r in rows) for k in seen]) / n
        targets[margin] = dict(zip(seen, rng.dirichlet(sample * 6 + 0.5), strict=True))
    return rows, targets


def _lp_within_bounds(rows, targets) -> bool:
    """Whether weights of mean 1 within [FLOOR, CAP] can meet every margin (HiGHS)."""
    n = len(rows)
    equalities = [[1.0 if r[m] == k else 0.0 for r in rows] for m, s in targets.items()
                  for k in s]
    totals = [n * v / sum(s.values()) for s in targets.values() for v in s.values()]
    found = linprog(np.zeros(n), A_eq=np.array(equalities), b_eq=np.array(totals),
                    bounds=[(FLOOR, CAP)] * n, method="highs")
    return found.status == 0


def _worst_gap(rows, weights, targets) -> float:
    return max(abs(sum(w for r, w in zip(rows, weights, strict=True) if r[m] == k)
                   / sum(weights) - v / sum(s.values()))
               for m, s in targets.items() for k, v in s.items())


@pytest.mark.parametrize("seed", range(40))
def test_margins_are_met_whenever_a_linear_program_finds_weights_within_bounds(seed) -> None:
    rows, targets = _random_problem(seed)
    result = rake(rows, targets, trim=CAP)
    assert min(result.weights) >= FLOOR - 1e-9 and max(result.weights) <= CAP + 1e-9
    if _lp_within_bounds(rows, targets):
        assert result.converged and result.unmet == ()
        assert _worst_gap(rows, result.weights, targets) < 1e-8
    else:
        assert not result.converged and result.unmet
        assert result.max_gap == pytest.approx(_worst_gap(rows, result.weights, targets))


def test_the_random_problems_include_both_outcomes() -> None:
    outcomes = {_lp_within_bounds(*_random_problem(seed)) for seed in range(40)}
    assert outcomes == {True, False}


def _cells(rows, targets):
    """Distinct profiles, their counts and the margin equalities on per-cell weights."""
    cells = sorted({tuple(r[m] for m in targets) for r in rows})
    counts = np.array([sum(tuple(r[m] for m in targets) == c for r in rows) for c in cells],
                      float)
    dummies = np.array([[float(c[j] == k) for j, s in enumerate(targets.values()) for k in s]
                        for c in cells])
    goals = np.array([v / sum(s.values()) for s in targets.values() for v in s.values()])
    return cells, counts, dummies, goals


@pytest.mark.parametrize("seed", range(16))
def test_bounded_raking_finds_the_closest_weights_within_bounds(seed) -> None:
    """The weights minimise the raking distance Σ w log w − w + 1 under the margins and the
    bounds: scipy's SLSQP finds no lower distance, and the optimality (KKT)
    conditions hold — multipliers λ exist with log w = x·λ where floor < w < cap,
    x·λ ≥ log cap where w = cap, x·λ ≤ log floor where w = floor (linear program)."""
    seed = next(s for s in itertools.count(seed * 1000) if _lp_within_bounds(
        *_random_problem(s)))  # a problem the bounds allow to solve
    rows, targets = _random_problem(seed)
    result = rake(rows, targets, trim=CAP)
    cells, counts, dummies, goals = _cells(rows, targets)
    by_cell = {tuple(r[m] for m in targets): w
               for r, w in zip(rows, result.weights, strict=True)}
    mine = np.array([by_cell[c] for c in cells])
    shares = (dummies * counts[:, None]).T / counts.sum()
    firsts = np.cumsum([0] + [len(t) for t in targets.values()])[1:-1]  # redundant rows
    kept = np.setdiff1d(np.arange(len(goals)), firsts)

    def distance(w: np.ndarray) -> float:
        return float((counts * (w * np.log(w) - w + 1)).sum())

    found = minimize(distance, np.ones(len(cells)), jac=lambda w: counts * np.log(w),
                     constraints=[{"type": "eq", "fun": lambda w: shares[kept] @ w - goals[kept],
                                   "jac": lambda _w: shares[kept]}],
                     bounds=[(FLOOR, CAP)] * len(cells), method="SLSQP",
                     options={"ftol": 1e-14, "maxiter": 1000})
    assert found.success, found.message
    assert np.abs(shares @ mine - goals).max() < 1e-9
    # SLSQP meets the margins to ~1e-9 only, which can buy it ~1e-9 of distance
    assert distance(mine) <= distance(found.x) + 1e-7
    at_cap, at_floor = mine >= CAP * (1 - 1e-9), mine <= FLOOR * (1 + 1e-9)
    inside = ~(at_cap | at_floor)
    slack = 1e-7
    rows_ub = np.vstack([dummies[inside], -dummies[inside], -dummies[at_cap],
                         dummies[at_floor]])
    bounds_ub = np.concatenate([np.log(mine[inside]) + slack, slack - np.log(mine[inside]),
                                np.full(at_cap.sum(), slack - math.log(CAP)),
                                np.full(at_floor.sum(), math.log(FLOOR) + slack)])
    certificate = linprog(np.zeros(dummies.shape[1]), A_ub=rows_ub, b_ub=bounds_ub,
                          bounds=[(None, None)] * dummies.shape[1], method="highs")
    assert certificate.status == 0, "no multipliers: the weights are not the optimum"


def test_bounds_that_do_not_bind_change_nothing() -> None:
    rows, targets = _random_problem(2)
    free = rake(rows, targets)
    assert free.method == "raking" and free.bounds is None
    cap = 1.01 * max(max(free.weights), 1 / min(free.weights))  # floor: 1 / cap
    bounded = rake(rows, targets, trim=cap)
    assert bounded.weights == pytest.approx(free.weights, rel=1e-9)
    assert (bounded.at_cap, bounded.at_floor) == (0, 0)


def test_the_design_effect_is_kish() -> None:
    rows, targets = _random_problem(3)
    result = rake(rows, targets, trim=CAP)
    cv2 = np.var(result.weights) / np.mean(result.weights) ** 2
    assert result.design_effect == pytest.approx(1 + cv2)
    assert result.design_effect == pytest.approx(len(rows) / effective_size(result.weights))


def test_bounds_must_surround_one() -> None:
    with pytest.raises(ValueError, match="plancher"):
        rake([{"a": "x"}, {"a": "y"}], {"a": {"x": 1, "y": 1}}, trim=5, floor=1.5)


# Point 6: one quantile estimator -----------------------------------------------------------

def test_the_reviewers_median_is_the_same_with_equal_weights() -> None:
    assert quantiles([10, 20, 30, 40]) == quantiles([10, 20, 30, 40], [1, 1, 1, 1]) == (
        15, 25, 35)


values_ = st.lists(st.integers(-50, 50), min_size=1, max_size=30)


@given(values_)
@settings(max_examples=200, deadline=None)
def test_unweighted_and_equally_weighted_quartiles_are_numpys_type_2(values) -> None:
    expected = np.quantile(values, [0.25, 0.5, 0.75], method="averaged_inverted_cdf")
    assert quantiles(values) == pytest.approx(tuple(expected), abs=1e-12)
    assert quantiles(values, [0.37] * len(values)) == pytest.approx(tuple(expected), abs=1e-9)


@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(1, 6)), min_size=1, max_size=20))
@settings(max_examples=200, deadline=None)
def test_integer_weights_are_repeated_values(pairs) -> None:
    values, weights = [v for v, _w in pairs], [w for _v, w in pairs]
    repeated = np.repeat(values, weights)
    expected = np.quantile(repeated, [0.25, 0.5, 0.75], method="averaged_inverted_cdf")
    assert quantiles(values, weights) == pytest.approx(tuple(expected), abs=1e-12)
    assert quantiles(values, weights) == quantiles(list(repeated))
    mean = sum(weights) / len(weights)
    assert quantiles(values, [w / mean for w in weights]) == pytest.approx(
        quantiles(values, weights), abs=1e-12)


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(0.05, 5)), min_size=1,
                max_size=30))
@settings(max_examples=200, deadline=None)
def test_weighted_quartiles_are_numpys_weighted_inverse_cdf_between_steps(pairs) -> None:
    values, weights = [v for v, _w in pairs], [w for _v, w in pairs]
    total = sum(weights)
    running = np.cumsum(np.array(weights)[np.argsort(values, kind="stable")])
    if any(math.isclose(r, p * total, rel_tol=1e-9) for r in running
           for p in (0.25, 0.5, 0.75)):
        return  # on a step type 2 averages; inverted_cdf does not
    expected = np.quantile(values, [0.25, 0.5, 0.75], method="inverted_cdf",
                           weights=weights)
    assert quantiles(values, weights) == pytest.approx(tuple(expected))
