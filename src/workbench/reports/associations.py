"""The associations' reports: the yearly observatory of associative life and the allocation
committee's file. Used by ``notebooks/reports/observatoire-vie-associative.ipynb`` and
``comite-subventions.ipynb``.
"""

from __future__ import annotations

from datetime import date

import altair as alt
from sqlalchemy import func, select

from workbench.associations.grid import load_edition
from workbench.associations.observatory import observatory
from workbench.associations.requests import SERVICES
from workbench.associations.scoring import results
from workbench.reports.blocks import Cover, Figure, Table, Text
from workbench.reports.data import record_input
from workbench.reports.formatting import french_date, french_number, tidy
from workbench.storage import read_connection
from workbench.storage.schema import association

__all__ = ["agreement", "by_commune", "by_theme", "committee_cover", "criteria", "envelopes",
           "files", "observatory_cover", "over_years", "summary", "support"]

WIDTH = 560
SERVICE_ORDER = list(SERVICES)


def _euros(value: float | None) -> str:
    return "—" if value is None else f"{french_number(tidy(value))} €"


def observatory_cover(year: int) -> Cover:
    return Cover("Observatoire de la vie associative", "Les associations du territoire",
                 str(year), french_date(min(date.today(), date(year, 12, 31))))


def _sources() -> str:
    with read_connection() as conn:
        kinds = dict(conn.execute(select(association.c.source, func.count())
                                  .group_by(association.c.source)).all())
        imported = conn.scalar(select(func.max(association.c.imported_at)).where(
            association.c.source == "rna"))
    parts = []
    if kinds.get("rna"):
        parts.append(f"{kinds['rna']} associations du répertoire national des associations "
                     f"(RNA, extrait importé le {french_date(imported.date())})")
    if kinds.get("saisie"):
        parts.append(f"{kinds['saisie']} associations enregistrées par le service")
    if kinds.get("synthetique"):
        parts.append(f"{kinds['synthetique']} associations **fictives** (données de "
                     "démonstration)")
    return "Sources : " + ("; ".join(parts) if parts else "aucune association enregistrée") + "."


def summary(year: int) -> list:
    found, before = observatory(year), observatory(year - 1)
    record_input(f"associations:{year}", [[n, c, r] for n, _p, c, r in found.by_commune])
    created = dict((y, (c, d)) for y, c, d in found.by_year).get(year, (0, 0))
    return [Text(
        f"Au 31 décembre {year}, le territoire compte **{found.active} associations "
        f"actives**, soit **{french_number(found.per_1000)} pour 1 000 habitants** "
        f"({before.active} fin {year - 1}). {created[0]} associations ont été créées et "
        f"{created[1]} dissoutes dans l'année. L'agglomération a soutenu "
        f"**{found.supported} associations** en {year} pour {_euros(found.voted)}.\n\n"
        + _sources())]


def _bars(pairs: list[tuple[str, float]], measure: str, color: str, label_width: int):
    """Horizontal bars, the largest first."""
    return alt.Chart(alt.Data(values=[{"label": k, "value": v} for k, v in pairs])).mark_bar(
        color=color).encode(
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=label_width)),
        x=alt.X("value:Q", title=measure),
    ).properties(width=WIDTH - label_width, height=alt.Step(15))


def by_commune(year: int) -> list:
    found = observatory(year)
    rows = [[name, people, count, rate] for name, people, count, rate in found.by_commune]
    chart = _bars([(n, r) for n, _p, _c, r in rows], "associations pour 1 000 habitants",
                  "#005f73", 220)
    return [Table("Associations actives par commune",
                  ["Commune", "Population municipale", "Associations",
                   "Pour 1 000 habitants"], rows, sheet="Par commune",
                  note="Siège de l'association ; population municipale INSEE."),
            Figure("Associations pour 1 000 habitants, par commune", chart)]


def by_theme(year: int) -> list:
    found = observatory(year)
    rows = [[theme, count, helped, round(100 * helped / count, 1) if count else None]
            for theme, count, helped in found.by_theme]
    chart = _bars([(t, n) for t, n, _h, _s in rows], "associations actives", "#0a9396", 300)
    return [Table("Associations par thème (nomenclature WALDEC)",
                  ["Thème", "Associations actives", "Soutenues dans l'année",
                   "Part soutenue (%)"], rows, sheet="Par thème"),
            Figure("Associations actives par thème", chart)]


def over_years(year: int) -> list:
    found = observatory(year)
    rows = [list(r) for r in found.by_year]
    values = [{"year": str(y), "kind": kind, "n": n} for y, c, d in rows
              for kind, n in (("créations", c), ("dissolutions", d))]
    chart = alt.Chart(alt.Data(values=values)).mark_line(point=True).encode(
        x=alt.X("year:O", title=None), y=alt.Y("n:Q", title="associations"),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(range=["#005f73", "#ae2012"])),
    ).properties(width=WIDTH, height=200)
    return [Table("Créations et dissolutions par année", ["Année", "Créations",
                                                           "Dissolutions"], rows,
                  sheet="Créations"),
            Figure("Créations et dissolutions des dix dernières années", chart),
            Table("Âge des associations actives", ["Âge", "Associations"],
                  [list(r) for r in found.by_age], sheet="Âge")]


def support(year: int) -> list:
    found = observatory(year)
    rows = [[s, n, g, _euros(req), _euros(v)] for s, n, g, req, v in found.by_service]
    if not rows:
        return [Text(f"Aucune demande de subvention enregistrée pour {year}.")]
    return [Table("Demandes de subvention et subventions votées par service",
                  ["Service", "Demandes", "Subventions votées", "Montant demandé",
                   "Montant voté"], rows, sheet="Par service")]


def committee_cover(edition: str) -> Cover:
    found = load_edition(edition)
    return Cover(found.title, "Dossier de la commission d'attribution", str(found.year),
                 french_date(date.today()))


def criteria(edition: str) -> list:
    found = load_edition(edition)
    scale = found.scale
    rows = [[c.label, "tous", french_number(tidy(c.weight)), c.help] for c in found.criteria]
    rows += [[c.label, service, french_number(tidy(c.weight)), c.help]
             for service, items in found.service_criteria.items() for c in items]
    labels = " ; ".join(f"{v} : {label}" for v, label in sorted(scale.labels.items()))
    rule = found.allocation
    explained = (
        "chaque dossier atteignant le seuil se voit proposer le montant demandé multiplié par "
        "sa note moyenne rapportée au maximum ; si l'enveloppe ne couvre pas ces montants, "
        "tous sont réduits dans la même proportion" if rule.rule == "part-de-la-demande" else
        "l'enveloppe est partagée en proportion des notes, chaque dossier plafonné au montant "
        "demandé, ce qu'un plafond libère étant partagé à nouveau")
    return [Text(f"Chaque assesseur note les dossiers de ses services de {scale.min} à "
                 f"{scale.max} ({labels}), critère par critère ; la note d'un dossier est la "
                 "moyenne pondérée des critères, puis la moyenne des assesseurs. "
                 f"**Règle de proposition** : {explained}. Seuil : "
                 f"{french_number(tidy(rule.threshold))} ; arrondi à {rule.rounding} € "
                 "inférieurs. Les propositions sont ajustées par le service avant le vote."),
            Table("Grille de critères", ["Critère", "Services", "Poids", "Aide"], rows,
                  sheet="Critères")]


def envelopes(edition: str) -> list:
    found = results(load_edition(edition))
    record_input(f"commission:{edition}", [[r.reference, r.score, r.proposed, r.voted]
                                           for r in found.requests])
    rows = [[s, *(_euros(v) for v in t)] for s, t in found.totals.items()]
    values = [{"service": s, "kind": kind, "amount": amount}
              for s, (envelope, _p, adjusted, voted) in found.totals.items()
              for kind, amount in (("enveloppe", envelope), ("proposé", adjusted),
                                   ("voté", voted))]
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("service:N", title=None, sort=SERVICE_ORDER),
        yOffset=alt.YOffset("kind:N"),
        x=alt.X("amount:Q", title="euros", axis=alt.Axis(
            labelExpr="replace(format(datum.value, ',.0f'), /,/g, '\u202f')")),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(range=["#94d2bd", "#005f73", "#ae2012"])),
    ).properties(width=WIDTH - 160, height=alt.Step(10))
    return [Table("Enveloppes par service", ["Service", "Enveloppe", "Proposé par la règle",
                                             "Proposé après ajustement", "Voté"], rows,
                  sheet="Enveloppes"),
            Figure("Enveloppes, propositions et votes par service", chart)]


def agreement(edition: str) -> list:
    found = results(load_edition(edition))
    rows = [[c, None if a is None else round(a, 2),
             "—" if a is None else "bon" if a >= 0.8 else "acceptable" if a >= 0.667
             else "faible"] for c, a in found.alpha.items()]
    flagged = [r for r in found.requests if r.flagged]
    text = (f"**{len(flagged)} dossier(s)** présentent un fort désaccord entre assesseurs "
            f"(écart d'au moins {french_number(tidy(found.edition.disagreement))} point) : "
            + ", ".join(f"{r.reference} ({r.association})" for r in flagged)
            + ". Ils sont à examiner en séance." if flagged else
            "Aucun dossier ne présente de fort désaccord entre assesseurs.")
    return [Table("Accord entre assesseurs par critère (alpha de Krippendorff, ordinal)",
                  ["Critère", "Alpha", "Accord"], rows, sheet="Accord",
                  note="1 : accord parfait ; 0 : pas mieux que le hasard. Seuils usuels : "
                       "0,8 (bon), 0,667 (acceptable pour des conclusions prudentes)."),
            Text(text)]


def files(edition: str) -> list:
    found = results(load_edition(edition))
    rows = [[r.reference, r.association, r.service, r.title, r.score, r.spread,
             "oui" if r.flagged else "", r.requested, r.proposed, r.adjusted, r.voted]
            for r in found.requests]
    return [Table("Dossiers examinés", ["Référence", "Association", "Service", "Objet",
                                        "Note moyenne", "Écart entre assesseurs",
                                        "Fort désaccord", "Demandé (€)", "Règle (€)",
                                        "Proposé (€)", "Voté (€)"], rows, sheet="Dossiers")]
