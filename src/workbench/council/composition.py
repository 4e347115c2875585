"""Is the council lawfully composed? (CGCT art. L5211-10-1)

Rules, each with a French verdict and its numbers: parity (|women − men| ≤ 1); age bands
against the census population aged 15 and over; communes (by size class) against population;
colleges (informative); no community councillor among the members.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workbench.council.members import AGE_BANDS, COLLEGES, Member
from workbench.evaluation.analysis import size_class, size_class_population
from workbench.evaluation.census import Census
from workbench.evaluation.representativeness import compare

__all__ = ["Rule", "check_composition"]


@dataclass(frozen=True)
class Rule:
    name: str
    ok: bool
    verdict: str
    details: tuple[str, ...] = ()


def _parity(members: list[Member]) -> Rule:
    women = sum(m.sex == "F" for m in members)
    men = sum(m.sex == "H" for m in members)
    gap = abs(women - men)
    if gap <= 1:
        return Rule("parité", True, f"Parité respectée : {women} femmes et {men} hommes "
                                    f"(écart {gap}, 1 au plus).")
    return Rule("parité", False, f"Parité non respectée : {women} femmes et {men} hommes "
                                 f"(écart {gap}, 1 au plus : il faudrait {gap - 1} "
                                 f"{'femme(s)' if women < men else 'homme(s)'} de plus ou "
                                 "autant de l'autre sexe en moins).")


def _ages(members: list[Member], census: Census) -> Rule:
    population = {k: v for k, v in census.dimension("age").items() if k in AGE_BANDS}
    tally = Counter(m.age_band for m in members)
    missing = [band for band in AGE_BANDS if not tally.get(band)]
    comparison = compare("âge", dict(tally), population, who=lambda c: f"Les {c}",
                         sample_name="membres")
    called_out = [v for v in comparison.verdict if "représentés" in v]
    details = tuple(comparison.verdict) + tuple(f"Aucun membre de la tranche {band}."
                                                for band in missing)
    ok = not called_out and not missing
    verdict = ("Les tranches d'âge reflètent la population de 15 ans et plus." if ok else
               "Les tranches d'âge ne reflètent pas la population de 15 ans et plus.")
    return Rule("âge", ok, verdict, details)


def _territory(members: list[Member]) -> Rule:
    tally = Counter(size_class(m.commune) for m in members if m.commune)
    comparison = compare("taille de commune", dict(tally), size_class_population(),
                         who=lambda c: f"Les habitants des communes de {c}",
                         sample_name="membres")
    called_out = [v for v in comparison.verdict if "représentés" in v]
    without = sum(1 for m in members if not m.commune)
    details = tuple(comparison.verdict) + ((f"{without} membre(s) sans commune renseignée.",)
                                           if without else ())
    return Rule("territoire", not called_out,
                "Les communes, par taille, sont représentées en proportion de leur population."
                if not called_out else
                "La représentation des communes, par taille, s'écarte de leur population.",
                details)


def _colleges(members: list[Member]) -> Rule:
    tally = Counter(m.college for m in members)
    return Rule("collèges", True, "Répartition par collège : " + ", ".join(
        f"{college} {tally.get(college, 0)}" for college in COLLEGES) + ".")


def _councillors(members: list[Member]) -> Rule:
    names = [m.name for m in members if m.community_councillor]
    if not names:
        return Rule("conseillers communautaires", True,
                    "Aucun conseiller communautaire n'est membre.")
    return Rule("conseillers communautaires", False,
                f"{len(names)} conseiller(s) communautaire(s) parmi les membres, ce que la loi "
                "exclut.", tuple(names))


def check_composition(members: list[Member], census: Census) -> list[Rule]:
    if not members:
        return [Rule("membres", False, "Aucun membre en fonction.")]
    return [_parity(members), _ages(members, census), _territory(members),
            _colleges(members), _councillors(members)]
