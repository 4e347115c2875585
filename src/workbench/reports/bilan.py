"""The yearly participation review ("bilan de la participation"): every questionnaire and
workshop of the year, participation per commune, and the comparison with the year before.

Used by ``notebooks/reports/bilan-participation.ipynb``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workbench.reports.blocks import Cover, Table, Text
from workbench.reports.data import Participation, participation, population, workshop_sessions
from workbench.reports.formatting import french_date, french_number
from workbench.reports.participation import by_commune, over_time, year_on_year

__all__ = ["Year", "communes", "comparison", "cover", "load", "questionnaires", "sessions",
           "summary"]


@dataclass
class Year:
    year: int
    answers: list[Participation]
    previous: list[Participation]
    sessions: list[dict]
    population: dict[str, tuple[str, int]]


def load(year: int) -> Year:
    return Year(year, participation(year), participation(year - 1), workshop_sessions(year),
                population())


def cover(data: Year) -> Cover:
    last = max((p.submitted_at for p in data.answers), default=None)
    return Cover("Bilan de la participation", "Questionnaires et ateliers de l'année",
                 str(data.year), french_date(last.date()) if last else "aucune réponse")


def summary(data: Year) -> Text:
    forms = {p.slug for p in data.answers}
    reached = {p.commune for p in data.answers if p.commune in data.population}
    inhabitants = sum(people for _name, people in data.population.values())
    return Text(
        f"En {data.year}, **{len(data.answers)} réponses** ont été recueillies par "
        f"**{len(forms)} questionnaire(s)**, dont {sum(p.in_session for p in data.answers)} "
        f"en atelier ({len(data.sessions)} séance(s)). Des habitants de **{len(reached)} "
        f"communes sur {len(data.population)}** ont répondu, soit "
        f"{french_number(round(1000 * len(data.answers) / inhabitants, 1) if inhabitants else 0.0)}"
        " réponses pour 1 000 habitants du territoire.")


def questionnaires(data: Year) -> Table:
    by_form: dict[str, list[Participation]] = {}
    for p in data.answers:
        by_form.setdefault(p.slug, []).append(p)
    rows = [[answers[0].title, slug, len(answers), sum(a.in_session for a in answers),
             len({a.commune for a in answers if a.commune in data.population}),
             french_date(min(a.submitted_at for a in answers).date()),
             french_date(max(a.submitted_at for a in answers).date())]
            for slug, answers in sorted(by_form.items())]
    return Table(f"Questionnaires de {data.year}", [
        "Questionnaire", "Identifiant", "Réponses", "Dont en atelier", "Communes touchées",
        "Première réponse", "Dernière réponse"], rows, sheet="Questionnaires")


def sessions(data: Year) -> list:
    if not data.sessions:
        return [Text(f"Aucun atelier en direct en {data.year}.")]
    rows = [[s["title"], s["slug"], s["code"], french_date(s["opened_at"]),
             french_date(s["closed_at"]) if s["closed_at"] else "en cours", s["answers"]]
            for s in data.sessions]
    return [Table(f"Ateliers de {data.year}", ["Atelier", "Questionnaire", "Code",
                                                "Ouvert le", "Fermé le", "Réponses"],
                  rows, sheet="Ateliers")]


def communes(data: Year) -> list:
    return (over_time([p.submitted_at for p in data.answers], "Réponses dans l'année")
            + by_commune((p.commune for p in data.answers), data.population,
                         f"Participation par commune en {data.year}"))


def comparison(data: Year) -> list:
    if not data.previous:
        return [Text(f"Aucune réponse en {data.year - 1} : pas de comparaison avec "
                     "l'année précédente.")]
    titles = {p.slug: p.title for p in data.previous + data.answers}
    by_form = year_on_year(Counter(p.slug for p in data.answers),
                           Counter(p.slug for p in data.previous), data.year, titles,
                           "Réponses par questionnaire")
    names = {code: name for code, (name, _people) in data.population.items()}

    def where(answers: list[Participation]) -> Counter:
        return Counter(p.commune if p.commune in names else "?" for p in answers)

    by_place = year_on_year(where(data.answers), where(data.previous), data.year,
                            {**names, "?": "Non renseignée"}, "Réponses par commune")
    return by_form + by_place
