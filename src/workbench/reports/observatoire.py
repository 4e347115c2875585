"""The council's yearly activity report ("observatoire de la participation").

Meetings and attendance, the year's participation (questionnaires, workshops, per commune),
the composition check, avis and droit de suite, and the comparison with the previous year.
Used by ``notebooks/reports/observatoire-participation.ipynb``.
"""

from __future__ import annotations

from datetime import date

from workbench.council.avis import load_ledger
from workbench.council.composition import check_composition
from workbench.council.follow_up import indicators
from workbench.council.meetings import attendance_stats
from workbench.council.members import active_members
from workbench.documents.blocks import Cover, Table, Text
from workbench.evaluation.census import load_census
from workbench.evaluation.disclosure import protect_line
from workbench.evaluation.suppression import SECRET
from workbench.french import french_date, french_number, tidy
from workbench.i18n import _, ngettext
from workbench.reports.data import record_input
from workbench.territory import commune_by_code
from workbench.workshops.results import small_cell_threshold

__all__ = ["attendance", "composition", "cover", "follow_up"]


def cover(year: int) -> Cover:
    return Cover(_("Activity report of the conseil de développement"),
                 _("Observatory of participation"), str(year),
                 french_date(min(date.today(), date(year, 12, 31))))


def _rate(value: float) -> str:
    return french_number(tidy(value))


def attendance(year: int) -> list:
    stats = attendance_stats(year)
    previous = attendance_stats(year - 1)
    record_input(f"présences:{year}", [list(r) for r in stats.by_member])
    text = ngettext("In {year}, the council's bodies met **{n} time**",
                    "In {year}, the council's bodies met **{n} times**",
                    stats.meetings).format(year=year, n=stats.meetings)
    if stats.overall is not None:
        text += _("; average attendance: **{rate} %**").format(rate=_rate(stats.overall))
    text += "." + " " + (
        ngettext("In {year}: {n} meeting, attendance {rate} %.",
                 "In {year}: {n} meetings, attendance {rate} %.", previous.meetings).format(
            year=year - 1, n=previous.meetings, rate=_rate(previous.overall))
        if previous.overall is not None else
        _("No meeting recorded in {year}.").format(year=year - 1))
    blocks: list = [Text(text)]
    if stats.by_body:
        rate = _("Attendance rate (%)")
        blocks.append(Table(_("Meetings and attendance per body"),
                            [_("Body"), _("Meetings"), rate],
                            [list(r) for r in stats.by_body], sheet=_("Bodies")))
        threshold = small_cell_threshold()
        hidden = protect_line([n for _c, n, _r in stats.by_commune], threshold)
        blocks.append(Table(_("Attendance per commune of the members"),
                            [_("Commune"), _("Members"), rate],
                            [[getattr(commune_by_code(c), "nom", c),
                              SECRET if k in hidden else n, None if k in hidden else r]
                             for k, (c, n, r) in enumerate(stats.by_commune)],
                            sheet=_("Attendance per commune"),
                            note=_("'s': statistical secret, a commune with 1 to {last} members "
                                   "or one that would let such a count be deduced from the "
                                   "total; its rate is not published either (it would point "
                                   "at a person).").format(last=threshold - 1)))
        blocks.append(Text(
            ngettext("{n} member absent from three meetings in a row: the bureau gets in "
                     "touch with them.",
                     "{n} members absent from three meetings in a row: the bureau gets in "
                     "touch with them.", len(stats.flagged)).format(n=len(stats.flagged))
            if stats.flagged else
            _("No member missed three meetings in a row.")))
    return blocks


def composition() -> list:
    members = active_members()
    rules = check_composition(members, load_census())
    record_input("membres:en fonction", [[m.sex, m.age_band, m.college, m.commune or ""]
                                    for m in members])
    rows = [[rule.name, _("respected") if rule.ok else _("to correct"), rule.verdict,
             " ".join(rule.details)] for rule in rules]
    return [Text(ngettext("The council has **{n} member** in office. Its composition is "
                          "checked against article L5211-10-1 of the CGCT.",
                          "The council has **{n} members** in office. Its composition is "
                          "checked against article L5211-10-1 of the CGCT.",
                          len(members)).format(n=len(members))),
            Table(_("Composition of the council"),
                  [_("Rule"), _("State"), _("Finding"), _("Detail")], rows,
                  sheet=_("Composition"))]


def follow_up(year: int) -> list:
    ledger = load_ledger()
    record_input("recommandations", [[e.id, e.avis, e.issued_on.isoformat(),
                                 str(e.answered_on or ""), e.status] for e in ledger])
    today = min(date.today(), date(year, 12, 31))
    current, previous = indicators(ledger, year, today), indicators(ledger, year - 1, today)

    def cell(value) -> object:
        return "—" if value is None else value

    rows = [[_("Recommendations issued"), previous.recommendations, current.recommendations],
            [_("Recommendations answered"), previous.answered, current.answered],
            [_("Share answered (%)"), cell(previous.answered_share),
             cell(current.answered_share)],
            [_("Median delay to answer (days)"), cell(previous.median_delay_days),
             cell(current.median_delay_days)],
            [_("Recommendations implemented"), previous.implemented, current.implemented],
            [_("Share implemented (%)"), cell(previous.implemented_share),
             cell(current.implemented_share)]]
    blocks: list = [Table(_("Droit de suite of the avis"),
                          [_("Indicator"), str(year - 1), str(year)], rows,
                          sheet=_("Droit de suite"))]
    if current.overdue:
        blocks.append(Table(_("Answers overdue"),
                            [_("No."), _("Avis"), _("Recommendation"), _("Addressed to"),
                             _("Due")],
                            [[e.id, e.avis, e.text, e.addressee, french_date(e.due)]
                             for e in current.overdue], sheet=_("Reminders")))
    else:
        blocks.append(Text(_("No answer is overdue.")))
    return blocks
