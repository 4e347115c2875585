"""The observatory of associative life, for a year: associations per 1,000 inhabitants by
commune, by theme, creations and dissolutions per year, age of associations, and those the
agglomeration supported (a subsidy voted that year) against the others."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from workbench.associations.nomenclature import theme_of
from workbench.i18n import _
from workbench.storage import read_connection
from workbench.storage.schema import association, subsidy_request
from workbench.territory import communes

__all__ = ["Observatory", "age_bands", "observatory"]

def age_bands() -> tuple[tuple[int, int, str], ...]:
    """Age bands of associations: (from, to excluded, French label)."""
    return ((0, 5, _("under 5 years")), (5, 10, _("5 to 9 years")),
            (10, 20, _("10 to 19 years")), (20, 50, _("20 to 49 years")),
            (50, 10_000, _("50 years and more")))
VOTED = ("votée", "notifiée", "versée", "bilan reçu")


@dataclass(frozen=True)
class Observatory:
    year: int
    active: int
    per_1000: float
    by_commune: list[tuple[str, int, int, float]]  # commune, population, associations, ‰
    by_theme: list[tuple[str, int, int]]  # theme, associations, supported
    by_year: list[tuple[int, int, int]]  # year, creations, dissolutions
    by_age: list[tuple[str, int]]
    supported: int
    voted: float
    by_service: list[tuple[str, int, int, float, float]]  # service, requests, granted,
    #                                                       requested €, voted €


def _active(row, end: date) -> bool:
    if row.position == "S" or (row.created_on and row.created_on > end):
        return False
    if row.dissolved_on:
        return row.dissolved_on > end
    return row.position != "D"


def observatory(year: int, engine=None) -> Observatory:
    end = date(year, 12, 31)
    with read_connection(engine) as conn:
        rows = conn.execute(select(association.c.id, association.c.commune,
                                   association.c.waldec, association.c.created_on,
                                   association.c.dissolved_on, association.c.position)).all()
        requests = conn.execute(select(subsidy_request.c.association_id,
                                       subsidy_request.c.service, subsidy_request.c.status,
                                       subsidy_request.c.amount_requested,
                                       subsidy_request.c.amount_voted)
                                .where(subsidy_request.c.year == year)).all()
    active = [r for r in rows if _active(r, end)]
    granted = [q for q in requests if q.status in VOTED and (q.amount_voted or 0) > 0]
    supported = {q.association_id for q in granted}
    places = Counter(r.commune for r in active)
    population = sum(c.population for c in communes())
    by_commune = [(c.nom, c.population, places[c.code_insee],
                   round(1000 * places[c.code_insee] / c.population, 1)) for c in communes()]
    themes = Counter(theme_of(r.waldec).label for r in active)
    helped = Counter(theme_of(r.waldec).label for r in active if r.id in supported)
    by_theme = sorted(((t, n, helped[t]) for t, n in themes.items()), key=lambda x: -x[1])
    created = Counter(r.created_on.year for r in rows if r.created_on)
    dissolved = Counter(r.dissolved_on.year for r in rows if r.dissolved_on)
    by_year = [(y, created[y], dissolved[y]) for y in range(year - 9, year + 1)]
    ages = Counter()
    bands = age_bands()
    for r in active:
        if r.created_on:
            age = year - r.created_on.year
            ages[next(label for low, high, label in bands if low <= age < high)] += 1
    services = sorted({q.service for q in requests})
    by_service = [(s, sum(q.service == s for q in requests),
                   sum(q.service == s for q in granted),
                   sum(q.amount_requested for q in requests if q.service == s),
                   sum(q.amount_voted for q in granted if q.service == s)) for s in services]
    return Observatory(year, len(active), round(1000 * len(active) / population, 1),
                       by_commune, by_theme, by_year,
                       [(label, ages[label]) for _l, _h, label in bands],
                       len(supported & {r.id for r in active}),
                       sum(q.amount_voted for q in granted), by_service)
