"""Time the French free-text analysis (lemmas, terms, bigrams, NMF themes) on N answers.

Answers are synthetic: sentences assembled from a seeded list of suggestions about transport.

    .venv/bin/python benchmarks/free_text.py [-n 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import time

SUGGESTIONS = [
    "Plus de bus le soir et le week-end", "Les horaires ne sont pas adaptés aux lycéens",
    "Le transport à la demande est trop compliqué à réserver",
    "Des pistes cyclables sécurisées vers Guingamp", "Baisser les tarifs pour les familles",
    "Desservir les communes rurales le samedi", "Une application pour suivre les bus",
    "Plus de navettes vers la côte l'été", "Des abris aux arrêts de bus",
    "Mieux informer sur les correspondances avec le train",
]
ENDINGS = ["", "merci", "s'il vous plaît", "c'est urgent", "pour les personnes âgées",
           "pour aller travailler", "comme à Saint-Brieuc"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(2026)
    texts = [f"{rng.choice(SUGGESTIONS)} {rng.choice(ENDINGS)}".strip() for _ in range(args.n)]
    started = time.perf_counter()
    from workbench.evaluation.text import summarise

    imported = time.perf_counter()
    summary = summarise(texts)
    done = time.perf_counter()
    print(json.dumps({"answers": args.n, "import_s": round(imported - started, 2),
                      "analysis_s": round(done - imported, 2),
                      "themes": [list(t.terms[:3]) for t in summary.themes]},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
