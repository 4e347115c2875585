"""The results of an edition as HTML (public page, projected at the results evening): every
text escaped, tables with captions and header cells, figures in French."""

from __future__ import annotations

import html

from workbench.budget.money import euros
from workbench.budget.results import EditionResults
from workbench.i18n import _, ngettext
from workbench.territory.communes import commune_by_code

__all__ = ["results_html"]



def rule_name(rule: str) -> str:
    """The rule as people name it."""
    return {
        "greedy": _("Greedy (by number of votes)"),
        "equalshares/add1": _("Equal Shares (with Add1)"),
        "equalshares": _("Equal Shares"),
        "equalshares-comparison": _("Equal Shares, with the comparison step"),
        "equalshares/add1-comparison": _("Equal Shares (with Add1), with the comparison step"),
    }.get(rule, rule)


def _table(caption: str, head: str, body: str) -> str:
    """A table that scrolls sideways on a phone, reachable with the keyboard."""
    caption = html.escape(caption)
    return (f"<div class='wb-scroll' tabindex='0' role='region' aria-label='{caption}'>"
            f"<table class='wb-table'><caption>{caption}</caption><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table></div>")


def _count(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _number(value: float, places: int = 1) -> str:
    return f"{value:,.{places}f}".replace(",", "\u202f").replace(".", ",")


def results_html(results: EditionResults) -> str:
    e = html.escape
    decided = results.decided
    heading = _("{title}: the results").format(title=results.title)
    parts = ["<h1 class='wb-title'>" + e(heading) + "</h1>",
             "<p class='wb-intro'>" + e(ngettext(
                 "{n} ballot counted.", "{n} ballots counted.", results.ballots).format(
                 n=_count(results.ballots))) + " " + e(_(
                 "Rule of this edition: {rule}. {n} projects funded for {cost} out of "
                 "{budget}; {pct} % of voters see at least one of their projects "
                 "funded.").format(rule=rule_name(results.rule),
                                   n=len(decided.funded), cost=euros(decided.total_cost),
                                   budget=euros(results.budget),
                                   pct=_number(decided.voters_with_funded_pct))) + "</p>"]
    whole = _("whole Agglomération")
    rules = list(results.outcomes)
    head = "".join(f"<th scope='col'>{e(rule_name(r))}</th>" for r in rules)
    rows = []
    for line in results.projects:
        place = commune_by_code(line.commune) if line.commune else None
        cells = "".join(
            "<td>" + (e(_("funded")) if line.code in results.outcomes[r].funded else "—")
            + "</td>" for r in rules)
        rows.append(f"<tr><th scope='row'>{e(line.title)}</th>"
                    f"<td>{e(place.nom if place else whole)}</td>"
                    f"<td>{euros(line.cost)}</td><td>{_count(line.votes)}</td>{cells}</tr>")
    summary = "".join(
        f"<tr><th scope='row'>{e(rule_name(r))}</th><td>{euros(o.total_cost)}</td>"
        f"<td>{_number(o.voters_with_funded_pct)}\u00a0%</td>"
        f"<td>{_number(o.funded_per_voter, 2)}</td></tr>"
        for r, o in results.outcomes.items())
    def heads(*names: str) -> str:
        return "".join(f"<th scope='col'>{e(name)}</th>" for name in names)

    parts.append(_table(_("Projects and the rules side by side"),
                        heads(_("Project"), _("Commune"), _("Cost"), _("Votes")) + head,
                        "".join(rows)))
    parts.append(_table(_("What each rule gives the voters"),
                        heads(_("Rule"), _("Funded"), _("Voters with a funded project"),
                              _("Funded projects per voter")), summary))
    communes = "".join(
        f"<tr><th scope='row'>{e(c.name)}</th>"
        f"<td>{'s' if c.voters is None else _count(c.voters)}</td>"
        f"<td>{'—' if c.turnout_pct is None else _number(c.turnout_pct) + chr(160) + '%'}</td>"
        f"<td>{_number(c.euros_per_inhabitant, 2)}\u00a0€</td></tr>" for c in results.communes)
    parts.append(_table(_("Per commune: voters, turnout and euros funded per inhabitant (Gini "
                          "across communes: {gini})").format(gini=_number(results.gini, 2)),
                        heads(_("Commune"), _("Voters"), _("Turnout"),
                              _("Euros per inhabitant")), communes))
    if any(c.voters is None for c in results.communes):
        parts.append("<p class='wb-hint'>" + e(_(
            "s: statistical secret. No number of 1 to 4 voters is published, nor one that "
            "would let it be computed from the total.")) + "</p>")
    if results.refused:
        parts.append("<h2>" + e(_("Projects not received, and why")) + "</h2><ul>" + "".join(
            f"<li><strong>{e(title)}</strong> : {e(reason)}</li>"
            for title, _category, reason in results.refused) + "</ul>")
    return "<div class='wb-pb-results'>" + "".join(parts) + "</div>"


def projects_list_html(slug: str) -> str:
    """The public list of the projects proposed: each one's status, and the reason of those
    not received (never the proposer)."""
    from workbench.budget.review import projects, reason_label, status_label

    e = html.escape
    whole = _("whole Agglomération")
    rows = []
    found = projects(slug)
    codes = {row.id: row.code for row in found}
    for row in found:
        place = commune_by_code(row.commune) if row.commune else None
        why = ""
        if row.status == "non_recevable":
            why = reason_label(row.refusal_category or "") + " : " + (row.refusal_text or "")
        elif row.status == "fusionnee":
            why = _("merged with project {code}").format(code=codes.get(row.merged_into, "?"))
        rows.append(f"<tr><td>{e(row.code)}</td><th scope='row'>{e(row.title)}</th>"
                    f"<td>{e(place.nom if place else whole)}</td>"
                    f"<td>{e(status_label(row.status))}</td><td>{e(why)}</td></tr>")
    head = "".join(f"<th scope='col'>{e(name)}</th>" for name in (
        _("No."), _("Project"), _("Commune"), _("Status"), _("Reason")))
    return _table(_("The projects proposed"), head, "".join(rows))
