"""Retention enforced (issue 19, part): the purge's dry run and apply, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from workbench.council.registry import purge_expired, save_member
from workbench.forms.invitations import create_invitations
from workbench.forms.publish import publish_spec_file
from workbench.rgpd.purge import purge
from workbench.staff import accounts, audit
from workbench.staff.acting import Refused, acting_as
from workbench.storage import read_connection, write_transaction
from workbench.storage.migrate import upgrade
from workbench.storage.schema import (
    council_member,
    invitation,
    pb_edition,
    pb_project,
    pb_proposer,
    pb_voter_roll,
    staff_session,
)

from .roles import L, actor

TODAY = date(2026, 12, 1)
MEMBER = {"nom": "Claire Le Goff", "email": "claire@exemple.invalid", "telephone": "",
          "commune": "Paimpol", "sexe": "F", "tranche_age": "45-59 ans", "college": "habitants",
          "elu_communautaire": "non", "entree": "2008-09-01", "sortie": "",
          "consentement": "oui", "conservation_jusqu_au": ""}
SPEC = """title: "Questionnaire {slug}"
closes_at: {closes}
anonymity: {anonymity}
access: token
questions:
  - id: q
    type: short_text
    label: "Votre avis"
"""


def _form(engine, tmp_path, slug: str, closes: str, anonymity: str = "anonymous") -> None:
    path = tmp_path / f"{slug}.yaml"
    path.write_text(SPEC.format(slug=slug, closes=closes, anonymity=anonymity),
                    encoding="utf-8")
    publish_spec_file(path, engine)


def _invitations(engine, slug: str, named: int, used: int = 0) -> None:
    create_invitations(slug, [f"personne{i}@exemple.invalid" for i in range(named)], engine)
    if used:
        with write_transaction(engine) as conn:
            ids = conn.scalars(select(invitation.c.id).order_by(invitation.c.id.desc())
                               .limit(used)).all()
            conn.execute(invitation.update().where(invitation.c.id.in_(ids))
                         .values(used_on=TODAY - timedelta(days=3)))


def _prepare(engine, tmp_path) -> None:
    upgrade(engine)
    # Invitations: 3 of an open anonymous form (1 used), 2 of a closed one, 2 of an
    # identified form closed a year ago (kept: who answered), 1 closed 3 years ago.
    _form(engine, tmp_path, "ouvert", "2027-06-30")
    _invitations(engine, "ouvert", 3, used=1)
    _form(engine, tmp_path, "clos", "2026-06-30")
    _invitations(engine, "clos", 2)
    _form(engine, tmp_path, "nominatif", "2025-12-31", "identified")
    _invitations(engine, "nominatif", 2, used=2)
    _form(engine, tmp_path, "ancien", "2023-06-30", "identified")
    _invitations(engine, "ancien", 1)
    # Council: left in 2012 with no retention date; left last month; still there; with a
    # retention date passed.
    save_member({**MEMBER, "sortie": "2012-06-30"}, engine=engine)
    save_member({**MEMBER, "nom": "Yann", "email": "yann@exemple.invalid",
                 "sortie": "2026-11-01"}, engine=engine)
    save_member({**MEMBER, "nom": "Maïwenn", "email": "maiwenn@exemple.invalid"},
                engine=engine)
    save_member({**MEMBER, "nom": "Loïc", "email": "loic@exemple.invalid",
                 "sortie": "2025-06-30", "conservation_jusqu_au": "2026-06-30"},
                engine=engine)
    # Staff: a session ended two months ago, one used today; the links of the two accounts.
    link = accounts.add_account("agent@exemple.invalid", "Agent", ["lecture"], engine=engine)
    accounts.set_password(link, "une phrase de passe assez longue",
                          "une phrase de passe assez longue", engine=engine)
    accounts.sign_in("agent@exemple.invalid", "une phrase de passe assez longue",
                     engine=engine)
    old = datetime.combine(TODAY, datetime.min.time()) - timedelta(days=60)
    with write_transaction(engine) as conn:
        account = conn.scalar(select(staff_session.c.account_id))
        conn.execute(insert(staff_session).values(token_sha256="x" * 64, account_id=account,
                                                  created_at=old, last_seen_at=old,
                                                  ended_at=old))
        # Participatory budget: an edition closed in October 2025, one closed last week.
        now = datetime.now(UTC).replace(tzinfo=None)
        for slug, closed in (("bp-2025", date(2025, 10, 31)), ("bp-2026", date(2026, 11, 24))):
            edition = conn.execute(insert(pb_edition).values(
                slug=slug, title=slug, budget=1000, currency="EUR", ballot_kind="approval",
                eligibility="token", rule="greedy", source="saisie", meta_json="{}",
                vote_close=closed, created_at=now)).inserted_primary_key[0]
            for code in ("1", "2"):
                project = conn.execute(insert(pb_project).values(
                    edition_id=edition, code=code, title="Projet", description="",
                    status="recevable", extra_json="{}")).inserted_primary_key[0]
                conn.execute(insert(pb_proposer).values(
                    project_id=project, name="Porteur", email="porteur@exemple.invalid",
                    collected_on=date(2026, 1, 5)))
            conn.execute(insert(pb_voter_roll), [
                {"edition_id": edition, "identity_key": f"{slug}{i}".ljust(64, "0"),
                 "commune": "22070", "voted_on": closed, "flagged": False} for i in range(3)])


EXPECTED = {"invitations/destinataire": 4,  # 1 used + 2 of the closed form + 1 of 2023
            "conseil-registre/identite": 2,  # left in 2012 (no date) + retention passed
            "comptes-personnel/sessions": 1,  # the session ended two months ago
            "budget-participatif/porteurs": 2,  # the edition closed over a year ago
            "budget-participatif/liste-votants": 3}
# The other rules find nothing in these data (tests/test_rgpd_retention.py tries them).
EXPECTED |= dict.fromkeys(("questionnaires/reponses", "questionnaires/identite-invitation",
                           "conseil-tirage/volontaires", "prospective/justifications",
                           "comptes-personnel/compte", "comptes-personnel/journal",
                           "recontact/contact", "preuves-consentement/preuve"), 0)


def _counts(result) -> dict[str, int]:
    return {f"{p.processing}/{p.category}": p.count for p in result}


def test_the_purge_counts_then_erases_exactly_what_is_past_its_retention(engine,
                                                                         tmp_path) -> None:
    _prepare(engine, tmp_path)
    with read_connection(engine) as conn:
        before = conn.scalar(select(func.count()).select_from(invitation)
                             .where(invitation.c.recipient.is_not(None)))
    assert _counts(purge(TODAY, engine=engine)) == EXPECTED  # the dry run changes nothing
    assert _counts(purge(TODAY, engine=engine)) == EXPECTED
    assert _counts(purge(TODAY, apply=True, engine=engine)) == EXPECTED
    assert set(_counts(purge(TODAY, engine=engine)).values()) == {0}
    with read_connection(engine) as conn:
        assert conn.scalar(select(func.count()).select_from(invitation).where(
            invitation.c.recipient.is_not(None))) == before - 4
        names = sorted(conn.scalars(select(council_member.c.name)))
        assert [n for n in names if not n.startswith("Membre retiré")] == ["Maïwenn", "Yann"]
        assert conn.scalar(select(func.count()).select_from(council_member).where(
            council_member.c.email.is_not(None))) == 2
        assert conn.scalar(select(func.count()).select_from(pb_proposer)) == 2
        assert conn.scalar(select(func.count()).select_from(pb_voter_roll)) == 3
    purged = [e for e in audit.events(engine=engine) if e.action == "rgpd.purge"]
    assert len(purged) == 1 and "exemple.invalid" not in str(purged[0])


def test_a_member_who_left_long_ago_without_a_date_is_anonymised(engine) -> None:
    """Issue 19's defect: someone who left in 2012 with no retention date was kept for ever."""
    upgrade(engine)
    save_member({**MEMBER, "sortie": "2012-06-30"}, engine=engine)
    save_member({**MEMBER, "nom": "Yann", "email": "yann@exemple.invalid",
                 "sortie": "2026-11-01"}, engine=engine)  # left a month ago: kept a year
    assert purge_expired(TODAY, engine) == 1
    with read_connection(engine) as conn:
        assert sorted(conn.scalars(select(council_member.c.name)))[0].startswith(
            "Membre retiré")


def test_the_purge_is_the_administrators(sqlite_engine) -> None:
    upgrade(sqlite_engine)
    with acting_as(actor(L)), pytest.raises(Refused):
        purge(TODAY, engine=sqlite_engine)


def test_the_purge_command_is_a_dry_run_unless_told(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from workbench.cli import main
    from workbench.storage import get_engine

    from .conftest import sqlite_url

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    _prepare(get_engine(sqlite_url(tmp_path)), tmp_path)
    runner = CliRunner()
    dry = runner.invoke(main, ["rgpd", "purge", "--today", "2026-12-01"])
    assert dry.exit_code == 0, dry.output
    assert "invitations/destinataire : destinataires d’invitations effacés : 4" in dry.output
    assert "Essai à blanc : rien n’a été modifié (12 enregistrements le seraient)" in dry.output
    done = runner.invoke(main, ["rgpd", "purge", "--today", "2026-12-01", "--apply"])
    assert "Purge faite : 12 enregistrements effacés ou anonymisés." in done.output
    assert "(0 enregistrements le seraient)" in runner.invoke(
        main, ["rgpd", "purge", "--today", "2026-12-01"]).output
