"""The participatory budget's yearly report (``notebooks/reports/budget-participatif.ipynb``):
the edition whose vote closed in the year, its outcome and the rules side by side, who took
part where, where the money goes (euros per inhabitant, Lorenz curve and Gini across
communes), and the projects not received with their reasons."""

from __future__ import annotations

from datetime import date

import altair as alt
from sqlalchemy import func, select

from workbench.budget.results import EditionResults, edition_results
from workbench.budget.results_view import rule_name
from workbench.documents.blocks import Cover, Figure, Table, Text
from workbench.french import french_date, french_number
from workbench.i18n import _, ngettext
from workbench.reports.data import record_input
from workbench.storage import read_connection
from workbench.storage.schema import pb_edition
from workbench.territory.communes import commune_by_code

__all__ = ["communes", "cover", "edition_of", "load", "lorenz", "outcome", "refused", "rules"]

WIDTH = 560


def _euros(value) -> str:
    return f"{french_number(round(float(value)))} €"


def edition_of(year: int) -> str | None:
    """The edition whose vote closed in ``year``, before today (the latest if several)."""
    from workbench.territory.clock import local_today

    with read_connection() as conn:
        return conn.scalar(select(pb_edition.c.slug).where(
            func.extract("year", pb_edition.c.vote_close) == year,
            pb_edition.c.vote_close < local_today())
            .order_by(pb_edition.c.vote_close.desc()).limit(1))


def load(year: int) -> EditionResults | None:
    slug = edition_of(year)
    if slug is None:
        return None
    results = edition_results(slug)
    record_input(f"budget:{slug}", [[p.code, str(p.cost), p.votes] for p in results.projects])
    return results


def cover(year: int, results: EditionResults | None) -> Cover:
    return Cover(_("Participatory budget"), results.title if results else _("No edition"),
                 str(year), french_date(min(date.today(), date(year, 12, 31))))


def outcome(year: int, results: EditionResults | None) -> list:
    if results is None:
        return [Text(_("No participatory budget vote closed in {year}.").format(year=year))]
    decided = results.decided
    text = _("**{ballots}** counted. The edition's rule, {rule}, {funds} for {cost} out of "
             "{budget}: {pct} % of voters see at least one of the projects they chose funded, "
             "{per_voter}.").format(
        ballots=ngettext("{n} ballot", "{n} ballots", results.ballots).format(
            n=french_number(results.ballots)),
        rule=rule_name(results.rule),
        funds=ngettext("funds **{n} project**", "funds **{n} projects**",
                       len(decided.funded)).format(n=len(decided.funded)),
        cost=_euros(decided.total_cost), budget=_euros(results.budget),
        pct=french_number(decided.voters_with_funded_pct),
        per_voter=ngettext("{per} funded project per voter on average",
                           "{per} funded projects per voter on average",
                           int(decided.funded_per_voter)).format(
            per=french_number(decided.funded_per_voter)))
    if any(c.voters is None for c in results.communes):
        text += "\n\n" + _("s: statistical secret. No number of 1 to 4 voters is published, "
                           "nor one that would let it be computed from the total.")
    return [Text(text)]


def rules(results: EditionResults | None) -> list:
    if results is None:
        return []
    names = list(results.outcomes)
    rows = []
    for line in results.projects:
        place = commune_by_code(line.commune) if line.commune else None
        rows.append([line.title, place.nom if place else _("whole Agglomération"),
                     float(line.cost), line.votes,
                     *[_("funded") if line.code in results.outcomes[r].funded else ""
                       for r in names]])
    summary = [[rule_name(r), float(o.total_cost), o.voters_with_funded_pct,
                o.funded_per_voter] for r, o in results.outcomes.items()]
    return [
        Table(_("Projects and the rules side by side"),
              [_("Project"), _("Commune"), _("Cost (€)"), _("Votes"),
               *[rule_name(r) for r in names]], rows, sheet=_("Projects")),
        Table(_("What each rule gives the voters"),
              [_("Rule"), _("Funded (€)"), _("Voters with a funded project (%)"),
               _("Funded projects per voter")], summary, sheet=_("Rules"),
              decimals=[None, 0, 1, 2])]


def communes(results: EditionResults | None) -> list:
    if results is None:
        return []
    rows = [[c.name, c.population, "s" if c.voters is None else c.voters,
             "s" if c.turnout_pct is None else c.turnout_pct, c.euros_per_inhabitant]
            for c in results.communes]
    return [Table(_("Per commune"), [_("Commune"), _("Population"), _("Voters"),
                                     _("Turnout (%)"), _("Euros per inhabitant")], rows,
                  sheet=_("Communes"), decimals=[None, 0, 0, 1, 2])]


def lorenz(results: EditionResults | None) -> list:
    """The Lorenz curve of euros per inhabitant across communes, with its Gini coefficient."""
    if results is None:
        return []
    lines = sorted(results.communes, key=lambda c: c.euros_per_inhabitant)
    people = sum(c.population for c in lines)
    money = sum(c.euros_per_inhabitant * c.population for c in lines) or 1
    points, cum_people, cum_money = [{"p": 0.0, "m": 0.0}], 0, 0.0
    for line in lines:
        cum_people += line.population
        cum_money += line.euros_per_inhabitant * line.population
        points.append({"p": round(100 * cum_people / people, 2),
                       "m": round(100 * cum_money / money, 2)})
    x = alt.X("p:Q", title=_("Share of inhabitants, communes from least to most funded (%)"))
    y = alt.Y("m:Q", title=_("Share of the euros funded (%)"))
    curve = alt.Chart(alt.Data(values=points)).mark_line(point=True).encode(x=x, y=y)
    equality = alt.Chart(alt.Data(values=[{"p": 0, "m": 0}, {"p": 100, "m": 100}])).mark_line(
        strokeDash=[4, 4], color="#888").encode(x=x, y=y)
    return [Figure(_("Where the money goes: Lorenz curve across communes (Gini {gini})")
                   .format(gini=french_number(results.gini)),
                   (equality + curve).properties(width=WIDTH, height=WIDTH * 0.7),
                   note=_("A project for the whole Agglomération counts for every commune "
                          "by its population. The dashed line is an equal share per "
                          "inhabitant."))]


def refused(results: EditionResults | None) -> list:
    if results is None or not results.refused:
        return []
    from workbench.budget.review import reason_label

    return [Table(_("Projects not received, and why"), [_("Project"), _("Reason"),
                                                         _("Public text")],
                  [[title, reason_label(category), text]
                   for title, category, text in results.refused], sheet=_("Not received"))]
