"""The results of an edition, as the results page and the report show them.

- the outcome of each rule side by side (greedy, Equal Shares with Add1, and the edition's own
  rule, which decides), each project's votes and cost;
- voters with at least one funded project, funded projects per voter (mean), per rule;
- per commune: turnout (voting codes used, from the letters' communes, or the declared roll),
  euros funded per inhabitant (a project for the whole Agglomération counts for every commune
  by population), their Gini coefficient across communes; fewer than 5 voters in a commune is
  not shown, nor what would let one compute it from the total (``protect_line``);
- the refused projects and their public reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from workbench.budget import store
from workbench.budget.analysis import funded_per_voter
from workbench.budget.rules import count
from workbench.evaluation.disclosure import protect_line
from workbench.storage import read_connection
from workbench.storage.schema import pb_edition, pb_project, pb_token, pb_voter_roll
from workbench.territory.communes import communes

__all__ = ["CommuneLine", "EditionResults", "ProjectLine", "RuleOutcome", "edition_results",
           "gini"]

SMALL = 5
COMPARED = ("greedy", "equalshares/add1")


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    funded: frozenset[str]  # project codes
    total_cost: Fraction
    voters_with_funded_pct: float
    funded_per_voter: float


@dataclass(frozen=True)
class ProjectLine:
    code: str
    title: str
    commune: str | None
    cost: Fraction
    votes: int


@dataclass(frozen=True)
class CommuneLine:
    code: str
    name: str
    population: int
    voters: int | None  # None: fewer than 5 (not shown)
    turnout_pct: float | None
    euros_per_inhabitant: float


@dataclass(frozen=True)
class EditionResults:
    title: str
    budget: Fraction
    rule: str
    ballots: int
    outcomes: dict[str, RuleOutcome]  # by rule; ``rule`` is the edition's
    projects: list[ProjectLine]  # by votes
    communes: list[CommuneLine]
    gini: float
    refused: list[tuple[str, str, str]]  # title, category, public reason

    @property
    def decided(self) -> RuleOutcome:
        return self.outcomes[self.rule]


def gini(values: list[float], weights: list[float]) -> float:
    """Gini coefficient of ``values`` (e.g. euros per inhabitant) over units of ``weights``
    (inhabitants): 0 all equal, towards 1 all in one place (the area between the Lorenz curve
    and the diagonal, twice)."""
    pairs = sorted(zip(values, weights, strict=True))
    total_weight = sum(weights)
    total = sum(v * w for v, w in pairs)
    if total_weight == 0 or total == 0:
        return 0.0
    area, share_before, cumulative = 0.0, 0.0, 0.0
    for value, weight in pairs:
        cumulative += value * weight
        share = cumulative / total
        area += (weight / total_weight) * (share_before + share) / 2
        share_before = share
    return round(1 - 2 * area, 4)


def edition_results(slug: str, engine: Engine | None = None) -> EditionResults:
    from workbench.budget.voting import mix_ballot_box

    mix_ballot_box(slug, engine)  # the first count after the close shakes the box
    election = store.election(slug, engine)
    with read_connection(engine) as conn:
        edition = conn.execute(select(pb_edition).where(pb_edition.c.slug == slug)).one()
        rows = {r.code: r for r in conn.execute(select(pb_project).where(
            pb_project.c.edition_id == edition.id))}
        source = pb_token if edition.eligibility == "token" else pb_voter_roll
        used = source.c.used_on.isnot(None) if source is pb_token else source.c.id.isnot(None)
        voters_by_commune = dict(conn.execute(
            select(source.c.commune, func.count()).where(source.c.edition_id == edition.id,
                                                         used)
            .group_by(source.c.commune)).all())
    rules = list(dict.fromkeys([*COMPARED, edition.rule]))
    outcomes = {}
    for rule in rules:
        allocation = count(election, rule)
        funded = funded_per_voter(election, allocation.selected)
        voters = max(election.voters, 1)
        outcomes[rule] = RuleOutcome(
            rule, frozenset(election.projects[p] for p in allocation.selected),
            election.cost_of(list(allocation.selected)),
            round(100 * float((funded > 0).sum()) / voters, 1),
            round(float(funded.sum()) / voters, 2))
    projects = sorted((ProjectLine(code, rows[code].title, rows[code].commune,
                                   election.costs[i], election.votes(i))
                       for i, code in enumerate(election.projects)),
                      key=lambda line: (-line.votes, line.cost))
    places = communes()
    population = sum(c.population for c in places)
    decided = outcomes[edition.rule].funded
    everywhere = sum(float(line.cost) for line in projects
                     if line.code in decided and line.commune is None) / population
    counts = [voters_by_commune.get(place.code_insee, 0) for place in places]
    # Fewer than 5 voters is secret, and so is what would let one compute it from the total.
    hidden = protect_line(counts, SMALL)
    lines = []
    for index, place in enumerate(places):
        local = sum(float(line.cost) for line in projects
                    if line.code in decided and line.commune == place.code_insee)
        voters = counts[index]
        shown = None if index in hidden else voters
        lines.append(CommuneLine(
            place.code_insee, place.nom, place.population, shown,
            None if shown is None else round(100 * voters / place.population, 1),
            round(local / place.population + everywhere, 2)))
    refused = [(r.title, r.refusal_category or "", r.refusal_text or "")
               for r in rows.values() if r.status == "non_recevable"]
    return EditionResults(
        title=edition.title, budget=Fraction(str(edition.budget)), rule=edition.rule,
        ballots=election.voters, outcomes=outcomes, projects=projects, communes=lines,
        gini=gini([c.euros_per_inhabitant for c in lines], [c.population for c in lines]),
        refused=refused)
