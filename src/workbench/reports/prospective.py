"""The foresight report: variables, structural analysis (MICMAC), actors (MACTOR), scenarios.

Used by ``notebooks/reports/prospective.ipynb``; each function returns blocks to display.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import numpy as np

from workbench.documents.blocks import Cover, Figure, Table, Text
from workbench.foresight import mactor, micmac
from workbench.foresight.morpho import load_morphology
from workbench.foresight.morpho_count import SpaceTooEntangled
from workbench.foresight.study import Study, load_study
from workbench.french import french_date, french_number, tidy
from workbench.i18n import _, ngettext
from workbench.reports.data import record_input

__all__ = ["actors", "cover", "delphi", "load", "scenarios", "structural", "variables"]

QUADRANT_COLOURS = {"influente": "#b2182b", "relais": "#ef8a62", "dépendante": "#2166ac",
                    "autonome": "#999999", "régulatrice": "#1b7837"}
WIDTH = 420


def load(slug: str) -> Study:
    study = load_study(slug)
    for key in ("micmac", "mactor", "morpho"):
        if getattr(study, key):
            lines = getattr(study, key).read_text(encoding="utf-8").splitlines()
            record_input(f"prospective:{slug}:{key}", ([line] for line in lines))
    return study


def cover(study: Study, year: int) -> Cover:
    return Cover(_("Foresight report"), study.title, str(year) if year else "—",
                 french_date(date.fromtimestamp(max(
                     p.stat().st_mtime for p in (study.micmac, study.mactor, study.morpho)
                     if p))))


def variables(study: Study) -> list:
    blocks: list = [Text(study.context.strip())] if study.context.strip() else []
    if study.variables:
        blocks.append(Table(_("Variables of the system"), [_("Variable"), _("Description")],
                            [[k, v] for k, v in study.variables.items()],
                            sheet=_("Variables")))
    return blocks


def _plane_chart(names, influence, dependence, classes, title: str, axis_x: str,
                 axis_y: str) -> alt.LayerChart:
    rows = [{"name": n, "x": float(d), "y": float(i), "class": classes.get(n, "")}
            for n, i, d in zip(names, influence, dependence, strict=True)]
    data = alt.Data(values=rows)
    base = alt.Chart(data).encode(x=alt.X("x:Q", title=axis_x), y=alt.Y("y:Q", title=axis_y))
    colour = alt.Color("class:N", title=None, scale=alt.Scale(
        domain=list(QUADRANT_COLOURS), range=list(QUADRANT_COLOURS.values())))
    points = base.mark_circle(size=90).encode(color=colour)
    labels = base.mark_text(align="left", dx=7, fontSize=10).encode(text="name:N")
    mean_x = alt.Chart(alt.Data(values=[{"v": float(np.mean(dependence))}])).mark_rule(
        strokeDash=[4, 4], color="#888").encode(x="v:Q")
    mean_y = alt.Chart(alt.Data(values=[{"v": float(np.mean(influence))}])).mark_rule(
        strokeDash=[4, 4], color="#888").encode(y="v:Q")
    return (mean_x + mean_y + points + labels).properties(width=WIDTH, height=320,
                                                          title=title)


def _indirect_note(settling: micmac.Settling) -> str:
    """What the indirect columns show: M^k where the rankings settle, or why they do not."""
    if settling.stable:
        return _("Indirect influences: M^{k}, the first power where the rankings no longer "
                 "change; scaled to the total of direct influences.").format(k=settling.k)
    return _("Indirect influences (scaled to the total of direct influences): "
             "{settling}").format(settling=settling.describe())


def structural(study: Study) -> list:
    if study.micmac is None:
        return [Text(_("No structural analysis in this study."))]
    names, cells = micmac.read_matrix(study.micmac)
    result = micmac.analyse(names, cells)
    rows = [[n, result.direct.influence[i], result.direct.dependence[i],
             round(result.indirect.influence[i], 2), round(result.indirect.dependence[i], 2),
             result.classification[n], result.indirect_classification[n], result.shifts[n]]
            for i, n in enumerate(result.variables)]
    table = Table(_("Influence and dependence of the variables"),
                  [_("Variable"), _("Direct influence"), _("Direct dependence"),
                   _("Indirect influence"), _("Indirect dependence"), _("Class (direct)"),
                   _("Class (indirect)"), _("Rank gained (indirect)")], rows, sheet="MICMAC",
                  note=_indirect_note(result.settling))
    dependence, influence = _("dependence"), _("influence")
    direct = _plane_chart(result.variables, result.direct.influence, result.direct.dependence,
                          result.classification, _("Direct influence / dependence plane"),
                          dependence, influence)
    indirect = _plane_chart(result.variables, result.indirect.influence,
                            result.indirect.dependence, result.indirect_classification,
                            _("Indirect influence / dependence plane"), dependence, influence)
    direct_rank = micmac.ranking(np.array(result.direct.influence))
    indirect_rank = micmac.ranking(np.array(result.indirect.influence))
    shift_rows = []
    for n, d, i in zip(result.variables, direct_rank, indirect_rank, strict=True):
        shift_rows += [{"name": n, "stage": "1. direct", "rank": d},
                       {"name": n, "stage": "2. indirect", "rank": i}]
    shifts = alt.Chart(alt.Data(values=shift_rows)).mark_line(point=True).encode(
        x=alt.X("stage:N", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rank:Q", title=_("influence rank (1 = the most influential)"),
                scale=alt.Scale(reverse=True)),
        color=alt.Color("name:N", title=None)).properties(width=260, height=280)
    links = []
    position = {n: (result.direct.dependence[i], result.direct.influence[i])
                for i, n in enumerate(result.variables)}
    for i, source in enumerate(names):
        for j, target in enumerate(names):
            if cells[i][j] == "3":
                links.append({"x": position[source][0], "y": position[source][1],
                              "x2": position[target][0], "y2": position[target][1]})
    graph = direct
    if links:
        edges = alt.Chart(alt.Data(values=links)).mark_rule(color="#b2182b", opacity=0.5,
                                                            strokeWidth=2).encode(
            x="x:Q", y="y:Q", x2="x2:Q", y2="y2:Q")
        graph = (edges + direct).properties(title=_("Strongest influences (scored 3)"))
    return [table, Figure(_("Plane of direct influences and dependences"), direct),
            Figure(_("Plane of indirect influences and dependences"), indirect),
            Figure(_("Ranking from direct to indirect"), shifts),
            Figure(_("Graph of the strongest direct influences"), graph)]


def actors(study: Study) -> list:
    if study.mactor is None:
        return [Text(_("No analysis of the actors in this study."))]
    result = mactor.load_mactor(study.mactor)
    names = result.actors
    table = Table(_("Balance of power between actors"),
                  [_("Actor"), _("Influence (MDII, without the diagonal)"), _("Dependence"),
                   "r*", _("Mobilisation (3MAO)")],
                  [[a, float(result.influence[i]), float(result.dependence[i]),
                    round(float(result.r_star[i]), 2),
                    round(float(result.mobilisation[3][i]), 2)]
                   for i, a in enumerate(names)], sheet="MACTOR",
                  note=_("r*: normalised balance-of-power coefficient (mean 1), computed "
                         "without the diagonal of the MDII."))
    positions = Table(_("Weighted positions on the objectives (3MAO)"),
                      [_("Actor"), *result.objectives],
                      [[a, *[round(float(v), 2) for v in result.mao[3][i]]]
                       for i, a in enumerate(names)], sheet="3MAO")
    balance = Table(_("Agreements and disagreements per objective (3MAO)"),
                    [_("Objective"), _("Agreement"), _("Disagreement")],
                    [[o, round(float(result.agreement[3][k]), 2),
                      round(float(result.disagreement[3][k]), 2)]
                     for k, o in enumerate(result.objectives)], sheet=_("Objectives"))
    plane_title = _("Influence and dependence plane of the actors")
    plane = _plane_chart(names, result.influence, result.dependence, {}, plane_title,
                         _("dependence"), _("influence"))
    coords = {a: (float(result.dependence[i]), float(result.influence[i]))
              for i, a in enumerate(names)}
    links = [{"x": coords[a][0], "y": coords[a][1], "x2": coords[b][0], "y2": coords[b][1],
              "w": float(result.convergence[2][i, j])}
             for i, a in enumerate(names) for j, b in enumerate(names)
             if i < j and result.convergence[2][i, j] > 0]
    edges = alt.Chart(alt.Data(values=links)).mark_rule(color="#1b7837", opacity=0.6).encode(
        x="x:Q", y="y:Q", x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("w:Q", title=_("convergence"),
                                    scale=alt.Scale(range=[1, 8])))
    return [table, positions, balance, Figure(plane_title, plane),
            Figure(_("Graph of the convergences between actors (order 2)"), edges + plane)]


def _possible(space, shown: int) -> list:
    """The count of possible scenarios and the first ``shown`` of them."""
    feasible = space.feasible_count()
    rows = [[number, *scenario] for number, scenario in
            zip(range(1, shown + 1), space.scenarios(), strict=False)]
    return [
        Text(_("The morphological space holds {combinations}, of which {scenarios} "
               "{set_aside}.").format(
            combinations=ngettext("**{n} combination**", "**{n} combinations**",
                                  space.raw_count).format(n=french_number(space.raw_count)),
            scenarios=ngettext("**{n} possible scenario**", "**{n} possible scenarios**",
                               feasible).format(n=french_number(feasible)),
            set_aside=ngettext("once the {n} incompatibility is set aside",
                               "once the {n} incompatibilities are set aside",
                               len(space.exclusions)).format(n=len(space.exclusions)))),
        Table(_("First possible scenarios ({shown} of {feasible})").format(
            shown=min(shown, feasible), feasible=feasible), [_("No."), *space.components], rows,
            sheet=_("Scenarios"))]


def scenarios(study: Study, shown: int = 20) -> list:
    if study.morpho is None:
        return [Text(_("No morphological analysis in this study."))]
    space = load_morphology(study.morpho)
    components = Table(_("Components and configurations"), [_("Component"), _("Configurations")],
                       [[c, " / ".join(conf)]
                        for c, conf in zip(space.components, space.configurations, strict=True)],
                       sheet=_("Components"))
    try:
        blocks = _possible(space, shown)
    except SpaceTooEntangled as error:  # the study's other results are still reported
        blocks = [Text(str(error))]
    blocks.insert(1, components)
    from workbench.foresight.scenarios import list_scenarios

    named = list_scenarios(study.slug)
    if named:
        blocks.append(Table(_("Scenarios chosen by the groups"),
                            [_("Scenario"), *space.components],
                            [[s.name, *[s.choices.get(c, "—") for c in space.components]]
                             for s in named], sheet=_("Scenarios chosen")))
    return blocks


def delphi(study: Study) -> list:
    """Each Delphi round's statistics, consensus and stability, as recorded."""
    from workbench.foresight.delphi import load_delphi, verdict
    from workbench.foresight.delphi_rounds import round_stats

    if not study.delphi:
        return [Text(_("No Delphi survey in this study."))]
    survey = load_delphi(study.delphi)
    rules = survey.rules
    blocks: list = [Text(_(
        "Rules set before the first round: consensus if the interquartile range is at most "
        "{iqr} and at least {share} percent of the panel answers between {low} and {high}; "
        "stability if the median moves by at most {change} from one round to the next; "
        "{rounds} rounds at most.").format(
        iqr=french_number(tidy(rules.iqr_max)), share=round(100 * rules.top_share),
        low=rules.top_band[0], high=rules.top_band[1],
        change=french_number(tidy(rules.median_change_max)), rounds=rules.max_rounds))]
    yes, no = _("yes"), _("no")
    previous: dict = {}
    for number in range(1, rules.max_rounds + 1):
        current = round_stats(survey, number)
        if not any(current.values()):
            break
        rows = []
        for item, statement in survey.items:
            stats = current[item]
            if stats is None:
                rows.append([statement, 0, None, None, None, "—", "—"])
                continue
            result = verdict(stats, previous.get(item), rules)
            rows.append([statement, stats.n, stats.median, f"{stats.q1:g} – {stats.q3:g}",
                         round(100 * stats.top_share), yes if result["consensus"] else no,
                         (yes if result["stable"] else no) if number > 1 else "—"])
        blocks.append(Table(_("Delphi, round {n}").format(n=number), [
            _("Statement"), _("Answers"), _("Median"), _("Quartiles"), _("Top band (%)"),
            _("Consensus"), _("Stable")], rows,
            sheet=_("Delphi round {n}").format(n=number)))
        previous = current
    if len(blocks) == 1:
        blocks.append(Text(_("No round has received answers yet.")))
    return blocks
