"""Participation tables and charts shared by the reports: by commune, over time, year on year.

Counts of 1 to ``WORKBENCH_SMALL_CELL`` − 1 people (default 5) are secret ("s"), and so are
the counts that would let them be deduced from the published total
(``workbench.evaluation.disclosure.protect_line``); the rates and changes of secret counts
are withheld.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

import altair as alt

from workbench.documents.blocks import Figure, Table
from workbench.evaluation.suppression import SECRET
from workbench.french import french_date, french_month, french_number
from workbench.i18n import _, ngettext
from workbench.workshops.protected import protected_result, secret_line
from workbench.workshops.results import small_cell_threshold

__all__ = ["answers_count", "by_commune", "over_time", "protected_result", "unknown",
           "year_on_year"]

WIDTH = 520


def answers_count(n: int) -> str:
    """``n`` answers as a sentence: "1 réponse.", "12 réponses."."""
    return ngettext("{n} answer", "{n} answers", n).format(n=french_number(n)) + "."


def unknown() -> str:
    """The label of answers with no (or an outside) commune."""
    return _("Not given")


def by_commune(communes: Iterable[str | None], population: dict[str, tuple[str, int]],
               title: str) -> list:
    """Answers and answers per 1,000 inhabitants for every commune of the territory."""
    threshold = small_cell_threshold()
    tally = Counter(communes)
    outside = sum(n for code, n in tally.items() if code not in population)
    counts = [tally.get(code, 0) for code in population] + [outside]
    shown = secret_line(counts, threshold)
    rows, chart_rows = [], []
    for (code, (name, people)), count, label in zip(population.items(), counts, shown,
                                                    strict=False):  # territory's order
        rate = round(1000 * count / people, 2) if people and label != SECRET else None
        rows.append([name, code, people, label, rate])
        if rate is not None and count:
            chart_rows.append({"commune": name, "rate": rate})
    if outside:
        rows.append([unknown(), "", None, shown[-1], None])
    table = Table(title, [_("Commune"), _("INSEE code"), _("Municipal population"),
                          _("Answers"), _("Answers per 1,000 inhabitants")], rows,
                  sheet=_("Per commune"),
                  note=_("'s': statistical secret, a count of 1 to {last} answers or one that "
                         "would let such a count be deduced from the total; no count from 1 "
                         "to {last} can be deduced from this table. INSEE municipal "
                         "population.").format(last=threshold - 1))
    blocks: list = [table]
    if chart_rows:
        chart = alt.Chart(alt.Data(values=chart_rows)).mark_bar(color="#005f73").encode(
            y=alt.Y("commune:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("rate:Q", title=_("answers per 1,000 inhabitants")),
        ).properties(width=WIDTH - 220, height=alt.Step(16))
        blocks.append(Figure(_("Participation rate per commune (per 1,000 inhabitants)"),
                             chart, note=_("Communes whose number of answers is published."),
                             alt=_("Horizontal bar chart: answers per 1,000 inhabitants in "
                                   "each commune whose count is published, highest first.")))
    return blocks


def over_time(moments: list[datetime], title: str) -> list:
    """Answers per day (a month or less) or per month, labelled in French in time order."""
    if not moments:
        return []
    span = (max(moments) - min(moments)).days
    daily = span <= 31
    keys = Counter(m.date() if daily else m.date().replace(day=1) for m in moments)
    unit = _("Day") if daily else _("Month")
    label = french_date if daily else french_month
    rows = [[label(key), n] for key, n in sorted(keys.items())]
    chart = alt.Chart(alt.Data(values=[{"period": k, "count": n} for k, n in rows])).mark_bar(
        color="#0a9396").encode(
        x=alt.X("period:O", title=unit.lower(), sort=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("count:Q", title=_("answers"))).properties(width=WIDTH, height=200)
    described = (_("Bar chart: number of answers per day, in date order.") if daily else
                 _("Bar chart: number of answers per month, in date order."))
    return [Table(title, [unit, _("Answers")], rows, sheet=_("Over time")),
            Figure(title, chart, alt=described)]


def year_on_year(current: Counter, previous: Counter, year: int, labels: dict[str, str],
                 what: str, column: str) -> list:
    """The year's counts beside the previous year's, with the change, table and chart."""
    threshold = small_cell_threshold()
    rows, chart_rows = [], []
    keys = sorted(set(current) | set(previous), key=lambda k: labels.get(k, k))
    befores = secret_line([previous.get(key, 0) for key in keys], threshold)
    nows = secret_line([current.get(key, 0) for key in keys], threshold)
    for key, shown_before, shown_now in zip(keys, befores, nows, strict=True):
        now, before = current.get(key, 0), previous.get(key, 0)
        change = (round(100 * (now - before) / before, 1)
                  if before and SECRET not in (shown_before, shown_now) else None)
        rows.append([labels.get(key, key), shown_before, shown_now, change])
        for y, n, label in ((year - 1, before, shown_before), (year, now, shown_now)):
            if label != SECRET and n:
                chart_rows.append({"label": labels.get(key, key), "year": str(y), "count": n})
    rows.append([_("Total"), sum(previous.values()), sum(current.values()),
                 round(100 * (sum(current.values()) - sum(previous.values()))
                       / sum(previous.values()), 1) if sum(previous.values()) else None])
    years = {"what": what, "before": year - 1, "year": year}
    table = Table(_("{what}: {before} and {year}").format(**years),
                  [column, str(year - 1), str(year), _("Change (%)")], rows,
                  sheet=_("Change {before}-{year}").format(**years),
                  note=_("'s': statistical secret (a count of 1 to {last}, or one that would "
                         "let it be deduced from the total). Change computed only when both "
                         "counts are published.").format(last=threshold - 1))
    chart = alt.Chart(alt.Data(values=chart_rows)).mark_bar().encode(
        y=alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=220)),
        yOffset="year:N",
        x=alt.X("count:Q", title=_("answers")),
        color=alt.Color("year:N", title=_("Year"),
                        scale=alt.Scale(range=["#94d2bd", "#005f73"])),
    ).properties(width=WIDTH - 220, height=alt.Step(12))
    return [table, Figure(_("{what}: comparison {before} / {year}").format(**years), chart,
                          alt=_("Horizontal bar chart: {what}, the bars of {before} and "
                                "{year} side by side.").format(**years))]
