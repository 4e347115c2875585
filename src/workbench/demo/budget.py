"""A synthetic demo participatory budget: edition ``bp-demo`` (300,000 €, approval ballot of at
most 5 projects within the envelope, the vote open around today) and ``bp-demo-precedent``
(cumulative ballot of 5 points, the vote closed 20 days ago: its results are public); each
with 24 projects over the communes (4 refused with their reason, 1 merged into another) and
2,000 synthetic ballots. ``bp-demo-suivant`` takes proposals now (its 24 projects still to be
reviewed by the services).

Every project title ends in "(fictif)", the edition is marked ``synthetique`` and the seed is
fixed; seeding twice adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from workbench.storage import write_transaction
from workbench.storage.schema import (
    pb_ballot,
    pb_ballot_choice,
    pb_edition,
    pb_project,
    pb_token,
)
from workbench.territory import communes
from workbench.territory.clock import local_today

__all__ = ["EDITION", "NEXT_EDITION", "PAST_EDITION", "seed_budget"]

EDITION = "bp-demo"
PAST_EDITION = "bp-demo-precedent"
NEXT_EDITION = "bp-demo-suivant"
SEED = 2027
BALLOTS = 2000

# (title, category, cost, description); commune drawn, a few for the whole Agglomération
PROJECTS = [
    ("Aire de jeux inclusive", "jeunesse", 45_000,
     "Des jeux accessibles aux enfants en fauteuil, près de l'école."),
    ("Jardins partagés au bourg", "environnement", 18_000,
     "Douze parcelles, un récupérateur d'eau et un abri à outils."),
    ("Piste cyclable vers la gare", "mobilité", 120_000,
     "Deux kilomètres séparés de la route pour aller à vélo au train."),
    ("Boîtes à livres", "culture", 6_000,
     "Dix boîtes à livres dans les bourgs, entretenues par des bénévoles."),
    ("Skatepark", "sport", 80_000, "Un petit skatepark en béton pour les 10-18 ans."),
    ("Abris vélos sécurisés", "mobilité", 30_000,
     "Des abris fermés près des arrêts de car et des commerces."),
    ("Verger conservatoire", "environnement", 15_000,
     "Des variétés anciennes de pommiers bretons, ouvertes à la cueillette."),
    ("Tiers-lieu numérique", "solidarité", 60_000,
     "Un lieu pour apprendre à se servir d'un ordinateur, avec un médiateur."),
    ("Terrain multisport", "sport", 70_000, "Un city-stade ouvert à tous, éclairé le soir."),
    ("Bancs et ombrières", "solidarité", 12_000,
     "Des bancs à l'ombre le long des chemins de promenade des aînés."),
    ("Festival des cultures bretonnes", "culture", 25_000,
     "Un week-end de fest-noz et de contes, gratuit."),
    ("Nichoirs et hôtels à insectes", "environnement", 5_000,
     "Avec les écoles, pour la biodiversité des jardins publics."),
    ("Navette du marché", "mobilité", 40_000,
     "Un minibus le jour du marché depuis les hameaux."),
    ("Fontaines à eau", "environnement", 20_000, "Six points d'eau potable sur les places."),
    ("Local jeunes", "jeunesse", 55_000, "Un local aménagé par et pour les 14-20 ans."),
    ("Sentier d'interprétation", "culture", 35_000,
     "Des panneaux sur l'histoire du lin et des chapelles."),
    ("Défibrillateurs", "solidarité", 16_000, "Huit défibrillateurs accessibles jour et nuit."),
    ("Composteurs de quartier", "environnement", 9_000,
     "Des composteurs collectifs avec un guide composteur."),
    ("Piste de pumptrack", "sport", 65_000, "Une piste à bosses pour vélos et trottinettes."),
    ("Espace de répit pour aidants", "solidarité", 30_000,
     "Un lieu d'accueil d'une journée pour souffler."),
    # refused (reason category, public text)
    ("Parking en centre-bourg", "mobilité", 150_000,
     "Vingt places de stationnement supplémentaires."),
    ("Piscine couverte", "sport", 2_500_000, "Un bassin de 25 mètres."),
    ("Éclairage du stade", "sport", 35_000, "Projecteurs pour les matchs en soirée."),
    ("Fresque sur le château d'eau", "culture", 20_000, "Une fresque par des artistes locaux."),
]
REFUSED = {
    "Parking en centre-bourg": ("competence", "Le stationnement relève de la commune, pas de "
                                "l'Agglomération."),
    "Piscine couverte": ("cout", "Le coût dépasse l'enveloppe du budget participatif."),
    "Éclairage du stade": ("existant", "Un projet identique est déjà financé en 2026."),
    "Fresque sur le château d'eau": ("technique", "Le château d'eau appartient au syndicat "
                                     "des eaux, qui ne l'autorise pas."),
}
MERGED = ("Composteurs de quartier", "Jardins partagés au bourg")


def seed_budget(engine=None) -> bool:
    """Seed the two demo editions; False if they exist already."""
    rng = random.Random(SEED)
    today = local_today()
    with write_transaction(engine) as conn:
        if conn.scalar(select(pb_edition.c.id).where(pb_edition.c.slug == EDITION)):
            return False
        _edition(conn, rng, EDITION, "Budget participatif de démonstration", "approval",
                 today - timedelta(days=120), today - timedelta(days=5), today + timedelta(days=25))
        _edition(conn, rng, PAST_EDITION,
                 "Budget participatif de démonstration (édition précédente)", "cumulative",
                 today - timedelta(days=200), today - timedelta(days=50),
                 today - timedelta(days=20))
        _edition(conn, rng, NEXT_EDITION,
                 "Budget participatif de démonstration (édition suivante)", "approval",
                 today - timedelta(days=10), today + timedelta(days=90),
                 today + timedelta(days=120), proposals_only=True)
    return True


def _edition(conn, rng: random.Random, slug: str, title: str, kind: str, proposals,
             vote_open, vote_close, proposals_only: bool = False) -> None:
    """One edition: the projects, the ballots (approval: up to 5 within the envelope;
    cumulative: 5 points, at most 3 on a project) and the letters' communes; with
    ``proposals_only``, an edition taking proposals (its first projects still to review)."""
    places = communes()
    edition = conn.execute(insert(pb_edition).values(
        slug=slug, title=title, budget=300_000, currency="EUR", proposals_open=proposals,
        proposals_close=proposals + timedelta(days=45), vote_open=vote_open,
        vote_close=vote_close, ballot_kind=kind,
        max_projects=5 if kind == "approval" else None,
        max_cost=300_000 if kind == "approval" else None,
        points=5 if kind == "cumulative" else None,
        max_points_per_project=3 if kind == "cumulative" else None,
        eligibility="token", min_age=11,
        rule="equalshares/add1-comparison" if kind == "approval" else "greedy",
        source="synthetique", meta_json=json.dumps({"order": [], "fields": {
            "comment": "Données synthétiques de démonstration"}}),
        created_at=datetime.now(UTC).replace(tzinfo=None))).inserted_primary_key[0]
    ids: dict[str, int] = {}
    for number, (name, category, cost, description) in enumerate(PROJECTS, start=1):
        refused = REFUSED.get(name)
        commune = None if number % 6 == 0 else rng.choice(places).code_insee
        ids[name] = conn.execute(insert(pb_project).values(
            edition_id=edition, code=str(number), title=f"{name} (fictif)",
            description=description, commune=commune, category=category,
            proposed_cost=round(cost * rng.uniform(0.7, 1.1), -3), cost=cost,
            status="non_recevable" if refused else "recevable",
            refusal_category=refused[0] if refused else None,
            refusal_text=refused[1] if refused else None,
            service="Direction de l'aménagement" if refused else "Services techniques",
            extra_json="{}", created_on=proposals + timedelta(days=10))).inserted_primary_key[0]
    if proposals_only:
        conn.execute(update(pb_project).where(pb_project.c.edition_id == edition).values(
            status="proposee", cost=None, refusal_category=None, refusal_text=None,
            service=None))
        return
    conn.execute(update(pb_project).where(pb_project.c.id == ids[MERGED[0]]).values(
        status="fusionnee", merged_into=ids[MERGED[1]]))
    votable = [t for t, *_rest in PROJECTS if t not in REFUSED]
    weights = [rng.paretovariate(1.5) for _t in votable]
    costs = {t: c for t, _c, c, _d in PROJECTS}
    days = (vote_close - vote_open).days if vote_close < local_today() else 5
    rows = []
    for voter in range(BALLOTS):
        chosen: dict[str, int] = {}
        for name in rng.choices(votable, weights, k=8):
            if kind == "cumulative":
                if sum(chosen.values()) < 5 and chosen.get(name, 0) < 3:
                    chosen[name] = chosen.get(name, 0) + 1
            elif (name not in chosen and len(chosen) < 5
                  and sum(costs[t] for t in chosen) + costs[name] <= 300_000):
                chosen[name] = 1
        ballot = conn.execute(insert(pb_ballot).values(
            edition_id=edition, code=f"S{voter + 1:05d}",
            voted_on=vote_open + timedelta(days=rng.randint(0, days)),
            voting_method="papier" if rng.random() < 0.15 else "internet",
            extra_json="{}")).inserted_primary_key[0]
        rows += [{"ballot_id": ballot, "project_id": ids[t], "position": i, "points": n}
                 for i, (t, n) in enumerate(chosen.items())]
    conn.execute(insert(pb_ballot_choice), rows)
    # The letters' communes (by population), used on voting days: turnout per commune.
    now = datetime.now(UTC).replace(tzinfo=None)
    where = rng.choices(places, [c.population for c in places], k=BALLOTS)
    conn.execute(insert(pb_token), [
        {"edition_id": edition, "commune": c.code_insee, "created_at": now,
         "used_on": vote_open + timedelta(days=rng.randint(0, days)),
         "token_sha256": hashlib.sha256(f"{slug}-{i}-{rng.random()}".encode()).hexdigest()}
        for i, c in enumerate(where)])
