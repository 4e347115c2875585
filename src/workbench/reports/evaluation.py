"""The evaluation report: context, method and representativeness, results per evaluative
question (weighted and unweighted side by side), findings, recommendations, annexes.

Used by ``notebooks/reports/evaluation.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt

from workbench.evaluation import analysis
from workbench.evaluation.census import Census, load_census
from workbench.evaluation.framework import EvaluationFramework, framework_path, load_framework
from workbench.evaluation.representativeness import Comparison
from workbench.evaluation.weighting import RakingResult
from workbench.reports.blocks import Cover, Figure, Table, Text
from workbench.reports.data import FormAnswers, form_answers
from workbench.reports.formatting import french_date, french_number, tidy
from workbench.workshops.results import small_cell_threshold

__all__ = ["Evaluation", "context", "cover", "crosstabs", "findings", "free_text", "load",
           "method", "representativeness", "results", "weighting"]


@dataclass
class Evaluation:
    framework: EvaluationFramework
    data: FormAnswers
    year: int
    census: Census
    respondents: analysis.Respondents
    raking: RakingResult | None
    comparisons: list[Comparison]
    weighted_comparisons: list[Comparison]


def load(slug: str, year: int) -> Evaluation:
    framework = load_framework(framework_path(slug))
    data = form_answers(framework.form, year or None)
    if data is None:
        raise ValueError(f"Le questionnaire « {framework.form} » n'est pas publié.")
    census = load_census()
    respondents = analysis.profiles(framework, data.spec, [r["answers"] for r in
                                                            data.responses])
    raking = analysis.weights(framework, respondents, census)
    return Evaluation(framework, data, year, census, respondents, raking,
                      analysis.representativeness(framework, respondents, census),
                      analysis.representativeness(framework, respondents, census,
                                                  raking.weights if raking else None))


def cover(evaluation: Evaluation) -> Cover:
    last = max((r["submitted_at"] for r in evaluation.data.responses), default=None)
    return Cover("Rapport d'évaluation", evaluation.framework.title,
                 str(evaluation.year) if evaluation.year else evaluation.framework.period,
                 french_date(last.date()) if last else "aucune réponse")


def context(evaluation: Evaluation) -> Text:
    f = evaluation.framework
    criteria = sorted({c for q in f.questions for c in q.criteria})
    return Text(f"**Politique évaluée** : {f.policy}.\n\n**Période** : {f.period}. "
                f"**Commanditaire** : {f.commissioned_by}.\n\n{f.context.strip()}\n\n"
                f"L'évaluation pose **{len(f.questions)} questions évaluatives**, au regard des "
                f"critères : {', '.join(criteria)}.")


def method(evaluation: Evaluation) -> list:
    responses = evaluation.data.responses
    moments = [r["submitted_at"] for r in responses]
    synthetic = sum(r["synthetic"] for r in responses)
    spec = evaluation.data.spec
    text = (f"Les habitants ont été interrogés par le questionnaire « {spec.title} » "
            f"({'anonyme' if spec.anonymity == 'anonymous' else 'nominatif'}) : "
            f"**{len(responses)} réponses**")
    if moments:
        text += f", du {french_date(min(moments).date())} au {french_date(max(moments).date())}"
    text += "."
    if synthetic:
        text += (f" **{synthetic} de ces réponses sont synthétiques** (données de démonstration "
                 "générées, pas des personnes réelles).")
    text += (f"\n\nLa population de référence est celle du territoire : "
             f"{evaluation.census.source} ; populations municipales INSEE des communes.")
    return [Text(text)]


def _comparison_table(comparison: Comparison, weighted: Comparison | None) -> Table:
    threshold = small_cell_threshold()
    rows = []
    for i, row in enumerate(comparison.rows):
        small = 0 < row.respondents < threshold
        cells = [row.category, f"< {threshold}" if small else round(row.respondents),
                 None if small else round(row.respondent_share, 1),
                 round(row.population_share, 1),
                 None if small or row.ratio is None else round(row.ratio, 2)]
        if weighted is not None:
            cells.append(None if small else round(weighted.rows[i].respondent_share, 1))
        rows.append(cells)
    columns = ["Catégorie", "Répondants", "Part des répondants (%)",
               "Part de la population (%)", "Ratio de représentation"]
    if weighted is not None:
        columns.append("Part après pondération (%)")
    note = (f"Indice de dissimilarité : {french_number(round(comparison.dissimilarity, 1))} % "
            "des répondants devraient changer de catégorie pour ressembler à la population. ")
    if comparison.merged:
        note += "Pour le test du χ², " + " ; ".join(comparison.merged) + "."
    return Table(f"Représentativité par {comparison.dimension}", columns, rows,
                 sheet=f"Représentativité {comparison.dimension}"[:31], note=note)


def _comparison_chart(comparison: Comparison) -> Figure | None:
    if len(comparison.rows) > 12:
        return None
    values = []
    for row in comparison.rows:
        values.append({"category": row.category, "who": "Répondants",
                       "share": round(row.respondent_share, 1)})
        values.append({"category": row.category, "who": "Population",
                       "share": round(row.population_share, 1)})
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("category:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
        yOffset="who:N", x=alt.X("share:Q", title="part (%)"),
        color=alt.Color("who:N", title=None, scale=alt.Scale(range=["#005f73", "#e9c46a"])),
    ).properties(width=300, height=alt.Step(12))
    return Figure(f"Répondants et population par {comparison.dimension}", chart)


def representativeness(evaluation: Evaluation) -> list:
    blocks: list = []
    for plain, weighted in zip(evaluation.comparisons, evaluation.weighted_comparisons,
                               strict=True):
        is_margin = plain.dimension != "commune"
        blocks.append(Text(f"### Par {plain.dimension}\n\n"
                           + "\n".join(f"- {sentence}" for sentence in plain.verdict)))
        blocks.append(_comparison_table(plain, weighted if is_margin and evaluation.raking
                                        else None))
        chart = _comparison_chart(plain)
        if chart is not None:
            blocks.append(chart)
    return blocks


def weighting(evaluation: Evaluation) -> list:
    raking = evaluation.raking
    if raking is None:
        return [Text("Pas de pondération : aucune variable de profil reliée au recensement.")]
    margins = ", ".join(d.label for d in evaluation.framework.profile if d.census != "commune")
    rows = [["Variables de calage", margins],
            ["Méthode", "calage sur marges (ratissage, ajustement proportionnel itératif)"],
            ["Itérations", raking.iterations],
            ["Convergence", "atteinte" if raking.converged else "non atteinte"],
            ["Écart maximal restant aux marges (points de %)", round(100 * raking.max_gap, 4)],
            ["Poids minimal", round(min(raking.weights), 3)],
            ["Poids maximal (plafonné à 5 fois la moyenne)", round(max(raking.weights), 3)],
            ["Taille d'échantillon effective (Kish)", round(raking.effective_size, 1)],
            ["Réponses", len(raking.weights)]]
    return [Text("Les réponses sont pondérées pour que la structure des répondants rejoigne "
                 "celle de la population sur les variables de calage. Chaque résultat est donné "
                 "**sans pondération et avec pondération, côte à côte** ; l'écart entre les deux "
                 "mesure l'effet de la composition de l'échantillon."),
            Table("Pondération", ["Élément", "Valeur"], rows, sheet="Pondération")]


def _interval(low: float | None, high: float | None) -> str | None:
    if low is None or high is None:
        return None
    return f"{french_number(round(low, 1))} – {french_number(round(high, 1))}"


def results(evaluation: Evaluation) -> list:
    weights = evaluation.raking.weights if evaluation.raking else None
    blocks: list = []
    chart_rows = []
    for number, question in enumerate(evaluation.framework.questions, start=1):
        judgement = "\n".join(f"- {j}" for j in question.judgement)
        blocks.append(Text(f"### {number}. {question.text}\n\n"
                           f"Critères : {', '.join(question.criteria)}.\n\n"
                           + (f"Critères de jugement :\n\n{judgement}" if judgement else "")))
        rows, sources = [], []
        for indicator in question.indicators:
            value = analysis.indicator_value(indicator, evaluation.respondents, weights)
            unit = f" ({value.unit})" if value.unit else ""
            rows.append([indicator.label + unit, value.base or None,
                         tidy(value.value),
                         _interval(value.low, value.high),
                         tidy(value.weighted),
                         _interval(value.weighted_low, value.weighted_high),
                         indicator.target or None])
            kind = "intervalle interquartile" if indicator.measure == "median" else (
                "IC 95 % (Wilson)" if value.unit == "%" else "")
            sources.append(f"{indicator.label} : {value.source}"
                           + (f" ; intervalle : {kind}" if kind and value.low is not None
                              else ""))
            if value.unit == "%" and value.value is not None and value.weighted is not None:
                chart_rows += [{"indicator": indicator.id, "kind": "non pondéré",
                                "value": round(value.value, 1)},
                               {"indicator": indicator.id, "kind": "pondéré",
                                "value": round(value.weighted, 1)}]
        blocks.append(Table(
            f"Indicateurs de la question {number}",
            ["Indicateur", "Base", "Non pondéré", "Intervalle", "Pondéré",
             "Intervalle (pondéré)", "Cible"],
            rows, sheet=f"Question {number}", note="Sources. " + " — ".join(sources)))
    if chart_rows:
        chart = alt.Chart(alt.Data(values=chart_rows)).mark_bar().encode(
            y=alt.Y("indicator:N", title=None, sort=None), yOffset="kind:N",
            x=alt.X("value:Q", title="%", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("kind:N", title=None,
                            scale=alt.Scale(range=["#94d2bd", "#005f73"])),
        ).properties(width=380, height=alt.Step(12))
        blocks.append(Figure("Indicateurs en % : non pondérés et pondérés", chart))
    return blocks


def findings(evaluation: Evaluation) -> list:
    """Findings per evaluative question and recommendations, as staff recorded them."""
    from workbench.evaluation.records import list_findings, list_recommendations

    blocks: list = []
    found = list_findings(evaluation.framework.slug)
    by_question = {q.id: q for q in evaluation.framework.questions}
    if found:
        blocks.append(Table("Constats", ["Question évaluative", "Constat"],
                            [[by_question[f.question_id].text if f.question_id in by_question
                              else f.question_id, f.text] for f in found], sheet="Constats"))
    else:
        blocks.append(Text("Aucun constat n'a encore été enregistré."))
    recommendations = list_recommendations(evaluation.framework.slug)
    if recommendations:
        blocks.append(Table("Recommandations", ["Recommandation", "Destinataire", "Priorité"],
                            [[r.text, r.addressee, r.priority] for r in recommendations],
                            sheet="Recommandations"))
    else:
        blocks.append(Text("Aucune recommandation n'a encore été enregistrée."))
    return blocks


def free_text(evaluation: Evaluation) -> list:
    """Themes of the open questions, with representative quotes (verbatim, escaped)."""
    from workbench.evaluation.text import summarise

    blocks: list = []
    for question in evaluation.data.spec.questions:
        if question.type != "long_text":
            continue
        texts = [a[question.id] for a in evaluation.respondents.answers
                 if isinstance(a.get(question.id), str)]
        if len(texts) < small_cell_threshold():
            continue
        summary = summarise(texts)
        blocks.append(Text(f"### {question.label}\n\n{summary.answers} réponses."))
        blocks.append(Table(f"{question.label} — termes fréquents", ["Terme", "Réponses"],
                            [list(t) for t in summary.terms], sheet=f"Termes {question.id}"))
        if summary.themes:
            blocks.append(Table(
                f"{question.label} — thèmes", ["Thème (termes principaux)", "Réponses",
                                               "Citations représentatives"],
                [[", ".join(t.terms), t.size, " / ".join(f"« {q} »" for q in t.quotes)]
                 for t in summary.themes], sheet=f"Thèmes {question.id}"))
    return blocks or [Text("Pas de question ouverte avec assez de réponses.")]


AGREEMENT = {1: "Pas d'accord", 2: "Pas d'accord", 3: "Ni l'un ni l'autre", 4: "D'accord",
             5: "D'accord", "nsp": "Ne se prononce pas"}


def crosstabs(evaluation: Evaluation) -> list:
    """Agreement with each likert question of the indicators, by profile margin (age, size of
    commune…), with small cells and the cells that would reveal them suppressed."""
    from workbench.evaluation.suppression import crosstab

    threshold = small_cell_threshold()
    likert = []
    for question in evaluation.framework.questions:
        for indicator in question.indicators:
            if indicator.question and indicator.measure == "top2" \
                    and indicator.question not in likert:
                likert.append(indicator.question)
    columns = ["D'accord", "Ni l'un ni l'autre", "Pas d'accord", "Ne se prononce pas"]
    blocks: list = []
    for dimension in evaluation.framework.profile:
        if dimension.census == "commune":
            continue
        for qid in likert:
            label = evaluation.data.spec.question(qid).label
            pairs = [(row[dimension.census], AGREEMENT[answers[qid]])
                     for row, answers in zip(evaluation.respondents.profile,
                                             evaluation.respondents.answers, strict=True)
                     if answers.get(qid) in AGREEMENT
                     and row[dimension.census] != analysis.UNKNOWN]
            if not pairs:
                continue
            categories = sorted({p[0] for p in pairs})
            table = crosstab(categories, columns, [p[0] for p in pairs], [p[1] for p in pairs],
                             threshold=threshold)
            shown = table.shown(threshold)
            rows = [[category, *shown[i]] for i, category in enumerate(categories)]
            rows.append(["Ensemble", *shown[-1]])
            blocks.append(Table(
                f"{label} — selon {dimension.label}",
                [dimension.label.capitalize(), *columns, "Total"], rows,
                sheet=f"{qid} x {dimension.census}"[:31],
                note=f"Effectifs non pondérés. « < {threshold} » : moins de {threshold} "
                     "personnes ; « s » : case masquée pour qu'une petite case ne puisse pas "
                     "être déduite des totaux."))
    return blocks
