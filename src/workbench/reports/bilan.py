"""The yearly participation review ("bilan de la participation"): every questionnaire and
workshop of the year, participation per commune, and the comparison with the year before.

Used by ``notebooks/reports/bilan-participation.ipynb``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workbench.documents.blocks import Cover, Table, Text
from workbench.french import french_date, french_number
from workbench.i18n import _, ngettext
from workbench.reports.data import Participation, participation, population, workshop_sessions
from workbench.reports.participation import by_commune, over_time, unknown, year_on_year

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
    return Cover(_("Review of participation"), _("Questionnaires and workshops of the year"),
                 str(data.year), french_date(last.date()) if last else _("no answer"))


def summary(data: Year) -> Text:
    forms = {p.slug for p in data.answers}
    reached = {p.commune for p in data.answers if p.commune in data.population}
    inhabitants = sum(people for _name, people in data.population.values())
    rate = round(1000 * len(data.answers) / inhabitants, 1) if inhabitants else 0.0
    answers, in_session = len(data.answers), sum(p.in_session for p in data.answers)
    collected = ngettext("In {year}, **{n} answer** was collected",
                         "In {year}, **{n} answers** were collected", answers).format(
        year=data.year, n=answers)
    through = ngettext("through **{n} questionnaire**", "through **{n} questionnaires**",
                       len(forms)).format(n=len(forms))
    workshops = ngettext("{n} of them in workshops", "{n} of them in workshops",
                         in_session).format(n=in_session)
    held = ngettext("{n} session", "{n} sessions", len(data.sessions)).format(
        n=len(data.sessions))
    communes = ngettext("Inhabitants of **{n} commune out of {total}** answered",
                        "Inhabitants of **{n} communes out of {total}** answered",
                        len(reached)).format(n=len(reached), total=len(data.population))
    per_thousand = ngettext("that is {rate} answer per 1,000 inhabitants of the territory",
                            "that is {rate} answers per 1,000 inhabitants of the territory",
                            int(rate)).format(rate=french_number(rate))
    return Text(f"{collected} {through}, {workshops} ({held}). {communes}, {per_thousand}.")


def questionnaires(data: Year) -> Table:
    by_form: dict[str, list[Participation]] = {}
    for p in data.answers:
        by_form.setdefault(p.slug, []).append(p)
    rows = [[answers[0].title, slug, len(answers), sum(a.in_session for a in answers),
             len({a.commune for a in answers if a.commune in data.population}),
             french_date(min(a.submitted_at for a in answers).date()),
             french_date(max(a.submitted_at for a in answers).date())]
            for slug, answers in sorted(by_form.items())]
    return Table(_("Questionnaires of {year}").format(year=data.year), [
        _("Questionnaire"), _("Identifier"), _("Answers"), _("Of which in workshops"),
        _("Communes reached"), _("First answer"), _("Last answer")], rows,
        sheet=_("Questionnaires"))


def sessions(data: Year) -> list:
    if not data.sessions:
        return [Text(_("No live workshop in {year}.").format(year=data.year))]
    ongoing = _("ongoing")
    rows = [[s["title"], s["slug"], s["code"], french_date(s["opened_at"]),
             french_date(s["closed_at"]) if s["closed_at"] else ongoing, s["answers"]]
            for s in data.sessions]
    return [Table(_("Workshops of {year}").format(year=data.year),
                  [_("Workshop"), _("Questionnaire"), _("Code"), _("Opened on"),
                   _("Closed on"), _("Answers")], rows, sheet=_("Workshops"))]


def communes(data: Year) -> list:
    return (over_time([p.submitted_at for p in data.answers], _("Answers in the year"))
            + by_commune((p.commune for p in data.answers), data.population,
                         _("Participation per commune in {year}").format(year=data.year)))


def comparison(data: Year) -> list:
    if not data.previous:
        return [Text(_("No answer in {year}: no comparison with the previous year.").format(
            year=data.year - 1))]
    titles = {p.slug: p.title for p in data.previous + data.answers}
    by_form = year_on_year(Counter(p.slug for p in data.answers),
                           Counter(p.slug for p in data.previous), data.year, titles,
                           _("Answers per questionnaire"), _("Questionnaire"))
    names = {code: name for code, (name, _people) in data.population.items()}

    def where(answers: list[Participation]) -> Counter:
        return Counter(p.commune if p.commune in names else "?" for p in answers)

    by_place = year_on_year(where(data.answers), where(data.previous), data.year,
                            {**names, "?": unknown()}, _("Answers per commune"),
                            _("Commune"))
    return by_form + by_place
