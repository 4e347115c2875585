"""The associations' reports: the yearly observatory of associative life and the allocation
committee's file. Used by ``notebooks/reports/observatoire-vie-associative.ipynb`` and
``comite-subventions.ipynb``.
"""

from __future__ import annotations

from datetime import date

import altair as alt
from sqlalchemy import func, select

from workbench.associations.grid import Edition, load_edition
from workbench.associations.observatory import Observatory, observatory
from workbench.associations.requests import SERVICES
from workbench.associations.scoring import Results, results
from workbench.documents.blocks import Cover, Figure, Table, Text
from workbench.french import french_date, french_number, tidy
from workbench.i18n import _, ngettext
from workbench.reports.data import record_input
from workbench.storage import read_connection
from workbench.storage.schema import association

__all__ = ["agreement", "by_commune", "by_theme", "committee_cover", "criteria", "envelopes",
           "files", "load_committee", "observatory", "observatory_cover", "over_years",
           "summary", "support"]

WIDTH = 560
SERVICE_ORDER = list(SERVICES)


def _euros(value: float | None) -> str:
    return "—" if value is None else f"{french_number(tidy(value))} €"


def observatory_cover(year: int) -> Cover:
    return Cover(_("Observatory of associative life"), _("The territory's associations"),
                 str(year), french_date(min(date.today(), date(year, 12, 31))))


def _sources() -> str:
    with read_connection() as conn:
        kinds = dict(conn.execute(select(association.c.source, func.count())
                                  .group_by(association.c.source)).all())
        imported = conn.scalar(select(func.max(association.c.imported_at)).where(
            association.c.source == "rna"))
    parts = []
    if kinds.get("rna"):
        parts.append(ngettext(
            "{n} association from the national register of associations (RNA, extract "
            "imported on {date})",
            "{n} associations from the national register of associations (RNA, extract "
            "imported on {date})", kinds["rna"]).format(
            n=french_number(kinds["rna"]), date=french_date(imported.date())))
    if kinds.get("saisie"):
        parts.append(ngettext("{n} association entered by the service",
                              "{n} associations entered by the service",
                              kinds["saisie"]).format(n=french_number(kinds["saisie"])))
    if kinds.get("synthetique"):
        parts.append(ngettext("{n} **fictitious** association (demonstration data)",
                              "{n} **fictitious** associations (demonstration data)",
                              kinds["synthetique"]).format(
            n=french_number(kinds["synthetique"])))
    return _("Sources: {sources}.").format(
        sources=" ; ".join(parts) if parts else _("no association recorded"))


def load_committee(edition: str) -> Results:
    """The committee's results, read once for the whole report."""
    return results(load_edition(edition))


def summary(found: Observatory, before: Observatory) -> list:
    """The year in a paragraph; ``before`` is the previous year's observatory."""
    year = found.year
    record_input(f"associations:{year}", [[n, c, r] for n, _p, c, r in found.by_commune])
    created, dissolved = dict((y, (c, d)) for y, c, d in found.by_year).get(year, (0, 0))
    active = ngettext(
        "On 31 December {year}, the territory has **{n} active association**, that is "
        "**{rate} per 1,000 inhabitants** ({before} at the end of {previous}).",
        "On 31 December {year}, the territory has **{n} active associations**, that is "
        "**{rate} per 1,000 inhabitants** ({before} at the end of {previous}).",
        found.active).format(year=year, n=french_number(found.active),
                             rate=french_number(found.per_1000),
                             before=french_number(before.active), previous=year - 1)
    movements = _("{created} and {dissolved} in the year.").format(
        created=ngettext("{n} association was created", "{n} associations were created",
                         created).format(n=french_number(created)),
        dissolved=ngettext("{n} was dissolved", "{n} were dissolved",
                           dissolved).format(n=french_number(dissolved)))
    supported = ngettext("The agglomeration supported **{n} association** in {year} for "
                         "{voted}.",
                         "The agglomeration supported **{n} associations** in {year} for "
                         "{voted}.", found.supported).format(
        n=french_number(found.supported), year=year, voted=_euros(found.voted))
    return [Text(f"{active} {movements} {supported}\n\n{_sources()}")]


def _bars(pairs: list[tuple[str, float]], measure: str, color: str, label_width: int):
    """Horizontal bars, the largest first."""
    return alt.Chart(alt.Data(values=[{"label": k, "value": v} for k, v in pairs])).mark_bar(
        color=color).encode(
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=label_width)),
        x=alt.X("value:Q", title=measure),
    ).properties(width=WIDTH - label_width, height=alt.Step(15))


def by_commune(found: Observatory) -> list:
    rows = [[name, people, count, rate] for name, people, count, rate in found.by_commune]
    chart = _bars([(n, r) for n, _p, _c, r in rows], _("associations per 1,000 inhabitants"),
                  "#005f73", 220)
    return [Table(_("Active associations per commune"),
                  [_("Commune"), _("Municipal population"), _("Associations"),
                   _("Per 1,000 inhabitants")], rows, sheet=_("Per commune"),
                  note=_("Registered office of the association; INSEE municipal "
                         "population.")),
            Figure(_("Associations per 1,000 inhabitants, per commune"), chart)]


def by_theme(found: Observatory) -> list:
    rows = [[theme, count, helped, round(100 * helped / count, 1) if count else None]
            for theme, count, helped in found.by_theme]
    chart = _bars([(t, n) for t, n, _h, _s in rows], _("active associations"), "#0a9396", 300)
    return [Table(_("Associations per theme (WALDEC nomenclature)"),
                  [_("Theme"), _("Active associations"), _("Supported in the year"),
                   _("Share supported (%)")], rows, sheet=_("Per theme")),
            Figure(_("Active associations per theme"), chart)]


def over_years(found: Observatory) -> list:
    rows = [list(r) for r in found.by_year]
    values = [{"year": str(y), "kind": kind, "n": n} for y, c, d in rows
              for kind, n in ((_("creations"), c), (_("dissolutions"), d))]
    chart = alt.Chart(alt.Data(values=values)).mark_line(point=True).encode(
        x=alt.X("year:O", title=None), y=alt.Y("n:Q", title=_("associations")),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(range=["#005f73", "#ae2012"])),
    ).properties(width=WIDTH, height=200)
    return [Table(_("Creations and dissolutions per year"),
                  [_("Year"), _("Creations"), _("Dissolutions")], rows, sheet=_("Creations")),
            Figure(_("Creations and dissolutions over the last ten years"), chart),
            Table(_("Age of the active associations"), [_("Age"), _("Associations")],
                  [list(r) for r in found.by_age], sheet=_("Age"))]


def support(found: Observatory) -> list:
    rows = [[s, n, g, _euros(req), _euros(v)] for s, n, g, req, v in found.by_service]
    if not rows:
        return [Text(_("No subsidy request recorded for {year}.").format(year=found.year))]
    return [Table(_("Subsidy requests and subsidies voted per service"),
                  [_("Service"), _("Requests"), _("Subsidies voted"), _("Amount requested"),
                   _("Amount voted")], rows, sheet=_("Per service"))]


def committee_cover(committee: Results) -> Cover:
    found = committee.edition
    return Cover(found.title, _("File of the allocation committee"), str(found.year),
                 french_date(date.today()))


def _labels(edition: Edition) -> dict[str, str]:
    return {c.id: c.label for c in [*edition.criteria, *(
        c for items in edition.service_criteria.values() for c in items)]}


def criteria(committee: Results) -> list:
    found = committee.edition
    scale = found.scale
    everyone = _("all")
    rows = [[c.label, everyone, french_number(tidy(c.weight)), c.help] for c in found.criteria]
    rows += [[c.label, service, french_number(tidy(c.weight)), c.help]
             for service, items in found.service_criteria.items() for c in items]
    labels = " ; ".join(f"{v} : {label}" for v, label in sorted(scale.labels.items()))
    rule = found.allocation
    explained = (
        _("each file reaching the threshold is offered the amount requested multiplied by its "
          "mean score over the maximum; if the envelope cannot cover these amounts, all are "
          "reduced in the same proportion") if rule.rule == "part-de-la-demande" else
        _("the envelope is shared in proportion to the scores, each file capped at the amount "
          "requested, what a cap frees being shared again"))
    return [Text(_(
        "Each assessor scores the files of their services from {low} to {high} ({labels}), "
        "criterion by criterion; a file's score is the weighted mean of the criteria, then the "
        "mean of the assessors. **Proposal rule**: {rule}. Threshold: {threshold}; rounded "
        "down to {rounding} €. The service adjusts the proposals before the vote.").format(
        low=scale.min, high=scale.max, labels=labels, rule=explained,
        threshold=french_number(tidy(rule.threshold)), rounding=rule.rounding)),
            Table(_("Criteria grid"), [_("Criterion"), _("Services"), _("Weight"), _("Help")],
                  rows, sheet=_("Criteria"))]


def envelopes(found: Results) -> list:
    record_input(f"commission:{found.edition.slug}", [[r.reference, r.score, r.proposed, r.voted]
                                           for r in found.requests])
    rows = [[s, *(_euros(v) for v in t)] for s, t in found.totals.items()]
    values = [{"service": s, "kind": kind, "amount": amount}
              for s, (envelope, _p, adjusted, voted) in found.totals.items()
              for kind, amount in ((_("envelope"), envelope), (_("proposed"), adjusted),
                                   (_("voted"), voted))]
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("service:N", title=None, sort=SERVICE_ORDER),
        yOffset=alt.YOffset("kind:N"),
        x=alt.X("amount:Q", title=_("euros"), axis=alt.Axis(
            labelExpr="replace(format(datum.value, ',.0f'), /,/g, '\u202f')")),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(range=["#94d2bd", "#005f73", "#ae2012"])),
    ).properties(width=WIDTH - 160, height=alt.Step(10))
    return [Table(_("Envelopes per service"),
                  [_("Service"), _("Envelope"), _("Proposed by the rule"),
                   _("Proposed after adjustment"), _("Voted")], rows, sheet=_("Envelopes")),
            Figure(_("Envelopes, proposals and votes per service"), chart)]


def _level(alpha: float | None) -> str:
    if alpha is None:
        return "—"
    return _("good") if alpha >= 0.8 else _("acceptable") if alpha >= 0.667 else _("weak")


def agreement(found: Results) -> list:
    labels = _labels(found.edition)
    rows = [[labels.get(c, c), None if a is None else round(a, 2), _level(a)]
            for c, a in found.alpha.items()]
    flagged = [r for r in found.requests if r.flagged]
    gap = found.edition.disagreement
    text = (" ".join([
        ngettext("**{n} file** shows a strong disagreement between assessors",
                 "**{n} files** show a strong disagreement between assessors",
                 len(flagged)).format(n=len(flagged)),
        ngettext("(a gap of at least {gap} point):", "(a gap of at least {gap} points):",
                 int(gap)).format(gap=french_number(tidy(gap))),
        ", ".join(f"{r.reference} ({r.association})" for r in flagged) + ".",
        ngettext("It is to be discussed in the meeting.",
                 "They are to be discussed in the meeting.", len(flagged))])
            if flagged else _("No file shows a strong disagreement between assessors."))
    return [Table(_("Agreement between assessors per criterion (Krippendorff's alpha, "
                    "ordinal)"), [_("Criterion"), _("Alpha"), _("Agreement")], rows,
                  sheet=_("Agreement"),
                  note=_("1: full agreement; 0: no better than chance. Usual thresholds: 0.8 "
                         "(good), 0.667 (acceptable for cautious conclusions).")),
            Text(text)]


def files(found: Results) -> list:
    yes = _("yes")
    rows = [[r.reference, r.association, r.service, r.title, r.score, r.spread,
             yes if r.flagged else "", r.requested, r.proposed, r.adjusted, r.voted]
            for r in found.requests]
    return [Table(_("Files examined"),
                  [_("Reference"), _("Association"), _("Service"), _("Object"),
                   _("Mean score"), _("Gap between assessors"), _("Strong disagreement"),
                   _("Requested (€)"), _("Rule (€)"), _("Proposed (€)"), _("Voted (€)")],
                  rows, sheet=_("Files"))]
