"""Time the participatory budget's counts: MES + Add1 + comparison on a large election, and the
ratio to pabutools on a mid-sized one.

1. A synthetic approval election: 100,000 voters, 150 projects (costs 20,000–400,000, a few
   popular projects and a long tail, 1–7 approvals per voter), budget 5,000,000:
   ``equalshares/add1-comparison`` as ``workbench pb results`` counts it.
2. A synthetic approval election with 6,586 voters and 40 projects: our Add1 against
   pabutools' ``method_of_equal_shares(..., voter_budget_increment=1)`` (its own completion,
   which stops early once an outcome is exhaustive, so outcomes may differ: reported).

Prints one JSON object: seconds per step, load average, this process's CPU share, commit.

    .venv/bin/python benchmarks/pb.py [--voters 100000] [--projects 150] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def synthetic(voters: int, projects: int, budget: int, seed: int):
    """An approval election with skewed popularity (seeded, synthetic)."""
    from workbench.budget.election import Election

    rng = np.random.default_rng(seed)
    popularity = rng.pareto(1.2, projects) + 0.2
    popularity /= popularity.sum()
    costs = rng.integers(20, 400, projects) * 1000
    supporters: list[list[int]] = [[] for _p in range(projects)]
    sizes = rng.integers(1, 8, voters)
    for voter in range(voters):
        for project in rng.choice(projects, size=sizes[voter], replace=False, p=popularity):
            supporters[project].append(voter)
    return Election(budget=Fraction(budget), projects=tuple(str(i) for i in range(projects)),
                    costs=tuple(Fraction(int(c)) for c in costs), voters=voters,
                    supporters=tuple(np.asarray(s, dtype=np.int64) for s in supporters),
                    points=tuple(np.ones(len(s), dtype=np.int64) for s in supporters))


def pabutools_add1(election) -> tuple[set[str], float]:
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import method_of_equal_shares

    instance = Instance(budget_limit=election.budget)
    projects = [Project(p, c) for p, c in zip(election.projects, election.costs, strict=True)]
    instance.update(projects)
    ballots: list[list] = [[] for _v in range(election.voters)]
    for p, voters in enumerate(election.supporters):
        for voter in voters:
            ballots[voter].append(projects[p])
    profile = ApprovalProfile([ApprovalBallot(b) for b in ballots], instance=instance)
    started = time.perf_counter()
    outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                     voter_budget_increment=1)
    return {p.name for p in outcome}, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=150)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from workbench.budget.rules import count

    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall_before = time.perf_counter()
    report: dict = {}

    started = time.perf_counter()
    large = synthetic(args.voters, args.projects, 5_000_000, args.seed)
    report["large_generation_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    outcome = count(large, "equalshares/add1-comparison")
    report["large_add1_comparison_s"] = round(time.perf_counter() - started, 2)
    report["large_funded"] = len(outcome.selected)
    report["large_per_voter_budget"] = (round(float(outcome.per_voter_budget), 2)
                                        if outcome.per_voter_budget else None)

    mid = synthetic(6_586, 40, 1_500_000, args.seed + 1)
    started = time.perf_counter()
    ours = count(mid, "equalshares/add1")
    report["mid_ours_add1_s"] = round(time.perf_counter() - started, 3)
    theirs, seconds = pabutools_add1(mid)
    report["mid_pabutools_add1_s"] = round(seconds, 2)
    report["mid_ratio"] = round(seconds / max(report["mid_ours_add1_s"], 1e-6), 1)
    report["mid_same_outcome"] = {mid.projects[p] for p in ours.selected} == theirs

    cpu = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter() - wall_before
    report["cpu_share_of_one_core"] = round(
        (cpu.ru_utime - cpu_before.ru_utime + cpu.ru_stime - cpu_before.ru_stime) / wall, 2)
    report["load_before"] = [round(x, 2) for x in load_before]
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    report["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                      capture_output=True, text=True, cwd=HERE).stdout.strip()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
