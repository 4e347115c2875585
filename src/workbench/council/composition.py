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
from workbench.i18n import _, ngettext

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
    counts = {"women": ngettext("{n} woman", "{n} women", women).format(n=women),
              "men": ngettext("{n} man", "{n} men", men).format(n=men), "gap": gap}
    if gap <= 1:
        return Rule(_("parity"), True, _("Parity respected: {women} and {men} (gap {gap}, 1 at "
                                         "most).").format(**counts))
    more = gap - 1
    missing = (ngettext("{n} more woman", "{n} more women", more) if women < men else
               ngettext("{n} more man", "{n} more men", more)).format(n=more)
    return Rule(_("parity"), False, _("Parity not respected: {women} and {men} (gap {gap}, 1 at "
                                      "most: it takes {missing}, or as many fewer of the other "
                                      "sex).").format(**counts, missing=missing))


def _ages(members: list[Member], census: Census) -> Rule:
    population = {k: v for k, v in census.dimension("age").items() if k in AGE_BANDS}
    tally = Counter(m.age_band for m in members)
    missing = [band for band in AGE_BANDS if not tally.get(band)]
    comparison = compare(_("age"), dict(tally), population,
                         who=lambda c: _("The {band}").format(band=c), sample_name=_("members"))
    details = tuple(comparison.verdict) + tuple(
        _("No member in the {band} band.").format(band=band) for band in missing)
    ok = not comparison.called_out and not missing
    verdict = (_("The age bands reflect the population aged 15 and over.") if ok else
               _("The age bands do not reflect the population aged 15 and over."))
    return Rule(_("age"), ok, verdict, details)


def _territory(members: list[Member]) -> Rule:
    tally = Counter(size_class(m.commune) for m in members if m.commune)
    comparison = compare(_("size of commune"), dict(tally), size_class_population(),
                         who=lambda c: _("The inhabitants of communes of {size}").format(size=c),
                         sample_name=_("members"))
    without = sum(1 for m in members if not m.commune)
    details = tuple(comparison.verdict) + ((ngettext(
        "{n} member without a commune.", "{n} members without a commune.", without).format(
        n=without),) if without else ())
    return Rule(_("territory"), not comparison.called_out,
                _("The communes, by size, are represented in proportion to their population.")
                if not comparison.called_out else
                _("The representation of the communes, by size, departs from their "
                  "population."), details)


def _colleges(members: list[Member]) -> Rule:
    tally = Counter(m.college for m in members)
    return Rule(_("colleges"), True, _("Members per college: {counts}.").format(
        counts=", ".join(f"{college} {tally.get(college, 0)}" for college in COLLEGES)))


def _councillors(members: list[Member]) -> Rule:
    names = [m.name for m in members if m.community_councillor]
    if not names:
        return Rule(_("community councillors"), True,
                    _("No community councillor is a member."))
    return Rule(_("community councillors"), False,
                ngettext("{n} community councillor among the members, which the law "
                         "excludes.",
                         "{n} community councillors among the members, which the law "
                         "excludes.", len(names)).format(n=len(names)), tuple(names))


def check_composition(members: list[Member], census: Census) -> list[Rule]:
    if not members:
        return [Rule(_("members"), False, _("No member in office."))]
    return [_parity(members), _ages(members, census), _territory(members),
            _colleges(members), _councillors(members)]
