"""Synthetic demo associations: ~400 over the 57 communes with realistic themes, ~120 subsidy
requests for the committee's year (and a few of the year before), the committee's 5 assessors'
scores, proposals and part of the votes.

Every name ends in "(fictive)", the rows are marked ``synthetique``, identifiers start with
``W229…`` (RNA) and ``99…`` (SIRET) and the seed is fixed; seeding twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, update

from workbench.associations.grid import load_edition
from workbench.associations.nomenclature import social_object
from workbench.associations.requests import DOCUMENTS, required_documents
from workbench.associations.scoring import record_decision, record_scores, store_proposals
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import association, subsidy_request
from workbench.territory import communes

__all__ = ["seed_associations"]

SEED = 2026
ASSOCIATIONS = 400
REQUESTS = 120
EDITION = "comite-2026"

# (WALDEC code, service, share of associations, name patterns)
KINDS = [
    ("011005", "sport", 9, ["Football club", "Union sportive", "Entente footballistique"]),
    ("011165", "sport", 5, ["Tennis club", "Club de tennis", "Tennis du littoral"]),
    ("011095", "sport", 4, ["Club nautique", "Cercle de voile", "Surf club"]),
    ("011180", "sport", 4, ["Union cycliste", "Vélo club", "Cyclotouristes"]),
    ("006070", "culture", 6, ["Compagnie de théâtre", "Troupe des Planches", "Théâtre du Trieux"]),
    ("006030", "culture", 5, ["Chorale", "École de musique", "Harmonie municipale"]),
    ("006045", "identité bretonne", 5, ["Bagad", "Cercle celtique", "Kanerien"]),
    ("006025", "culture", 3, ["Ciné-club", "Club photo", "Images du pays"]),
    ("030012", "culture", 6, ["Comité des fêtes", "Comité d'animation", "Amicale laïque"]),
    ("010022", "culture", 4, ["Les Amis du patrimoine", "Sauvegarde de la chapelle",
                              "Mémoire du pays"]),
    ("024050", "environnement", 4, ["Eau et rivières", "Les Jardins partagés",
                                    "Nature et littoral"]),
    ("020010", "social", 5, ["Épicerie solidaire", "Accueil des familles", "Entraide"]),
    ("021015", "social", 3, ["Club des aînés", "Générations mouvement", "Visites à domicile"]),
    ("015005", "jeunesse", 5, ["Association de parents d'élèves", "Parents d'élèves",
                               "APE"]),
    ("020020", "coopération internationale", 2, ["Jumelage", "Solidarité Bretagne-Afrique",
                                                 "Échanges européens"]),
    ("034240", "tourisme", 2, ["Office de découverte", "Les Sentiers du Goëlo",
                               "Accueil des visiteurs"]),
    ("030020", "économie", 2, ["Union des commerçants", "Artisans du pays",
                               "Marché de producteurs"]),
    ("005010", "communication", 2, ["Radio associative", "Journal du pays", "Média local"]),
    ("013010", "sport", 3, ["Gaule guingampaise", "Pêcheurs du Trieux", "AAPPMA"]),
    ("019016", "jeunesse", 3, ["Foyer des jeunes", "Maison des jeunes", "Point jeunes"]),
    ("006110", "identité bretonne", 2, ["Div Yezh", "Skol Vreizh", "Ti ar Vro"]),
    ("017065", "social", 2, ["Donneurs de sang", "Don du sang bénévole", "Amicale des donneurs"]),
]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _associations(rng: random.Random) -> list[dict]:
    places = list(communes())
    weights = [c.population for c in places]
    out = []
    for n in range(ASSOCIATIONS):
        code, service, _share, names = rng.choices(KINDS, [k[2] for k in KINDS])[0]
        place = rng.choices(places, weights)[0]
        created = date(rng.choice(range(1950, 2026)), rng.randint(1, 12), rng.randint(1, 28))
        dissolved = (created + timedelta(days=rng.randint(400, 9000))
                     if rng.random() < 0.08 else None)
        if dissolved and dissolved > date(2026, 10, 1):
            dissolved = None
        name = rng.choice(names)
        out.append({
            "rna": f"W229{n + 1:06d}", "siret": f"99{rng.randrange(10**11, 10**12)}"
            if rng.random() < 0.75 else None,
            "title": f"{name} de {place.nom} (fictive)", "short_title": None,
            "object": f"Association de démonstration ({social_object(code).label}).",
            "waldec": code, "waldec2": None, "commune": place.code_insee,
            "postcode": None, "address": f"{rng.randint(1, 40)} rue fictive",
            "created_on": created, "published_on": created + timedelta(days=30),
            "dissolved_on": dissolved, "position": "D" if dissolved else "A",
            "rna_updated": None, "source": "synthetique", "imported_at": _now(),
            "_service": service})
    return out


def _requests(rng: random.Random, pool: list[tuple[int, str]], year: int) -> list[dict]:
    out = []
    for n, (assoc, service) in enumerate(rng.sample(pool, REQUESTS)):
        kind = "projet" if rng.random() < 0.55 else "fonctionnement"
        renewal = rng.random() < 0.6
        requested = float(rng.choice([500, 800, 1200, 1500, 2000, 3000, 4500, 6000, 8000,
                                      12000, 25000]))
        needed = required_documents(kind, renewal)
        have = needed if n % 6 else [d for d in needed if rng.random() < 0.6]
        out.append({
            "reference": f"SUB-{year}-{n + 1:03d}", "association_id": assoc, "year": year,
            "service": service, "kind": kind, "renewal": renewal, "multi_year": False,
            "title": f"{'Projet' if kind == 'projet' else 'Fonctionnement'} {year} (fictif)",
            "description": "Demande de démonstration.", "objectives": "", "public": "",
            "start_on": date(year, 1, 1), "end_on": date(year, 12, 31),
            "budget_total": requested * rng.choice([2, 3, 4]), "amount_requested": requested,
            "other_funders": rng.choice(["", "Département", "Région, commune"]),
            "status": "passée en comité" if n % 6 else "reçue",
            "documents": "\n".join(d for d in DOCUMENTS if d in have),
            "edition": EDITION if n % 6 else None, "updated_at": _now()})
    return out


def _score(rng: random.Random, engine) -> None:
    """Each assessor scores their requests around the request's latent quality."""
    from workbench.associations.scoring import assignments

    edition = load_edition(EDITION)
    quality: dict[int, float] = {}
    for k, person in enumerate(edition.assessors):
        severity = rng.uniform(-0.4, 0.4)
        for item in assignments(edition, person.name, engine):
            if k == 4 and item.request_id % 5 == 0:
                continue  # not scored yet: the page resumes there
            base = quality.setdefault(item.request_id, rng.uniform(0.8, 4))
            scores = {c.id: max(0, min(4, round(base + severity + rng.gauss(0, 0.6))))
                      for c in edition.criteria_for(item.service)}
            record_scores(edition, item.request_id, person.name, scores, "", engine)


def seed_associations(engine=None) -> bool:
    """Seed the demo associations once; False if associations already exist."""
    with read_connection(engine) as conn:
        if conn.scalar(select(func.count()).select_from(association)):
            return False
    rng = random.Random(SEED)
    year = load_edition(EDITION).year
    rows = _associations(rng)
    with write_transaction(engine) as conn:
        ids = [(conn.scalar(insert(association).values(
            **{k: v for k, v in row.items() if not k.startswith("_")})
            .returning(association.c.id)), row["_service"], row["position"], row["siret"])
            for row in rows]
        # a subsidy needs a SIRET number: the requests come from associations that have one
        pool = [(i, s) for i, s, position, siret in ids if position == "A" and siret]
        conn.execute(insert(subsidy_request), _requests(rng, pool, year))
        # last year's grants, paid; some financial reports still awaited
        for n, (assoc, service) in enumerate(rng.sample(pool, 25)):
            conn.execute(insert(subsidy_request).values(
                reference=f"SUB-{year - 1}-{n + 1:03d}", association_id=assoc, year=year - 1,
                service=service, kind="fonctionnement", renewal=True, multi_year=False,
                title=f"Fonctionnement {year - 1} (fictif)", description="", objectives="",
                public="", amount_requested=2000.0, other_funders="", amount_proposed=1500.0,
                amount_voted=1500.0, decision_ref=f"DEL-{year - 1}-0{n % 3 + 4}",
                decision_on=date(year - 1, 4, 10), paid_on=date(year - 1, 5, 15),
                status="bilan reçu" if n % 3 else "versée",
                report_received_on=date(year, 3, 1) if n % 3 else None,
                documents="\n".join(DOCUMENTS), updated_at=_now()))
    _score(rng, engine)
    edition = load_edition(EDITION)
    store_proposals(edition, engine)
    with read_connection(engine) as conn:
        proposals = conn.execute(select(subsidy_request.c.id, subsidy_request.c.service,
                                        subsidy_request.c.amount_proposed)
                                 .where(subsidy_request.c.edition == EDITION)).all()
    for p in proposals:  # the culture and sport files were voted; the others await the vote
        if p.service in ("culture", "sport"):
            record_decision(p.id, p.amount_proposed or 0, f"DEL-{year}-042",
                            date(year, 6, 26), engine)
    with write_transaction(engine) as conn:
        conn.execute(update(subsidy_request).where(
            subsidy_request.c.edition == EDITION, subsidy_request.c.status == "votée",
            subsidy_request.c.service == "sport").values(
            status="versée", paid_on=date(year, 7, 15)))
    return True
