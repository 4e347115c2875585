"""A person's rights (issue 19, part): find, export (access) and erase, on both databases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from workbench.associations.requests import import_requests
from workbench.council.meetings import add_meeting, create_body
from workbench.council.registry import save_member
from workbench.forms.invitations import create_invitations
from workbench.forms.publish import publish_spec_file
from workbench.forms.submission import submit_response
from workbench.rgpd import consent
from workbench.rgpd.person import erase_person, export_person, find_person, person_key
from workbench.staff import accounts, audit
from workbench.staff.acting import Refused, acting_as
from workbench.storage import read_connection, write_transaction
from workbench.storage.migrate import upgrade
from workbench.storage.schema import (
    committee_review,
    consent_record,
    council_member,
    invitation,
    pb_edition,
    pb_project,
    pb_proposer,
    response,
    response_identity,
    subsidy_request,
)

from .roles import AN, actor
from .test_associations_subsidies import ROWS, requests_file
from .test_rgpd_purge import MEMBER, SPEC

EMAIL = "anne.le-goff@exemple.invalid"


def _prepare(engine, tmp_path) -> int:
    upgrade(engine)
    member = save_member({**MEMBER, "nom": "Anne Le Goff", "email": "Anne.Le-Goff@exemple.invalid"},
                         engine=engine)
    save_member({**MEMBER, "nom": "Autre", "email": "autre@exemple.invalid"}, engine=engine)
    body = create_body("Plénière", "plénière", engine)
    add_meeting(body, date(2026, 10, 1), "Guingamp", "Ordre du jour", {member: True},
                engine=engine)
    path = tmp_path / "nominatif.yaml"
    path.write_text(SPEC.format(slug="nominatif", closes="2027-06-30", anonymity="identified"),
                    encoding="utf-8")
    publish_spec_file(path, engine)
    [invited] = create_invitations("nominatif", [f"Anne Le Goff <{EMAIL}>"], engine)
    submit_response("nominatif", "s" * 32, {"q": "Mon avis"}, token=invited.token,
                    engine=engine, now=datetime(2026, 11, 2, 10))
    submit_response("nominatif", "t" * 32, {"q": "Un autre avis"},
                    token=create_invitations("nominatif", ["x@exemple.invalid"], engine)[0]
                    .token, engine=engine, now=datetime(2026, 11, 2, 10))
    with write_transaction(engine) as conn:
        now = datetime.now(UTC).replace(tzinfo=None)
        edition = conn.execute(insert(pb_edition).values(
            slug="bp", title="bp", budget=1000, currency="EUR", ballot_kind="approval",
            eligibility="token", rule="greedy", source="saisie", meta_json="{}",
            created_at=now)).inserted_primary_key[0]
        project = conn.execute(insert(pb_project).values(
            edition_id=edition, code="1", title="Projet", description="", status="recevable",
            extra_json="{}")).inserted_primary_key[0]
        conn.execute(insert(pb_proposer).values(project_id=project, name="Anne Le Goff",
                                                email=EMAIL, collected_on=date(2026, 1, 5)))
        consent.give(conn, consent.RECONTACT, source="budget-participatif", email=EMAIL,
                     name="Anne Le Goff")
    import_requests(requests_file(tmp_path, *ROWS), engine)
    with write_transaction(engine) as conn:
        request = conn.scalar(select(subsidy_request.c.id).limit(1))
        conn.execute(insert(committee_review).values(edition="comite-2026", request_id=request,
                                                     assessor="Anne Le Goff", comment="Bon"))
    link = accounts.add_account(EMAIL, "Anne Le Goff", ["analyste"], engine=engine)
    accounts.set_password(link, "une phrase de passe assez longue",
                          "une phrase de passe assez longue", engine=engine)
    return member


SOURCES = ["conseil-registre/presences", "conseil-registre/identite",
           "preuves-consentement/preuve", "questionnaires/identite-invitation",
           "invitations/destinataire", "budget-participatif/porteurs", "comptes-personnel/compte",
           "comptes-personnel/journal", "associations/commission"]


def test_a_person_s_records_are_found_exported_and_erased(engine, tmp_path) -> None:
    member = _prepare(engine, tmp_path)
    found = find_person(f"  {EMAIL.upper()} ", "Anne Le Goff", engine=engine)
    assert [f"{f.processing}/{f.category}" for f in found] == SOURCES
    json_path, xlsx_path = export_person(found, tmp_path / "acces", person_key(EMAIL))
    exported = json.loads(json_path.read_text(encoding="utf-8"))
    assert exported["note"].startswith("Les réponses anonymes aux questionnaires ne sont liées")
    registry = next(r for r in exported["records"] if r["category"] == "identite")
    assert registry["records"][0]["name"] == "Anne Le Goff"
    assert "autre@exemple.invalid" not in json_path.read_text(encoding="utf-8")
    sheet = load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]] == ["Source", "Enregistrement", "Donnée", "Valeur"]
    with pytest.raises(Refused, match="Dites pourquoi"):
        erase_person(EMAIL, " ", "Anne Le Goff", engine=engine)
    done = erase_person(EMAIL, "demande écrite du 1er décembre 2026", "Anne Le Goff",
                        engine=engine)
    assert [f"{f.processing}/{f.category}" for f in done] == SOURCES
    kept = [f"{f.processing}/{f.category}" for f in done if f.kept]
    assert kept == ["conseil-registre/presences", "preuves-consentement/preuve",
                    "comptes-personnel/compte",
                    "comptes-personnel/journal", "associations/commission"]
    with read_connection(engine) as conn:
        row = conn.execute(select(council_member).where(council_member.c.id == member)).one()
        assert row.name.startswith("Membre retiré") and row.email is None
        assert row.sex == "F"  # what statistics need stays
        assert conn.scalar(select(council_member.c.email).where(
            council_member.c.name == "Autre")) == "autre@exemple.invalid"
        assert [r for r in conn.scalars(select(invitation.c.recipient)) if r] == [
            "x@exemple.invalid"]
        assert len(conn.execute(select(response_identity)).all()) == 1  # the other person's
        assert len(conn.execute(select(response)).all()) == 2  # answers stay, now anonymous
        assert conn.execute(select(pb_proposer)).all() == []
        # Both consents (the member's contact details, being recontacted) ended; their
        # proof keeps the dates and the hash of the address, not the address.
        proofs = conn.execute(select(consent_record).where(
            consent_record.c.subject_key == person_key(EMAIL))).all()
        assert sorted((p.purpose, p.ended_how, p.email) for p in proofs) == [
            ("conseil-coordonnees", "effacement", None), ("recontact", "effacement", None)]
    again = [f"{f.processing}/{f.category}"
             for f in find_person(EMAIL, "Anne Le Goff", engine=engine)]
    assert again == ["preuves-consentement/preuve", "comptes-personnel/compte",
                     "comptes-personnel/journal", "associations/commission"]
    trail = [e for e in audit.events(engine=engine) if e.action.startswith("rgpd.")]
    assert [e.action for e in trail] == ["rgpd.search", "rgpd.erase", "rgpd.search"]
    assert all(e.object_id == person_key(EMAIL) for e in trail)
    assert not any("anne" in f"{e.summary}{e.before}{e.after}".lower() for e in trail)


def test_a_person_s_records_are_the_administrators(sqlite_engine) -> None:
    upgrade(sqlite_engine)
    with acting_as(actor(AN)), pytest.raises(Refused):
        find_person(EMAIL, engine=sqlite_engine)
    with acting_as(actor(AN)), pytest.raises(Refused):
        erase_person(EMAIL, "demande", engine=sqlite_engine)


def test_the_person_command_exports_then_erases_after_confirmation(tmp_path,
                                                                   monkeypatch) -> None:
    from click.testing import CliRunner

    from workbench.cli import main
    from workbench.storage import get_engine

    from .conftest import sqlite_url

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    _prepare(get_engine(sqlite_url(tmp_path)), tmp_path)
    runner = CliRunner()
    shown = runner.invoke(main, ["rgpd", "person", "--email", EMAIL, "--name", "Anne Le Goff",
                                 "--export", str(tmp_path / "acces")])
    assert shown.exit_code == 0, shown.output
    assert "registre du conseil : 1" in shown.output and "Données écrites" in shown.output
    assert "conservé 5 ans" in shown.output
    refused = runner.invoke(main, ["rgpd", "person", "--email", EMAIL, "--erase", "--reason",
                                   "courriel du 1er décembre"], input="n\n")
    assert refused.exit_code == 1 and "C’est définitif" in refused.output
    erased = runner.invoke(main, ["rgpd", "person", "--email", EMAIL, "--erase", "--reason",
                                  "courriel du 1er décembre", "--yes"])
    assert erased.exit_code == 0 and "Effacé ou anonymisé : 4 sources" in erased.output
    assert "Aucune donnée" in runner.invoke(main, ["rgpd", "person", "--email",
                                                   "personne@exemple.invalid"]).output


def test_the_staff_page_shows_the_next_purge_the_register_and_a_person(sqlite_engine,
                                                                        tmp_path) -> None:
    from workbench.rgpd.staff_page import PersonalDataPage

    from .roles import ADMIN, I

    _prepare(sqlite_engine, tmp_path)
    with acting_as(actor(I)):
        refused = PersonalDataPage(sqlite_engine)
    assert "Vos rôles ne vous permettent pas" in refused.root.children[0].value
    with acting_as(actor(ADMIN)):
        page = PersonalDataPage(sqlite_engine)
        assert "destinataires d’invitations effacés" in page.purge.value
        assert "registre-traitements.xlsx" in page.register.value
        page.email.value = EMAIL
        page.find()
    assert "registre du conseil" in page.found.value and "conservé 5 ans" in page.found.value
    assert "consentements" in page.found.value
    with acting_as(actor(ADMIN)):
        page.withdraw()  # the member's contact details and the address to recontact go
    assert "Consentements retirés : 2." in page.found.value
    with read_connection(sqlite_engine) as conn:
        assert conn.scalar(select(council_member.c.email).where(
            council_member.c.name == "Anne Le Goff")) is None
