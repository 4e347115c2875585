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
from workbench.evaluation.census import load_census
from workbench.reports.blocks import Cover, Table, Text
from workbench.reports.data import record_input
from workbench.reports.formatting import french_date
from workbench.territory import commune_by_code
from workbench.workshops.results import small_cell_threshold

__all__ = ["attendance", "composition", "cover", "follow_up"]


def cover(year: int) -> Cover:
    return Cover("Rapport d'activité du conseil de développement",
                 "Observatoire de la participation", str(year),
                 french_date(min(date.today(), date(year, 12, 31))))


def attendance(year: int) -> list:
    stats = attendance_stats(year)
    previous = attendance_stats(year - 1)
    record_input(f"présences:{year}", [list(r) for r in stats.by_member])
    blocks: list = [Text(
        f"En {year}, les instances du conseil se sont réunies **{stats.meetings} fois**"
        + (f" ; taux de présence moyen : **{stats.overall:g} %**".replace(".", ",")
           if stats.overall is not None else "") + "."
        + (f" En {year - 1} : {previous.meetings} réunions, présence "
           f"{previous.overall:g} %.".replace(".", ",") if previous.overall is not None
           else f" Pas de réunion enregistrée en {year - 1}."))]
    if stats.by_body:
        blocks.append(Table("Réunions et présence par instance",
                            ["Instance", "Réunions", "Taux de présence (%)"],
                            [list(r) for r in stats.by_body], sheet="Instances"))
        threshold = small_cell_threshold()
        blocks.append(Table("Présence par commune des membres",
                            ["Commune", "Membres", "Taux de présence (%)"],
                            [[getattr(commune_by_code(c), "nom", c),
                              n if n >= threshold else f"< {threshold}",
                              r if n >= threshold else None]
                             for c, n, r in stats.by_commune], sheet="Présence par commune",
                            note=f"Communes de moins de {threshold} membres : taux non publié "
                                 "(il désignerait une personne)."))
        blocks.append(Text(
            f"{len(stats.flagged)} membre(s) absent(s) à trois réunions consécutives : "
            "le bureau prend contact avec eux." if stats.flagged else
            "Aucun membre n'a manqué trois réunions consécutives."))
    return blocks


def composition() -> list:
    members = active_members()
    rules = check_composition(members, load_census())
    record_input("membres:en fonction", [[m.sex, m.age_band, m.college, m.commune or ""]
                                    for m in members])
    rows = [[rule.name, "respectée" if rule.ok else "à corriger", rule.verdict,
             " ".join(rule.details)] for rule in rules]
    return [Text(f"Le conseil compte **{len(members)} membres** en fonction. Sa composition "
                 "est vérifiée au regard de l'article L5211-10-1 du CGCT."),
            Table("Composition du conseil", ["Règle", "État", "Constat", "Détail"], rows,
                  sheet="Composition")]


def follow_up(year: int) -> list:
    ledger = load_ledger()
    record_input("recommandations", [[e.id, e.avis, e.issued_on.isoformat(),
                                 str(e.answered_on or ""), e.status] for e in ledger])
    today = min(date.today(), date(year, 12, 31))
    current, previous = indicators(ledger, year, today), indicators(ledger, year - 1, today)

    def cell(value) -> object:
        return "—" if value is None else value

    rows = [["Recommandations émises", previous.recommendations, current.recommendations],
            ["Recommandations ayant reçu une réponse", previous.answered, current.answered],
            ["Part avec réponse (%)", cell(previous.answered_share),
             cell(current.answered_share)],
            ["Délai médian de réponse (jours)", cell(previous.median_delay_days),
             cell(current.median_delay_days)],
            ["Recommandations réalisées", previous.implemented, current.implemented],
            ["Part réalisée (%)", cell(previous.implemented_share),
             cell(current.implemented_share)]]
    blocks: list = [Table("Droit de suite des avis", ["Indicateur", str(year - 1), str(year)],
                          rows, sheet="Droit de suite")]
    if current.overdue:
        blocks.append(Table("Réponses attendues en retard",
                            ["N°", "Avis", "Recommandation", "Destinataire", "Échéance"],
                            [[e.id, e.avis, e.text, e.addressee, french_date(e.due)]
                             for e in current.overdue], sheet="Relances"))
    else:
        blocks.append(Text("Aucune réponse n'est en retard."))
    return blocks
