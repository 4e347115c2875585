"""Consents (issue 19): recorded with date, source and text version, withdrawable, and
``consentement=non`` honoured — on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from workbench.budget.proposals import Proposal, ProposalErrors, submit_proposal
from workbench.council.members import import_members
from workbench.council.registry import save_member
from workbench.errors import WorkbenchError
from workbench.rgpd import consent
from workbench.rgpd.catalogue import load_catalogue
from workbench.rgpd.keys import person_key
from workbench.staff import audit
from workbench.staff.acting import Refused, acting_as
from workbench.storage import read_connection, write_transaction
from workbench.storage.migrate import upgrade
from workbench.storage.schema import consent_record, council_member, pb_edition

from .conftest import database_at
from .roles import AN, A, actor
from .test_rgpd_purge import MEMBER

HEADER = ("nom;email;telephone;commune;sexe;tranche_age;college;elu_communautaire;entree;"
          "sortie;consentement;conservation_jusqu_au\n")


def _records(engine) -> list:
    with read_connection(engine) as conn:
        return conn.execute(select(consent_record).order_by(consent_record.c.id)).all()


def test_the_consent_texts_have_a_version_that_follows_their_words() -> None:
    catalogue = load_catalogue()
    council = catalogue.consent(consent.COUNCIL)
    assert len(council.version) == 12
    changed = council.model_copy(update={"text": council.text + " Merci."})
    assert changed.version != council.version
    assert {c.id for c in catalogue.consents} == {consent.COUNCIL, consent.RECONTACT}


def test_a_consent_must_belong_to_a_processing_based_on_consent(tmp_path) -> None:
    from workbench.forms.issues import SpecError
    from workbench.rgpd.catalogue import catalogue_path

    text = catalogue_path().read_text(encoding="utf-8").replace(
        "processing: recontact\n", "processing: questionnaires\n")
    path = tmp_path / "traitements.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_catalogue(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1)
                if row.strip() == "processing: questionnaires")
    assert f"{path}:{line}" in str(raised.value)
    assert "n’est pas un traitement fondé sur le consentement" in str(raised.value)


def test_without_consent_an_import_refuses_contact_details_and_writes_nothing(
        engine, tmp_path) -> None:
    """Issue 19's defect: ``consentement=non`` was accepted silently, e-mail and all."""
    upgrade(engine)
    path = tmp_path / "membres.csv"
    path.write_text(HEADER
                    + "Anne;anne@exemple.invalid;;Paimpol;F;30-44 ans;habitants;non;2025-01-01;"
                      ";oui;\n"
                    + "Yann;yann@exemple.invalid;;Paimpol;H;30-44 ans;habitants;non;2025-01-01;"
                      ";non;\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as raised:
        import_members(path, engine=engine)
    assert "ligne 3" in str(raised.value) and "consentement" in str(raised.value)
    assert "n’a pas consenti" in str(raised.value)
    with read_connection(engine) as conn:
        assert conn.scalar(select(func.count()).select_from(council_member)) == 0
    assert _records(engine) == []
    path.write_text(HEADER
                    + "Anne;anne@exemple.invalid;;Paimpol;F;30-44 ans;habitants;non;2025-01-01;"
                      ";oui;\n"
                    + "Yann;;;Paimpol;H;30-44 ans;habitants;non;2025-01-01;;non;\n",
                    encoding="utf-8")
    assert import_members(path, engine=engine) == (2, 0)
    [record] = _records(engine)
    assert (record.purpose, record.source, record.ended_at) == (consent.COUNCIL, "registre",
                                                                None)
    assert record.email is None  # the registry holds the address, not the proof
    assert record.text_version == load_catalogue().consent(consent.COUNCIL).version
    assert import_members(path, engine=engine) == (0, 2)
    assert len(_records(engine)) == 1  # the same consent, not a second record


def test_a_withdrawn_member_consent_erases_the_contact_details_and_keeps_the_member(
        engine) -> None:
    from datetime import datetime

    upgrade(engine)
    member = save_member({**MEMBER, "telephone": "06 12 34 56 78"}, engine=engine)
    with pytest.raises(WorkbenchError, match="n’a pas consenti"):
        save_member({**MEMBER, "consentement": "non"}, member, engine=engine)
    done = consent.withdraw(" Claire@Exemple.invalid ", engine=engine)
    assert [r.purpose for r in done] == [consent.COUNCIL]
    with read_connection(engine) as conn:
        row = conn.execute(select(council_member)).one()
    assert (row.id, row.name, row.email, row.phone, row.consent) == (
        member, "Claire Le Goff", None, None, False)
    [record] = _records(engine)
    assert record.ended_how == "retrait" and record.subject_key == person_key(
        "claire@exemple.invalid")
    entry = next(e for e in audit.events(engine=engine) if e.action == "rgpd.consent_withdraw")
    assert "claire" not in f"{entry.summary}{entry.after}".lower()
    # Given again: only with a newly signed form dated after the withdrawal; a new record,
    # the old one stays as proof.
    with pytest.raises(WorkbenchError, match="a retiré son consentement"):
        save_member({**MEMBER}, member, engine=engine)
    with write_transaction(engine) as conn:
        conn.execute(consent_record.update().values(ended_at=datetime(2026, 1, 1)))
    save_member({**MEMBER, "date_consentement": "2026-03-01"}, member, engine=engine)
    assert [r.ended_how for r in _records(engine)] == ["retrait", None]
    save_member({**MEMBER, "email": "", "consentement": "non"}, member, engine=engine)
    assert [r.ended_how for r in _records(engine)] == ["retrait", "retrait"]


def test_a_new_text_version_replaces_the_consent_record(engine, monkeypatch) -> None:
    upgrade(engine)
    with write_transaction(engine) as conn:
        first = consent.give(conn, consent.RECONTACT, source="test", email="a@exemple.invalid")
        assert consent.give(conn, consent.RECONTACT, source="test",
                            email="A@exemple.invalid") == first
    monkeypatch.setattr(consent, "_version", lambda purpose: "v2v2v2v2v2v2")
    with write_transaction(engine) as conn:
        second = consent.give(conn, consent.RECONTACT, source="test",
                              email="a@exemple.invalid")
    old, new = _records(engine)
    assert (old.id, old.ended_how, old.email) == (first, "nouvelle-version", None)
    assert (new.id, new.text_version, new.email) == (second, "v2v2v2v2v2v2",
                                                       "a@exemple.invalid")


def _edition(engine) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import insert

    with write_transaction(engine) as conn:
        conn.execute(insert(pb_edition).values(
            slug="bp", title="bp", budget=1000, currency="EUR", ballot_kind="approval",
            eligibility="token", rule="greedy", source="saisie", meta_json="{}",
            proposals_open=date(2026, 11, 1), proposals_close=date(2026, 12, 31),
            created_at=datetime.now(UTC).replace(tzinfo=None)))


PROPOSAL = Proposal("Un abri à vélos", "Un abri couvert près de la gare, pour 20 vélos.",
                    "22162", "mobilite", 12000, "Anne Le Goff", phone="06 12 34 56 78")


def test_a_proposer_may_ask_to_be_recontacted_and_withdraw(engine, tmp_path) -> None:
    upgrade(engine)
    _edition(engine)
    with pytest.raises(ProposalErrors) as wrong:
        submit_proposal("bp", PROPOSAL.__class__(**{**PROPOSAL.__dict__, "recontact": True}),
                        submission_id="a" * 32, today=date(2026, 12, 1), engine=engine)
    assert "Donnez votre adresse électronique" in wrong.value.errors["recontact"]
    submit_proposal("bp", PROPOSAL, submission_id="b" * 32, today=date(2026, 12, 1),
                    engine=engine)  # not ticked: no consent
    assert _records(engine) == []
    submit_proposal("bp", PROPOSAL.__class__(**{**PROPOSAL.__dict__, "title": "Des bancs",
                                                "email": "anne@exemple.invalid",
                                                "recontact": True}),
                    submission_id="c" * 32, today=date(2026, 12, 1), engine=engine)
    [contact] = consent.active_contacts(engine=engine)
    assert (contact.name, contact.email, contact.source) == (
        "Anne Le Goff", "anne@exemple.invalid", "budget-participatif")
    with acting_as(actor(AN)), pytest.raises(Refused):
        consent.withdraw("anne@exemple.invalid", engine=engine)
    consent.withdraw("anne@exemple.invalid", consent.RECONTACT, engine=engine)
    assert consent.active_contacts(engine=engine) == []
    [record] = _records(engine)
    assert (record.email, record.name, record.ended_how) == (None, None, "retrait")


def test_the_consent_commands(tmp_path, monkeypatch) -> None:
    from workbench.cli import main
    from workbench.storage import get_engine

    from .conftest import sqlite_url

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    engine = get_engine(sqlite_url(tmp_path))
    upgrade(engine)
    save_member(dict(MEMBER), engine=engine)
    with write_transaction(engine) as conn:
        consent.give(conn, consent.RECONTACT, source="budget-participatif",
                     email="claire@exemple.invalid", name="Claire Le Goff")
    runner = CliRunner()
    shown = runner.invoke(main, ["rgpd", "consent", "--email", "claire@exemple.invalid"])
    assert shown.exit_code == 0, shown.output
    assert "conseil-coordonnees : donné le" in shown.output and "en cours" in shown.output
    listed = runner.invoke(main, ["rgpd", "recontact", "--output", str(tmp_path / "r.csv")])
    assert "1 personnes écrites" in listed.output, listed.output
    assert "claire@exemple.invalid" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    wrong = runner.invoke(main, ["rgpd", "consent", "--email", "claire@exemple.invalid",
                                 "--withdraw", "lettre"])
    assert wrong.exit_code != 0 and "« lettre » n’est pas un consentement" in wrong.output
    done = runner.invoke(main, ["rgpd", "consent", "--email", "claire@exemple.invalid",
                                "--withdraw", "all"])
    assert "Consentements retirés : 2." in done.output, done.output
    assert done.output.count("retiré.") == 2


# Defects found by the review of the first version (each test failed before its fix).

@pytest.fixture(params=["sqlite", "postgresql"])
def engine_at_0017(request, tmp_path):
    with database_at(request.param, tmp_path, "0017") as engine:
        yield engine


def test_the_migration_records_existing_consents_and_erases_contacts_kept_without(
        engine_at_0017) -> None:
    from datetime import datetime

    from sqlalchemy import insert

    with engine_at_0017.begin() as conn:
        for name, email, phone, given in (("Anne", "anne@exemple.invalid", None, True),
                                          ("Bob", "bob@exemple.invalid", "0601020304", False),
                                          ("Cléo", None, None, False)):
            conn.execute(insert(council_member).values(
                name=name, email=email, phone=phone, sex="F", age_band="30-44 ans",
                college="habitants", community_councillor=False, entry_date=date(2020, 1, 1),
                consent=given, created_at=datetime(2020, 1, 2)))
    upgrade(engine_at_0017)
    with read_connection(engine_at_0017) as conn:
        members = {r.name: r for r in conn.execute(select(council_member))}
    assert (members["Bob"].email, members["Bob"].phone) == (None, None)
    [record] = _records(engine_at_0017)
    assert (record.member_id, record.text_version, record.source) == (
        members["Anne"].id, "inconnue", "migration-0018")
    assert [r.purpose for r in consent.withdraw("ANNE@exemple.invalid",
                                                engine=engine_at_0017)] == [consent.COUNCIL]
    with read_connection(engine_at_0017) as conn:
        assert conn.scalar(select(council_member.c.email).where(
            council_member.c.name == "Anne")) is None


def test_a_member_registered_before_consent_records_can_still_withdraw(engine) -> None:
    upgrade(engine)
    member = save_member(dict(MEMBER), engine=engine)
    with write_transaction(engine) as conn:  # as if stored before consents had records
        conn.execute(consent_record.delete())
    consent.withdraw("claire@exemple.invalid", engine=engine)
    with read_connection(engine) as conn:
        row = conn.execute(select(council_member).where(council_member.c.id == member)).one()
    assert (row.email, row.consent) == (None, False)


def test_a_reimported_sheet_does_not_bring_back_a_withdrawn_member_s_contacts(
        engine, tmp_path) -> None:
    upgrade(engine)
    path = tmp_path / "membres.csv"
    row = ("Anne;anne@exemple.invalid;0601020304;Paimpol;F;30-44 ans;habitants;non;"
           "2025-01-01;;oui;\n")
    path.write_text(HEADER + row, encoding="utf-8")
    import_members(path, engine=engine)
    consent.withdraw("anne@exemple.invalid", engine=engine)
    with pytest.raises(WorkbenchError, match="a retiré son consentement le"):
        import_members(path, engine=engine)
    with read_connection(engine) as conn:
        rows = conn.execute(select(council_member)).all()
    assert [(r.name, r.email, r.phone) for r in rows] == [("Anne", None, None)]
    signed = HEADER.replace("consentement;", "consentement;date_consentement;")
    later = (date.today().replace(year=date.today().year + 1)).isoformat()
    path.write_text(signed + row.replace(";oui;", f";oui;{later};"), encoding="utf-8")
    assert import_members(path, engine=engine) == (0, 1)  # the same member, not a second
    with read_connection(engine) as conn:
        rows = conn.execute(select(council_member)).all()
    assert [(r.name, r.email, r.consent) for r in rows] == [
        ("Anne", "anne@exemple.invalid", True)]
    assert [(r.ended_how, r.given_at.date().isoformat()) for r in _records(engine)] == [
        ("retrait", date.today().isoformat()), (None, later)]


def test_a_new_consent_text_does_not_say_members_accepted_it(engine, monkeypatch) -> None:
    upgrade(engine)
    member = save_member(dict(MEMBER), engine=engine)
    monkeypatch.setattr(consent, "_version", lambda purpose: "v2v2v2v2v2v2")
    save_member({**MEMBER, "telephone": "06 12 34 56 78"}, member, engine=engine)
    [record] = _records(engine)
    assert record.ended_at is None and record.text_version != "v2v2v2v2v2v2"


def test_withdrawal_finds_a_member_whatever_the_case_or_a_changed_address(engine) -> None:
    upgrade(engine)
    member = save_member({**MEMBER, "email": "Claire@Exemple.invalid"}, engine=engine)
    save_member({**MEMBER, "email": "Claire.LeGoff@Mairie.example"}, member, engine=engine)
    done = consent.withdraw("claire.legoff@mairie.example", engine=engine)
    assert [r.purpose for r in done] == [consent.COUNCIL]
    with read_connection(engine) as conn:
        assert conn.scalar(select(council_member.c.email)) is None


def test_consenting_again_starts_the_three_years_again(engine) -> None:
    from datetime import datetime

    from sqlalchemy import update

    upgrade(engine)
    with write_transaction(engine) as conn:
        first = consent.give(conn, consent.RECONTACT, source="test", email="a@exemple.invalid")
        conn.execute(update(consent_record).values(given_at=datetime(2024, 1, 5)))
    with write_transaction(engine) as conn:
        assert consent.give(conn, consent.RECONTACT, source="budget-participatif",
                            email="a@exemple.invalid") == first
        assert consent.expired(conn, date(2027, 1, 6)) == []


def test_one_current_consent_per_person_and_purpose(engine) -> None:
    from datetime import datetime

    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    upgrade(engine)
    row = {"purpose": "recontact", "subject_key": "k" * 16, "text_version": "v",
           "given_at": datetime(2026, 1, 1), "source": "test"}
    with write_transaction(engine) as conn:
        conn.execute(insert(consent_record).values(**row, ended_at=datetime(2026, 2, 1)))
        conn.execute(insert(consent_record).values(**row))
    with pytest.raises(IntegrityError), write_transaction(engine) as conn:
        conn.execute(insert(consent_record).values(**row))


def test_the_recontact_list_and_a_person_s_consents_are_the_administrators(engine) -> None:
    upgrade(engine)
    with acting_as(actor(A)), pytest.raises(Refused):
        consent.active_contacts(engine=engine)
    with acting_as(actor(A)), pytest.raises(Refused):
        consent.consents_of("a@exemple.invalid", engine=engine)
    consent.consents_of("a@exemple.invalid", engine=engine)
    entry = audit.events(engine=engine)[0]
    assert entry.action == "rgpd.consent_search" and "exemple" not in str(entry)
