"""Time the feasible-scenario count of a large morphological space (no enumeration).

10 components × 6 configurations (60,466,176 combinations) with random exclusions between
configurations (seeded), as issue 6 asks for: the count must take under a second.

    .venv/bin/python benchmarks/morpho.py [--components 10] [--configurations 6] [--exclusions 20]
"""

from __future__ import annotations

import argparse
import json
import random
import time

from workbench.foresight.morpho import parse_morphology


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=10)
    parser.add_argument("--configurations", type=int, default=6)
    parser.add_argument("--exclusions", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(2026)
    components = {f"C{i}": [f"c{j}" for j in range(args.configurations)]
                  for i in range(args.components)}
    exclusions = []
    while len(exclusions) < args.exclusions:
        a, b = rng.sample(range(args.components), 2)
        exclusions.append([f"C{a}=c{rng.randrange(args.configurations)}",
                           f"C{b}=c{rng.randrange(args.configurations)}"])
    space = parse_morphology({"components": components, "exclusions": exclusions})
    started = time.perf_counter()
    feasible = space.feasible_count()
    elapsed = time.perf_counter() - started
    print(json.dumps({"components": args.components, "configurations": args.configurations,
                      "exclusions": args.exclusions, "raw_count": space.raw_count,
                      "feasible_count": feasible, "count_s": round(elapsed, 3)}))


if __name__ == "__main__":
    main()
