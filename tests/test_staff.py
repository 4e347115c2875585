"""Staff accounts, sessions, the permission check and the append-only audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from workbench.staff import accounts, audit
from workbench.staff.acting import Refused, acting_as, current, require
from workbench.staff.roles import Permission, Role
from workbench.staff.sessions import end_session, session_actor
from workbench.storage import read_connection, write_transaction
from workbench.storage.migrate import upgrade
from workbench.storage.schema import audit_event, staff_account, staff_session

from .roles import actor

PASSWORD = "une phrase assez longue pour le test"


def _account(engine, email="anne@agglo.test", roles=("animateur",)) -> str:
    link = accounts.add_account(email, "Anne Test", list(roles), engine=engine)
    accounts.set_password(link, PASSWORD, PASSWORD, engine=engine)
    return email


def test_an_account_signs_in_with_its_password_and_acts_with_its_roles(engine) -> None:
    upgrade(engine)
    email = _account(engine)
    secret = accounts.sign_in("  ANNE@agglo.test ", PASSWORD, engine=engine)
    assert secret
    person = session_actor(secret, engine=engine)
    assert person.label == email and person.roles == {Role.ANIMATEUR}
    assert require(Permission.SESSIONS, person, engine).label == email
    with pytest.raises(Refused, match="Vos rôles ne vous permettent pas cette action"):
        require(Permission.ACCOUNTS, person, engine)
    with read_connection(engine) as conn:  # argon2id, and the session only hashed
        stored = conn.scalar(select(staff_account.c.password_hash))
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        assert secret not in str(conn.execute(select(staff_session)).all())


def test_the_answer_is_the_same_for_an_unknown_e_mail_and_a_wrong_password(engine) -> None:
    upgrade(engine)
    _account(engine)
    assert accounts.sign_in("anne@agglo.test", "wrong password here", engine=engine) is None
    assert accounts.sign_in("nobody@agglo.test", PASSWORD, engine=engine) is None


def test_failed_sign_ins_lock_the_account_for_a_growing_time(engine, monkeypatch) -> None:
    monkeypatch.setattr(accounts, "_unknown", {})
    upgrade(engine)
    _account(engine)
    for _attempt in range(accounts.FREE_FAILURES - 1):
        assert accounts.sign_in("anne@agglo.test", "not the password", engine=engine) is None
    assert accounts.sign_in("anne@agglo.test", "not the password", engine=engine) is None
    with pytest.raises(accounts.LockedOut, match="attendez 1 minute avant"):
        accounts.sign_in("anne@agglo.test", PASSWORD, engine=engine)  # even the right one
    assert accounts.lockout_delay(5) == timedelta(minutes=1)
    assert accounts.lockout_delay(7) == timedelta(minutes=4)
    assert accounts.lockout_delay(30) == timedelta(hours=1)
    assert accounts.lockout_delay(10_000) == timedelta(hours=1)  # overflowed from the 46th
    # The unknown e-mail gets the same lockout (no account enumeration).
    for _attempt in range(accounts.FREE_FAILURES):
        accounts.sign_in("ghost@agglo.test", "not the password", engine=engine)
    with pytest.raises(accounts.LockedOut):
        accounts.sign_in("ghost@agglo.test", "not the password", engine=engine)


def test_sign_out_disabling_and_idle_time_end_what_a_page_may_do(engine, monkeypatch) -> None:
    upgrade(engine)
    _account(engine)
    first = accounts.sign_in("anne@agglo.test", PASSWORD, engine=engine)
    second = accounts.sign_in("anne@agglo.test", PASSWORD, engine=engine)
    end_session(first, engine=engine)
    assert session_actor(first, engine=engine) is None
    assert session_actor(second, engine=engine) is not None
    with write_transaction(engine) as conn:  # 31 minutes without use
        for row in conn.execute(select(staff_session.c.id, staff_session.c.last_seen_at)).all():
            conn.execute(update(staff_session).where(staff_session.c.id == row.id).values(
                last_seen_at=row.last_seen_at - timedelta(minutes=31)))
    assert session_actor(second, engine=engine) is None
    monkeypatch.setenv("WORKBENCH_STAFF_IDLE_MINUTES", "60")
    assert session_actor(second, engine=engine) is not None
    accounts.disable_account("anne@agglo.test", engine=engine)
    assert session_actor(second, engine=engine) is None
    assert accounts.sign_in("anne@agglo.test", PASSWORD, engine=engine) is None


def test_a_password_link_is_used_once_and_checks_the_password(engine) -> None:
    upgrade(engine)
    link = accounts.add_account("bob@agglo.test", "Bob", ["lecture"], engine=engine)
    with pytest.raises(Refused, match="différents"):
        accounts.set_password(link, PASSWORD, PASSWORD + "x", engine=engine)
    with pytest.raises(Refused, match="au moins 12"):
        accounts.set_password(link, "court", "court", engine=engine)
    assert accounts.set_password(link, PASSWORD, PASSWORD, engine=engine) == "bob@agglo.test"
    with pytest.raises(Refused, match="plus valable"):
        accounts.set_password(link, PASSWORD, PASSWORD, engine=engine)


def test_account_commands_need_the_accounts_permission(engine) -> None:
    upgrade(engine)
    with acting_as(actor(Role.ANIMATEUR)), pytest.raises(Refused):
        accounts.add_account("eve@agglo.test", "Eve", ["administrateur"], engine=engine)
    with pytest.raises(Refused, match="Rôle inconnu"):
        accounts.add_account("eve@agglo.test", "Eve", ["chef"], engine=engine)
    assert accounts.accounts(engine) == []


def test_the_process_actor_follows_the_kernel_side(monkeypatch) -> None:
    monkeypatch.delenv("WORKBENCH_KERNEL_SIDE", raising=False)
    assert current().command_line
    monkeypatch.setenv("WORKBENCH_KERNEL_SIDE", "public")
    with pytest.raises(Refused, match="pas connecté"):
        require(Permission.READ)
    monkeypatch.setenv("WORKBENCH_KERNEL_SIDE", "staff")
    monkeypatch.delenv("WORKBENCH_STAFF_SESSION", raising=False)
    with pytest.raises(Refused, match="pas connecté"):
        require(Permission.READ)


def test_the_audit_trail_is_append_only_and_follows_its_transaction(engine) -> None:
    upgrade(engine)
    _account(engine)
    with read_connection(engine) as conn:
        entries = conn.execute(select(audit_event.c.action, audit_event.c.actor)).all()
    assert [e.action for e in entries] == ["account.add", "account.password_set"]
    with pytest.raises(RuntimeError), write_transaction(engine) as conn:
        audit.record(conn, "test.fail", "thing", 1, "rien")
        raise RuntimeError("the change fails")
    assert [e.action for e in audit.events(engine=engine)] == ["account.password_set",
                                                               "account.add"]
    replace = ("REPLACE INTO audit_event (id, at, actor, action, object_type, object_id, "
               "summary) SELECT id, at, 'evil', action, object_type, object_id, 'evil' "
               "FROM audit_event" if engine.dialect.name == "sqlite" else
               "INSERT INTO audit_event SELECT * FROM audit_event ON CONFLICT (id) DO UPDATE "
               "SET summary = 'evil'")
    for statement in ("UPDATE audit_event SET summary = 'x'", "DELETE FROM audit_event",
                      replace):
        with pytest.raises(DBAPIError, match="append-only"), write_transaction(engine) as conn:
            conn.execute(text(statement))
    assert len(audit.events(engine=engine)) == 2
    assert "evil" not in str([(e.actor, e.summary) for e in audit.events(engine=engine)])


def test_the_staff_commands_speak_french_and_print_a_one_time_link(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from workbench.cli import main
    from workbench.storage import get_engine

    from .conftest import sqlite_url

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    monkeypatch.setenv("WORKBENCH_STAFF_URL", "https://equipe.example.fr/")
    upgrade(get_engine(sqlite_url(tmp_path)))
    runner = CliRunner()

    def cli(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args))
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    assert "Aucun compte du personnel" in cli("staff", "list")
    added = cli("staff", "add", "Lea@Agglo.test", "--name", "Léa", "--role", "analyste",
                "--role", "lecture")
    assert "Compte créé : lea@agglo.test." in added
    link = re.search(r"https://equipe\.example\.fr/motdepasse\?lien=(\S+)", added).group(1)
    assert "analyste, lecture · en attente de son mot de passe" in cli("staff", "list")
    assert "Rôle inconnu « chef »" in cli("staff", "add", "x@agglo.test", "--name", "X",
                                        "--role", "chef", code=1)
    assert "existe déjà" in cli("staff", "add", "lea@agglo.test", "--name", "Léa", "--role",
                                "lecture", code=1)
    accounts.set_password(link, PASSWORD, PASSWORD)
    again = cli("staff", "reset-password", "lea@agglo.test")
    assert "lien=" in again and link not in again
    cli("staff", "set-roles", "lea@agglo.test", "--role", "animateur")
    assert "animateur · actif" in cli("staff", "list")
    assert "Compte désactivé" in cli("staff", "disable", "lea@agglo.test")
    assert "désactivé" in cli("staff", "list")
    assert "gérer les comptes du personnel" in cli("staff", "roles")
    assert "Aucun compte du personnel n’a l’adresse" in cli("staff", "disable", "no@agglo.test",
                                                            code=1)
    trail = [e.action for e in audit.events()]
    assert trail == ["account.disable", "account.roles", "account.password_link",
                     "account.password_set", "account.add"]
    assert all(e.actor.startswith("ligne de commande") or e.actor == "lea@agglo.test"
               for e in audit.events())


def test_the_demo_accounts_sign_in_with_the_printed_password_drawn_at_each_run(
        sqlite_engine) -> None:
    from workbench.demo.staff import ADMIN, seed_staff

    upgrade(sqlite_engine)
    email, first = seed_staff(sqlite_engine)
    assert email == ADMIN and accounts.sign_in(email, first, engine=sqlite_engine)
    _same, second = seed_staff(sqlite_engine)
    assert second != first and accounts.sign_in(email, first, engine=sqlite_engine) is None
    assert accounts.sign_in("assesseur.e@agglo.test", second, engine=sqlite_engine)
    roles = {r for a in accounts.accounts(sqlite_engine) for r in a.roles}
    assert roles == set(Role)


def test_reports_are_refused_to_roles_without_the_reports_permission(tmp_path) -> None:
    from workbench.reports.catalogue import find_report
    from workbench.reports.run import run_report
    from workbench.staff.roles import GRANTS

    from .roles import ROLES

    refused = [role for role in ROLES if Permission.REPORTS not in GRANTS[role]]
    assert Role.ANIMATEUR in refused and Role.ANALYSTE not in refused
    for role in refused:
        with acting_as(actor(role)), pytest.raises(Refused):
            run_report(find_report("questionnaire"), {"form": "x", "year": 0}, 2026,
                       root=tmp_path)
    with acting_as(actor(Role.LECTURE)), pytest.raises(Refused):  # a session's report too
        run_report(find_report("questionnaire"), {"form": "x", "year": 0}, 2026, root=tmp_path,
                   permission=Permission.SESSIONS)
    assert not list(tmp_path.iterdir())  # refused before anything is written


def test_parallel_wrong_passwords_pass_the_lockout_five_times_only(engine) -> None:
    """Each attempt is counted before argon2 runs: 20 at once cannot all be checked
    (attacker's review: 40 parallel attempts had 6 checked)."""
    from concurrent.futures import ThreadPoolExecutor

    upgrade(engine)
    _account(engine)

    def attempt(_n: int) -> str:
        try:
            return "checked" if accounts.sign_in("anne@agglo.test", "not the password",
                                                 engine=engine) is None else "in"
        except accounts.LockedOut:
            return "locked"

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(20)))
    assert results.count("checked") == accounts.FREE_FAILURES
    assert results.count("locked") == 20 - accounts.FREE_FAILURES


def test_the_address_throttle_counts_attempts_before_they_are_checked(monkeypatch) -> None:
    from workbench.web import throttle

    now = [1000.0]
    monkeypatch.setattr(throttle.time, "monotonic", lambda: now[0])
    guard = throttle.Throttle()
    started = [guard.attempt("a") for _ in range(8)]  # eight in flight at once
    assert started == [0] * 5 + [60] * 3
    for _ in range(5):
        guard.succeeded("a")  # all five were right after all
    assert guard.attempt("a") == 0
