"""A synthetic demo council: ~60 members, a year of meetings, 3 avis with 12 recommendations.

Every name says it is fictitious ("Membre fictif 07"); the seed is fixed, and seeding twice
adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from workbench.council.follow_up import POSITIONS
from workbench.council.meetings import add_meeting, create_body, plan_meeting
from workbench.council.members import AGE_BANDS, COLLEGES
from workbench.rgpd.consent import council_consent
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    avis_milestone,
    avis_recommendation,
    council_avis,
    council_member,
)
from workbench.territory import communes
from workbench.territory.clock import local_today

__all__ = ["seed_council"]

SEED = 2026
MEMBERS = 60


def _members(rng: random.Random, year: int, engine) -> list[int]:
    places = list(communes())
    weights = [c.population for c in places]
    with write_transaction(engine) as conn:
        ids = []
        for i in range(MEMBERS):
            member = conn.scalar(insert(council_member).values(
                name=f"Membre fictif {i + 1:02d}",
                email=f"membre-fictif-{i + 1:02d}@exemple.invalid", phone=None,
                commune=rng.choices(places, weights)[0].code_insee,
                sex="F" if i % 2 == 0 else "H",
                age_band=rng.choices(AGE_BANDS, [14, 15, 21, 30, 20])[0],
                college=rng.choices(COLLEGES, [50, 25, 15, 10])[0],
                community_councillor=False, entry_date=date(year - 1, 9, 1), exit_date=None,
                consent=True, retention_until=date(year + 5, 9, 1),
                created_at=date(year - 1, 9, 1)).returning(council_member.c.id))
            council_consent(conn, member, True, f"membre-fictif-{i + 1:02d}@exemple.invalid")
            ids.append(member)
    return ids


def _meetings(rng: random.Random, year: int, members: list[int], engine) -> None:
    plan = [("Assemblée plénière", "plénière", 4, members),
            ("Bureau", "bureau", 6, members[:12]),
            ("Groupe de travail Mobilités", "groupe de travail", 5, members[10:30]),
            ("Groupe de travail Transition écologique", "groupe de travail", 5,
             members[28:50])]
    for name, kind, count, invited in plan:
        body = create_body(name, kind, engine)
        for k in range(count):
            held = date(year, 1, 15) + timedelta(days=int(k * 330 / count) + rng.randint(0, 9))
            attendance = {m: rng.random() < 0.72 for m in invited}
            if name == "Assemblée plénière" and k < 3:
                attendance[members[-1]] = False  # a member absent three times in a row
            add_meeting(body, held, rng.choice(["Guingamp", "Paimpol", "Bégard"]),
                        f"Séance {k + 1} : ordre du jour", attendance, engine)
    if year == local_today().year:  # today's plenary, for members to sign in on the demo
        plan_meeting(create_body("Assemblée plénière", "plénière", engine), local_today(),
                     "Guingamp, salle du conseil", "Avis sur le plan de mobilité",
                     "Projet d'avis (PDF)\nDiaporama de la séance", members, engine)


def _avis(rng: random.Random, year: int, engine) -> None:
    avis = [("avis-mobilites", "Avis sur les mobilités du quotidien", "auto-saisine",
             date(year, 2, 20), 5),
            ("avis-plan-climat", "Avis sur le plan climat-air-énergie territorial", "saisine",
             date(year, 5, 14), 4),
            ("avis-habitat", "Avis sur le programme local de l'habitat", "saisine",
             date(year, 9, 24), 3)]
    with write_transaction(engine) as conn:
        for slug, title, kind, adopted, count in avis:
            avis_id = conn.scalar(insert(council_avis).values(
                slug=slug, title=title, kind=kind, adopted_on=adopted,
                text="Texte adopté (démonstration).").returning(council_avis.c.id))
            for n in range(count):
                answered = rng.random() < 0.7 and adopted + timedelta(days=60) < date(year, 11, 1)
                answered_on = adopted + timedelta(days=rng.randint(25, 120)) if answered else None
                position = rng.choice(POSITIONS) if answered else None
                rec = conn.scalar(insert(avis_recommendation).values(
                    avis_id=avis_id, text=f"Recommandation {n + 1} de l'{title.lower()}",
                    addressee=rng.choice(["Président", "Vice-présidente mobilités",
                                          "Service habitat", "Service environnement"]),
                    due_on=None, answered_on=answered_on,
                    position=position,
                    answer="Réponse (démonstration)." if answered else None)
                    .returning(avis_recommendation.c.id))
                if position in ("retenue", "partiellement retenue") and rng.random() < 0.8:
                    conn.execute(insert(avis_milestone).values(
                        recommendation_id=rec, on_date=answered_on + timedelta(days=60),
                        status=rng.choice(["engagée", "réalisée"]), evidence="Délibération"))


def seed_council(year: int, engine=None) -> bool:
    """Seed the demo council for ``year`` once; False if members already exist."""
    with read_connection(engine) as conn:
        if conn.scalar(select(func.count()).select_from(council_member)):
            return False
    rng = random.Random(SEED)
    members = _members(rng, year, engine)
    _meetings(rng, year, members, engine)
    _avis(rng, year, engine)
    return True
