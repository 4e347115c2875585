"""Synthetic answers that respect a spec (types, bounds, ``show_if``), from a seeded RNG."""

from __future__ import annotations

import random
from datetime import date, timedelta

from workbench.forms.answers import is_visible
from workbench.forms.spec import DONT_KNOW, OTHER, FormSpec
from workbench.territory import Commune

__all__ = ["apportion", "synthetic_answers"]

WORDS = ("pratique", "insuffisant", "rassurant", "lent", "utile", "cher", "irrégulier",
         "indispensable", "méconnu", "améliorable", "fiable", "rural")
SENTENCES = (
    "Plus de bus le samedi, surtout vers la gare.",
    "Le transport à la demande est très utile pour mes parents, mais il faut réserver trop tôt.",
    "Des horaires mieux coordonnés avec les TER à Guingamp.",
    "Un abri à l'arrêt près de l'école serait bienvenu.",
    "L'information sur les horaires est difficile à trouver en ligne.",
    "Des navettes vers la côte l'été, pour Paimpol et les plages.",
    "Baisser le prix de l'abonnement pour les étudiants et les apprentis.",
    "Je prendrais le bus si la ligne passait dans mon bourg.",
)


def apportion(total: int, communes: tuple[Commune, ...]) -> list[str]:
    """``total`` commune codes in proportion to population (largest remainder method)."""
    population = sum(c.population for c in communes)
    quotas = [(total * c.population / population, c) for c in communes]
    counts = {c.code_insee: int(q) for q, c in quotas}
    rest = total - sum(counts.values())
    for _q, c in sorted(quotas, key=lambda qc: qc[0] - int(qc[0]), reverse=True)[:rest]:
        counts[c.code_insee] += 1
    return [code for code, n in counts.items() for _ in range(n)]


def _weighted(rng: random.Random, values: list, skew: float = 0.35):
    weights = [1 + skew * ((i * 7) % len(values)) for i in range(len(values))]
    return rng.choices(values, weights=weights)[0]


def synthetic_answers(spec: FormSpec, rng: random.Random, commune: str, day: date) -> dict:
    """One plausible response; optional questions are sometimes skipped."""
    answers: dict = {}
    for q in spec.questions:
        if not is_visible(q, answers) or (not q.required and rng.random() < 0.25):
            continue
        answers[q.id] = _answer(q, rng, commune, day)
    return answers


def _answer(q, rng: random.Random, commune: str, day: date):
    match q.type:
        case "likert":
            if q.dont_know and rng.random() < 0.06:
                return DONT_KNOW
            return rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 2.5, 3, 1.5])[0]
        case "single_choice":
            return _weighted(rng, list(q.option_labels))
        case "multiple_choice":
            values = list(q.option_labels)
            top = min(q.max_selections or len(values), len(values))
            picked = rng.sample(values, rng.randint(max(q.min_selections, 1), top))
            if q.other and rng.random() < 0.08 and len(picked) < top:
                return {"choices": [*picked, OTHER], "other": "Autopartage"}
            return {"choices": picked, "other": None}
        case "scale":
            return round(rng.triangular(0, 10, 7))
        case "number":
            low = q.min if q.min is not None else 0
            high = q.max if q.max is not None else 100
            value = rng.triangular(low, min(high, low + (high - low) / 3), low + (high - low) / 8)
            return round(value) if q.integer else round(value, 1)
        case "short_text":
            return rng.choice(WORDS)[: q.max_length]
        case "long_text":
            return rng.choice(SENTENCES)[: q.max_length]
        case "ranking":
            values = list(q.option_labels)
            return sorted(values, key=lambda v: rng.random() + 0.15 * values.index(v))
        case "points":
            return _points(rng, list(q.option_labels), q.total)
        case "commune":
            return commune
        case "date":
            latest = min(day, q.max_date) if q.max_date else day
            earliest = q.min_date or latest - timedelta(days=90)
            return (earliest + timedelta(days=rng.randint(0, (latest - earliest).days)))\
                .isoformat()
    raise ValueError(q.type)


def _points(rng: random.Random, values: list[str], total: int) -> dict[str, int]:
    step = 10 if total % 10 == 0 else 1
    shares = dict.fromkeys(values, 0)
    for _ in range(total // step):
        shares[_weighted(rng, values, 0.6)] += step
    shares[values[0]] += total - sum(shares.values())
    return shares
