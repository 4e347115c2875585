"""Counting rules of the participatory budget against real elections, pabutools, and exact
arithmetic."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from workbench.budget import pabulib
from workbench.budget.election import Election, from_pabulib
from workbench.budget.rules import count, equal_shares, greedy
from workbench.budget.rules.equal_shares import _Count, fixed_budget

PABULIB = Path(__file__).parent / "fixtures" / "pabulib"


def official(name: str) -> tuple[Election, set[str]]:
    pb = pabulib.read(PABULIB / name)
    return from_pabulib(pb), {p for p, f in pb.projects.items() if f.get("selected") == "1"}


@pytest.mark.parametrize(("name", "cost"), [
    ("Poland_Swiecie_2023.pb", 1_040_337),        # equalshares/add1
    ("Netherlands_Assen_2024.pb", 76_700),        # equalshares/add1, many ties
    ("Poland_Czestochowa_2024_Mirow.pb", 270_079),  # greedy, cumulative ballots
])
def test_the_official_winners_are_reproduced_with_the_files_rule(name: str, cost: int) -> None:
    election, winners = official(name)
    outcome = count(election, election.rule)
    assert {election.projects[p] for p in outcome.selected} == winners
    assert election.cost_of(list(outcome.selected)) == cost


def election_of(budget: int, costs: list[int], ballots: list[list[int]],
                points: list[list[int]] | None = None) -> Election:
    supporters = [[] for _c in costs]
    weights = [[] for _c in costs]
    for voter, ballot in enumerate(ballots):
        for i, project in enumerate(ballot):
            supporters[project].append(voter)
            weights[project].append(points[voter][i] if points else 1)
    return Election(budget=Fraction(budget), projects=tuple(f"p{i}" for i in range(len(costs))),
                    costs=tuple(Fraction(c) for c in costs), voters=len(ballots),
                    supporters=tuple(np.asarray(s, dtype=np.int64) for s in supporters),
                    points=tuple(np.asarray(w, dtype=np.int64) for w in weights),
                    vote_type="cumulative" if points else "approval")


def random_election(rng: random.Random, ties: bool = False) -> Election:
    projects = rng.randint(2, 8)
    voters = rng.randint(3, 25)
    costs = ([rng.choice([10, 20, 30]) for _p in range(projects)] if ties
             else rng.sample(range(10, 400), projects))
    ballots = [rng.sample(range(projects), rng.randint(1, projects)) for _v in range(voters)]
    return election_of(rng.randint(20, sum(costs)), costs, ballots)


def test_equal_shares_agrees_with_pabutools_on_200_random_elections() -> None:
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import method_of_equal_shares
    from pabutools.tiebreaking import min_cost_tie_breaking

    rng = random.Random(16)
    for _ in range(200):
        election = random_election(rng)
        instance = Instance(budget_limit=election.budget)
        projects = [Project(name, cost) for name, cost in zip(election.projects,
                                                              election.costs, strict=True)]
        instance.update(projects)
        ballots = [[] for _v in range(election.voters)]
        for p, voters in enumerate(election.supporters):
            for voter in voters:
                ballots[voter].append(projects[p])
        profile = ApprovalProfile([ApprovalBallot(b) for b in ballots], instance=instance)
        theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                        tie_breaking=min_cost_tie_breaking)
        ours = equal_shares(election)
        assert {election.projects[p] for p in ours.selected} == {p.name for p in theirs}


def test_floats_and_exact_fractions_give_the_same_outcome_with_many_ties() -> None:
    rng = random.Random(5)
    for _ in range(300):
        election = random_election(rng, ties=True)
        each = election.budget / election.voters
        exact = _Count(election, each, exact=True).run()
        assert fixed_budget(election, each)[0] == exact


def test_a_near_exact_affordability_is_decided_in_fractions() -> None:
    # Ten voters with 3/10 each (0.3 is not a float): together exactly the cost, 3.
    election = election_of(3, [3, 5], [[0, 1]] * 10)
    winners, exact = fixed_budget(election, Fraction(3, 10))
    assert winners == [0] and exact


def test_ties_go_to_the_lower_cost_then_more_votes() -> None:
    # p0 and p1 have two supporters each who can pay for both: tie → cheaper p1 first.
    election = election_of(100, [40, 30, 30], [[0, 1], [0, 1], [2]])
    assert list(equal_shares(election).selected)[:1] == [1]
    assert list(greedy(election).selected) == [1, 0, 2]


def test_cumulative_equal_shares_with_one_point_each_is_approval() -> None:
    rng = random.Random(9)
    for _ in range(50):
        approval = random_election(rng)
        ballots = [[] for _v in range(approval.voters)]
        for p, voters in enumerate(approval.supporters):
            for voter in voters:
                ballots[voter].append(p)
        cumulative = election_of(int(approval.budget), [int(c) for c in approval.costs],
                                 ballots, [[1] * len(b) for b in ballots])
        assert equal_shares(cumulative).selected == equal_shares(approval).selected


def test_a_voter_with_more_points_pays_more() -> None:
    # Voter 0 gives 3 points, voter 1 one point: with 20 each, ρ = 40 / 4 = 10 → 30 > 20,
    # so voter 0 pays all 20 and voter 1 the remaining 20 (ρ·1 = 20 ≤ 20).
    election = election_of(40, [40], [[0], [0]], [[3], [1]])
    assert equal_shares(election).selected == (0,)


def test_the_comparison_step_keeps_equal_shares_unless_more_prefer_greedy() -> None:
    election, _winners = official("Poland_Czestochowa_2024_Mirow.pb")
    mes = count(election, "equalshares/add1")
    compared = count(election, "equalshares/add1-comparison")
    assert compared.selected != mes.selected  # on this file greedy wins the comparison
    assert set(compared.selected) == set(greedy(election).selected)
