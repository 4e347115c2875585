"""Retention of the other categories (issue 19): answers' free text, identified answers' link,
draws' volunteers, Delphi justifications, disabled staff accounts, the audit trail and
consents — exact counts of the dry run and of the purge, on both databases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from workbench.forms.invitations import create_invitations
from workbench.forms.publish import publish_spec_file
from workbench.forms.submission import submit_response
from workbench.rgpd import consent
from workbench.rgpd.purge import purge
from workbench.staff import accounts
from workbench.staff.acting import Refused
from workbench.storage import read_connection, write_transaction
from workbench.storage.migrate import upgrade
from workbench.storage.schema import (
    answer,
    audit_event,
    consent_record,
    council_draw,
    delphi_answer,
    delphi_panelist,
    response,
    response_identity,
    staff_account,
)

from .test_rgpd_purge import TODAY

SPEC = """title: "Questionnaire {slug}"
{closes}anonymity: {anonymity}
access: {access}
questions:
  - id: avis
    type: long_text
    label: "Votre avis"
    required: false
  - id: modes
    type: multiple_choice
    label: "Vos modes de transport"
    other: true
    options:
      - {{value: bus, label: "Bus"}}
      - {{value: velo, label: "Vélo"}}
"""
EXPECTED = {
    "questionnaires/reponses": 7,  # "vieux": 3 texts + 2 "other"; "sans-date": 1; "nominatif": 1
    "questionnaires/identite-invitation": 1,
    "conseil-tirage/volontaires": 1,  # the 2023 draw, followed by one in June 2024
    "prospective/justifications": 2,  # the study last answered in January 2024
    "comptes-personnel/compte": 1,  # disabled in January 2026
    "comptes-personnel/journal": 1,  # the 2020 entry
    "recontact/contact": 1,  # given in 2023
    "preuves-consentement/preuve": 1,  # a consent ended in 2020
}


def _form(engine, tmp_path, slug: str, closes: str | None, anonymity: str = "anonymous",
          access: str = "open") -> None:
    path = tmp_path / f"{slug}.yaml"
    path.write_text(SPEC.format(slug=slug, closes=f"closes_at: {closes}\n" if closes else "",
                                anonymity=anonymity, access=access), encoding="utf-8")
    publish_spec_file(path, engine)


def _answer(engine, slug: str, n: int, on: datetime, text: str = "Un avis",
            other: str | None = None, token: str | None = None) -> None:
    submit_response(slug, f"{slug}-{n}".ljust(32, "x"),
                    {"avis": text, "modes": {"choices": ["bus", "autre"] if other else ["bus"],
                                             "other": other}},
                    token=token, engine=engine, now=on, submitted_at=on)


def _prepare(engine, tmp_path) -> None:
    upgrade(engine)
    _form(engine, tmp_path, "vieux", "2024-06-30")
    for n in range(3):
        _answer(engine, "vieux", n, datetime(2024, 3, 1), other="Trottinette" if n else None)
    _form(engine, tmp_path, "recent", "2026-06-30")
    _answer(engine, "recent", 0, datetime(2026, 3, 1), other="Covoiturage")
    _form(engine, tmp_path, "sans-date", None)  # left open: its last answer counts
    _answer(engine, "sans-date", 0, datetime(2023, 5, 1))
    _form(engine, tmp_path, "nominatif", "2024-01-31", "identified", "token")
    [invited] = create_invitations("nominatif", ["Anne <anne@exemple.invalid>"], engine)
    _answer(engine, "nominatif", 0, datetime(2024, 1, 10), token=invited.token)
    link = accounts.add_account("parti@exemple.invalid", "Parti", ["lecture"], engine=engine)
    accounts.add_account("parti2@exemple.invalid", "Parti 2", ["lecture"], engine=engine)
    assert link
    for email in ("parti@exemple.invalid", "parti2@exemple.invalid"):
        accounts.disable_account(email, engine=engine)
    with write_transaction(engine) as conn:
        conn.execute(update(staff_account).where(staff_account.c.email == "parti@exemple.invalid")
                     .values(disabled_at=datetime(2026, 1, 10)))
        for drawn in (datetime(2023, 1, 10), datetime(2024, 6, 1), datetime(2026, 6, 1)):
            conn.execute(insert(council_draw).values(
                drawn_at=drawn, inputs_sha256="0" * 64, algorithm="legacy", seed=1, seats=2,
                panel_json='["v1", "v2"]', probabilities_json='{"v1": 0.5}',
                audit_json='{"volontaires": []}'))
        for study, on in (("ancienne", datetime(2024, 1, 15)), ("recente", datetime(2026, 10, 1))):
            panelist = conn.execute(insert(delphi_panelist).values(
                study=study, token_sha256=study.ljust(64, "0"), created_at=on)
            ).inserted_primary_key[0]
            for item, why in (("a", "Parce que"), ("b", "Vu sur le terrain"), ("c", "")):
                conn.execute(insert(delphi_answer).values(
                    study=study, round=1, panelist_id=panelist, item_id=item, value=3,
                    justification=why, answered_at=on))
        conn.execute(insert(audit_event), [
            {"at": at, "actor": "ancien@exemple.invalid", "action": "test.old",
             "object_type": "x", "object_id": "1", "summary": "ancien"}
            for at in (datetime(2020, 5, 1), datetime(2023, 5, 1))])
        for email in ("vieux@exemple.invalid", "neuf@exemple.invalid"):
            consent.give(conn, consent.RECONTACT, source="test", email=email, name="Quelqu’un")
        conn.execute(update(consent_record).where(
            consent_record.c.email == "vieux@exemple.invalid").values(
                given_at=datetime(2023, 6, 1)))
        ended = consent.give(conn, consent.RECONTACT, source="test", email="fini@exemple.invalid")
        consent.end_consents(conn, [ended], consent.Ended.WITHDRAWN)
        conn.execute(update(consent_record).where(consent_record.c.id == ended).values(
            given_at=datetime(2019, 1, 1), ended_at=datetime(2020, 6, 1)))


def _counts(result) -> dict[str, int]:
    return {key: p.count for p in result if (key := f"{p.processing}/{p.category}") in EXPECTED}


def test_every_category_s_retention_is_enforced(engine, tmp_path) -> None:
    _prepare(engine, tmp_path)
    assert _counts(purge(TODAY, engine=engine)) == EXPECTED
    assert _counts(purge(TODAY, apply=True, engine=engine)) == EXPECTED
    assert set(_counts(purge(TODAY, engine=engine)).values()) == {0}
    with read_connection(engine) as conn:
        values = {(slug, q): v for slug, q, v in conn.execute(
            select(response.c.submission_id, answer.c.question_id, answer.c.value_json)
            .join(answer, answer.c.response_id == response.c.id))}
        assert not any(slug.startswith(("vieux", "sans-date", "nominatif")) and q == "avis"
                       for slug, q in values)
        assert json.loads(values[("vieux-1".ljust(32, "x"), "modes")]) == {
            "choices": ["bus", "autre"], "other": None}  # the choice stays, the text goes
        assert json.loads(values[("recent-0".ljust(32, "x"), "modes")])["other"] == (
            "Covoiturage")
        assert conn.scalar(select(func.count()).select_from(response)) == 6  # answers stay
        assert conn.execute(select(response_identity)).all() == []
        draws = conn.execute(select(council_draw).order_by(council_draw.c.drawn_at)).all()
        assert [(d.panel_json, d.audit_json is None) for d in draws] == [
            ("[]", True), ('["v1", "v2"]', False), ('["v1", "v2"]', False)]
        assert sorted(conn.execute(select(delphi_answer.c.study, delphi_answer.c.justification)
                                   .where(delphi_answer.c.justification != ""))) == [
            ("recente", "Parce que"), ("recente", "Vu sur le terrain")]
        assert conn.scalar(select(func.count()).select_from(delphi_answer)) == 6
        emails = sorted(conn.scalars(select(staff_account.c.email)))
        assert "parti@exemple.invalid" not in emails and "parti2@exemple.invalid" in emails
        assert [e.action for e in conn.execute(select(audit_event.c.action).where(
            audit_event.c.action == "test.old"))] == ["test.old"]  # the 2023 entry stays
        records = {r.subject_key: r for r in conn.execute(select(consent_record))}
    assert len(records) == 2
    assert sorted((r.ended_how or "", r.email or "") for r in records.values()) == [
        ("", "neuf@exemple.invalid"), ("expiration", "")]


def test_the_database_refuses_to_delete_an_audit_entry_younger_than_five_years(engine) -> None:
    upgrade(engine)
    with write_transaction(engine) as conn:
        conn.execute(insert(audit_event), [
            {"at": at, "actor": "x", "action": "test", "object_type": "x", "object_id": "1",
             "summary": "x"} for at in (datetime(2019, 1, 1), datetime(2024, 1, 1))])
    with pytest.raises(DBAPIError, match="append-only"), write_transaction(engine) as conn:
        conn.execute(delete(audit_event).where(audit_event.c.at > datetime(2023, 1, 1)))
    with write_transaction(engine) as conn:  # past its retention: the purge may delete it
        conn.execute(delete(audit_event).where(audit_event.c.at < datetime(2020, 1, 1)))
    with pytest.raises(DBAPIError, match="append-only"), write_transaction(engine) as conn:
        conn.execute(update(audit_event).values(summary="y"))


def test_a_purge_is_applied_today_at_the_latest(engine) -> None:
    upgrade(engine)
    with pytest.raises(Refused, match="au plus tard aujourd’hui"):
        purge(date.today() + timedelta(days=1), apply=True, engine=engine)


@pytest.fixture
def local_date_ahead(monkeypatch):
    """The server's clock in a time zone 14 hours ahead of UTC (its local date is often the
    next day)."""
    import time as clock

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def test_the_audit_rule_never_selects_what_the_database_refuses(engine,
                                                                local_date_ahead) -> None:
    """The trigger counts 5 years on the UTC clock; the server's local date may be a day
    ahead (Europe/Paris after midnight): an entry 5 years old less an hour is never chosen,
    whatever day the purge is told, so the purge is not rolled back."""
    from workbench.rgpd.purge import _old_events

    upgrade(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    with write_transaction(engine) as conn:
        conn.execute(insert(audit_event).values(
            at=months_after_dt(now, -60) + timedelta(hours=1), actor="x", action="test",
            object_type="x", object_id="1", summary="x"))
    with read_connection(engine) as conn:
        for day in (now.date(), now.date() + timedelta(days=1), date(2031, 6, 1)):
            assert _old_events(conn, day) == []
    purge(apply=True, engine=engine)


def months_after_dt(moment: datetime, months: int) -> datetime:
    from workbench.dates import months_after

    return datetime.combine(months_after(moment.date(), months), moment.time())


def test_free_text_of_a_question_a_later_version_dropped_is_purged_too(engine,
                                                                      tmp_path) -> None:
    upgrade(engine)
    _form(engine, tmp_path, "change", "2024-06-30")
    _answer(engine, "change", 0, datetime(2024, 3, 1), text="Jean, 3 rue des Lilas, 0601020304")
    path = tmp_path / "change.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: avis\n    type: long_text\n    label: \"Votre avis\"\n    required: false\n",
        ""), encoding="utf-8")
    publish_spec_file(path, engine)  # version 2 has no "avis"
    counts = {f"{p.processing}/{p.category}": p.count for p in purge(TODAY, engine=engine)}
    assert counts["questionnaires/reponses"] == 1


def test_recipients_of_an_identified_form_without_closing_date_go_with_its_answers(
        engine, tmp_path) -> None:
    upgrade(engine)
    _form(engine, tmp_path, "nominatif", None, "identified", "token")
    [invited] = create_invitations("nominatif", ["Anne <anne@exemple.invalid>"], engine)
    _answer(engine, "nominatif", 0, datetime(2023, 5, 1), token=invited.token)
    counts = {f"{p.processing}/{p.category}": p.count for p in purge(TODAY, engine=engine)}
    assert (counts["invitations/destinataire"], counts["questionnaires/identite-invitation"]
            ) == (1, 1)
