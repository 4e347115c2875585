"""The questionnaire report: participation, every question's distribution, methods.

Used by ``notebooks/reports/questionnaire.ipynb``; each function returns blocks to display.
"""

from __future__ import annotations

from collections import Counter

from workbench.reports.blocks import Cover, Figure, Table, Text
from workbench.reports.data import FormAnswers, form_answers, population
from workbench.reports.formatting import french_date
from workbench.reports.participation import by_commune, over_time, year_on_year
from workbench.workshops.charts import chart_for
from workbench.workshops.results import aggregate, small_cell_threshold

__all__ = ["commune_question", "cover", "load", "methods", "participation", "questions",
           "year_comparison"]


def load(slug: str, year: int, session: str = "") -> FormAnswers:
    """The answers of the year (all years with ``year`` 0), or of one live session; a French
    error if the questionnaire is unknown."""
    data = form_answers(slug, year or None, session=session or None)
    if data is None:
        raise ValueError(f"Le questionnaire « {slug} » n'existe pas ou n'est pas publié.")
    return data


def cover(data: FormAnswers, year: int, session: str = "") -> Cover:
    last = max((r["submitted_at"] for r in data.responses), default=None)
    subject = f"« {data.spec.title} »" + (f", atelier {session}" if session else "")
    return Cover("Rapport de questionnaire", subject,
                 str(year) if year else "toutes les années",
                 french_date(last.date()) if last else "aucune réponse")


def commune_question(data: FormAnswers) -> str | None:
    return next((q.id for q in data.spec.questions if q.type == "commune"), None)


def participation(data: FormAnswers) -> list:
    blocks: list = [Text(
        f"Le questionnaire a reçu **{len(data.responses)} réponses** sur la période"
        + (" (dont des réponses synthétiques de démonstration)."
           if any(r["synthetic"] for r in data.responses) else "."))]
    blocks += over_time([r["submitted_at"] for r in data.responses], "Réponses dans le temps")
    question = commune_question(data)
    if question:
        blocks += by_commune((r["answers"].get(question) for r in data.responses),
                             population(), "Réponses par commune")
    return blocks


def questions(data: FormAnswers) -> list:
    """For every question: counts and shares (or words and extracts), and its chart."""
    threshold = small_cell_threshold()
    blocks: list = []
    for number, question in enumerate(data.spec.questions, start=1):
        values = [r["answers"][question.id] for r in data.responses
                  if question.id in r["answers"]]
        result = aggregate(question, values)
        blocks.append(Text(f"### {number}. {question.label}\n\n"
                           f"{result.total} réponses."))
        sheet = f"Q{number} {question.id}"
        if result.hidden:
            blocks.append(Text(f"Moins de {threshold} réponses : résultats non publiés."))
            continue
        if result.kind in ("short_text", "long_text"):
            blocks.append(Table(f"{question.label} — mots les plus fréquents",
                                ["Mot", "Occurrences"], [list(w) for w in result.words],
                                sheet=sheet))
            blocks.append(Table(f"{question.label} — dernières réponses",
                                ["Réponse"], [[text] for text in result.latest],
                                sheet=f"{sheet} extraits"))
        elif result.kind in ("ranking", "points"):
            heading = "Rang moyen" if result.kind == "ranking" else "Total des points"
            blocks.append(Table(question.label, ["Proposition", heading],
                                [[b.label, b.value] for b in result.bars], sheet=sheet))
        else:
            blocks.append(Table(question.label, ["Modalité", "Effectif", "Part (%)"],
                                [[b.label, b.count if b.count is not None else f"< {threshold}",
                                  b.percent] for b in result.bars], sheet=sheet,
                                note=(f"Médiane : {result.median:g}".replace(".", ",")
                                      if result.median is not None else "")))
        chart = chart_for(result)
        if chart is not None:
            blocks.append(Figure(question.label, chart))
    return blocks


def year_comparison(slug: str, data: FormAnswers, year: int) -> list:
    """Answers by commune compared with the previous year, when it has answers too."""
    if not year:
        return []
    previous = form_answers(slug, year - 1)
    if previous is None or not previous.responses:
        return [Text(f"Pas de réponse en {year - 1} : pas de comparaison d'une année "
                     "sur l'autre.")]
    question = commune_question(data)
    names = {code: name for code, (name, _people) in population().items()}

    def tally(answers: FormAnswers) -> Counter:
        return Counter((r["answers"].get(question) or "?") if question else "Toutes"
                       for r in answers.responses)

    return year_on_year(tally(data), tally(previous), year, {**names, "?": "Non renseignée"},
                        "Réponses par commune")


def methods(data: FormAnswers, year: int) -> Table:
    moments = [r["submitted_at"] for r in data.responses]
    versions = sorted({r["version"] for r in data.responses})
    rows = [
        ["Questionnaire", data.spec.title],
        ["Identifiant", data.spec.slug],
        ["Période du rapport", str(year) if year else "toutes les années"],
        ["Première réponse", french_date(min(moments)) if moments else "—"],
        ["Dernière réponse", french_date(max(moments)) if moments else "—"],
        ["Nombre de réponses", len(data.responses)],
        ["Réponses synthétiques (démonstration)", sum(r["synthetic"] for r in data.responses)],
        ["Anonymat", "anonyme" if data.spec.anonymity == "anonymous" else "identifié"],
        ["Accès", "ouvert" if data.spec.access == "open" else "sur invitation"],
        ["Version du questionnaire (dernière publiée)", data.version],
        ["Versions ayant reçu des réponses", ", ".join(map(str, versions)) or "—"],
        ["Règle de secret statistique",
         f"aucun effectif inférieur à {small_cell_threshold()} n'est publié"],
    ]
    return Table("Annexe méthodologique", ["Élément", "Valeur"], rows, sheet="Méthode")
