"""Planned meetings, the staff sign-in sheet, members signing in themselves, and the registry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from workbench.council.meetings import (
    SignIn,
    attempts_limit,
    attendance_sheet,
    attendance_stats,
    create_body,
    list_meetings,
    plan_meeting,
    record_attendance,
    sign_in,
    signin_activity,
)
from workbench.council.members import import_members
from workbench.council.registry import export_members, list_members, purge_expired, save_member
from workbench.errors import WorkbenchError
from workbench.storage import write_transaction
from workbench.storage.schema import council_member, council_signin_attempt
from workbench.territory.clock import local_today

TODAY = date(2026, 11, 29)


def _members(engine, *emails: str | None) -> list[int]:
    with write_transaction(engine) as conn:
        return [conn.scalar(insert(council_member).values(
            name=f"Membre {n}", email=email, commune="22070", sex="F", age_band="30-44 ans",
            college="habitants", community_councillor=False, entry_date=date(2025, 1, 1),
            consent=True, created_at=date(2025, 1, 1)).returning(council_member.c.id))
            for n, email in enumerate(emails)]


def _planned(engine, ids: list[int], on: date = TODAY) -> tuple[int, str]:
    body = create_body("Assemblée plénière", "plénière", engine)
    meeting = plan_meeting(body, on, "Guingamp", "Avis mobilités", "Projet d'avis\n\nDiaporama",
                           ids, engine)
    found = next(m for m in list_meetings(engine) if m.id == meeting)
    assert found.documents == ("Projet d'avis", "Diaporama")
    assert (found.invited, found.present) == (len(ids), 0)
    return meeting, found.signin_code


def test_members_sign_in_with_the_room_code_and_their_e_mail(engine) -> None:
    ids = _members(engine, "alice@exemple.invalid", "bruno@exemple.invalid", None)
    meeting, code = _planned(engine, ids[:2])
    assert sign_in(meeting, code, " Alice@Exemple.invalid ", TODAY, engine) == SignIn.SIGNED
    assert sign_in(meeting, code, "alice@exemple.invalid", TODAY, engine) == SignIn.ALREADY
    assert sign_in(meeting, code, "inconnu@exemple.invalid", TODAY, engine) == SignIn.NOT_INVITED
    assert sign_in(meeting, code, "", TODAY, engine) == SignIn.NOT_INVITED
    assert sign_in(meeting, "mauvais-code", "bruno@exemple.invalid", TODAY, engine) \
        == SignIn.UNKNOWN
    assert sign_in(meeting + 1, code, "bruno@exemple.invalid", TODAY, engine) == SignIn.UNKNOWN
    assert sign_in(meeting, code, "bruno@exemple.invalid", TODAY + timedelta(days=1),
                   engine) == SignIn.CLOSED
    sheet = {member: present for member, _name, present in attendance_sheet(meeting, engine)}
    assert sheet == {ids[0]: True, ids[1]: None}
    activity = signin_activity(meeting, engine)
    assert [name for name, _at in activity.signed] == ["Membre 0"]
    assert (activity.attempts, activity.unrecognised) == (4, 2) and not activity.unusual


def test_attempts_with_the_room_code_are_limited_and_shown_to_staff(engine) -> None:
    """Every attempt counts, whatever the address (none is kept): the moment the sign-in
    closes tells nothing of who is invited; past the limit, the sheet only."""
    ids = _members(engine, "alice@exemple.invalid", "bruno@exemple.invalid")
    meeting, code = _planned(engine, ids)
    limit = attempts_limit(2)
    assert limit == 12
    assert sign_in(meeting, code, "alice@exemple.invalid", TODAY, engine) == SignIn.SIGNED
    for n in range(limit - 1):
        assert sign_in(meeting, code, f"essai{n}@exemple.invalid", TODAY, engine) \
            == SignIn.NOT_INVITED
        if n == 4:
            assert signin_activity(meeting, engine).unusual
    # Now even an invited member's address is refused: the sheet at the entrance.
    assert sign_in(meeting, code, "bruno@exemple.invalid", TODAY, engine) == SignIn.LIMITED
    activity = signin_activity(meeting, engine)
    assert activity.closed and (activity.attempts, activity.unrecognised) == (limit, limit - 1)
    with engine.connect() as conn:
        stored = conn.execute(select(council_signin_attempt)).all()
    assert len(stored) == limit and "essai" not in repr(stored)  # no address kept


def test_unmarked_invitations_count_as_absences_once_the_day_is_over(engine) -> None:
    ids = _members(engine, "a@exemple.invalid", "b@exemple.invalid")
    meeting, code = _planned(engine, ids)
    sign_in(meeting, code, "a@exemple.invalid", TODAY, engine)
    during = attendance_stats(2026, engine, today=TODAY)
    assert dict((n, r) for n, _i, r in during.by_member) == {"Membre 0": 100.0}
    after = attendance_stats(2026, engine, today=TODAY + timedelta(days=1))
    assert dict((n, r) for n, _i, r in after.by_member) == {"Membre 0": 100.0, "Membre 1": 0.0}
    record_attendance(meeting, {ids[1]: True}, engine)  # the staff sheet corrects it
    assert attendance_stats(2026, engine, today=TODAY + timedelta(days=1)).overall == 100.0
    with pytest.raises(WorkbenchError, match="n'existe pas"):
        record_attendance(meeting + 9, {ids[1]: True}, engine)
    with pytest.raises(WorkbenchError, match="au moins un membre"):
        plan_meeting(create_body("Bureau", "bureau", engine), TODAY, "", "", "", [], engine)


FIELDS = {"nom": "Claire Le Goff", "email": "claire@exemple.invalid", "telephone": "",
          "commune": "Paimpol", "sexe": "F", "tranche_age": "45-59 ans", "college": "habitants",
          "elu_communautaire": "non", "entree": "2026-01-10", "sortie": "",
          "consentement": "oui", "conservation_jusqu_au": ""}


def test_staff_add_and_edit_members_with_french_errors(engine) -> None:
    member = save_member(FIELDS, engine=engine)
    save_member({**FIELDS, "college": "associations"}, member, engine)
    record = next(r for r in list_members(engine) if r.id == member)
    assert record.fields["college"] == "associations" and record.fields["commune"] == "22162"
    for field, value, expected in (("sexe", "X", "Champ « Sexe »"),
                                   ("entree", "demain", "Champ « Entrée »"),
                                   ("sortie", "2025-01-01", "la date de sortie précède"),
                                   ("commune", "Brest", "Champ « Commune »")):
        with pytest.raises(WorkbenchError, match=expected):
            save_member({**FIELDS, field: value}, member, engine)
    with pytest.raises(WorkbenchError, match="déjà cette adresse"):
        save_member({**FIELDS, "nom": "Homonyme"}, None, engine)


def test_the_registry_exports_in_the_import_format_and_purges(engine, tmp_path) -> None:
    member = save_member(FIELDS, engine=engine)
    save_member({**FIELDS, "nom": "Yann", "email": "yann@exemple.invalid", "sexe": "H",
                 "sortie": "2026-06-30", "conservation_jusqu_au": "2026-09-30"}, engine=engine)
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"registre.{suffix}"
        assert export_members(path, engine) == 2
        assert import_members(path, engine) == (0, 2)  # round trip: nothing new
    assert purge_expired(TODAY, engine) == 1
    assert purge_expired(TODAY, engine) == 0
    names = {r.fields["nom"]: r for r in list_members(engine)}
    gone = next(r for n, r in names.items() if n.startswith("Membre retiré"))
    assert gone.fields["email"] == "" and gone.fields["sexe"] == "H"
    assert names["Claire Le Goff"].id == member


def test_one_page_signs_in_three_people_at_most(tmp_path, monkeypatch) -> None:
    """The limit is the kernel's: a page whose 'another member' button is gone cannot be
    driven further by sending the first button's clicks again."""
    from workbench.council.signin_page import MAX_ATTEMPTS, SignInPage
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade

    from .conftest import sqlite_url

    url = sqlite_url(tmp_path)
    engine = get_engine(url)
    upgrade(engine)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    emails = [f"m{n}@exemple.invalid" for n in range(5)]
    ids = _members(engine, *emails)
    meeting, code = _planned(engine, ids, on=local_today())
    page = SignInPage(str(meeting), code)
    for email in emails:
        page.email.value = email
        page._sign()  # what a click on "Je suis présent·e" runs, even when hidden
    marked = [present for _m, _n, present in attendance_sheet(meeting, engine)]
    assert marked.count(True) == MAX_ATTEMPTS == 3
