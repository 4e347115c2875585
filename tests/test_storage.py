"""Storage on SQLite and PostgreSQL: migrations, submissions, invitations, anonymity."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text

from workbench.forms.access import AccessDenied
from workbench.forms.answers import AnswerErrors
from workbench.forms.invitations import create_invitations
from workbench.forms.submission import submit_response
from workbench.storage import read_connection, write_transaction
from workbench.storage.migrate import schema_status, upgrade
from workbench.storage.responses import iter_responses
from workbench.storage.schema import invitation, metadata, response, response_identity
from workbench.territory.clock import local_today

from .test_forms_answers import valid_answers

SLUG = "evaluation-transport"
DURING = datetime(2026, 12, 1, 10, 0)


def count(engine, table) -> int:
    with read_connection(engine) as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_migrations_build_exactly_the_schema(engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_check_reports_the_head(engine) -> None:
    status = upgrade(engine)
    assert status.up_to_date and status.current == status.head
    assert schema_status(engine).up_to_date


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1


def test_a_submission_is_stored_whole_with_its_version(engine, demo_form) -> None:
    receipt = submit_response(SLUG, "sub-1", valid_answers(), engine=engine, now=DURING)
    assert receipt.created and len(receipt.code) == 9
    with read_connection(engine) as conn:
        [stored] = iter_responses(conn, SLUG)
    assert stored.receipt == receipt.code
    assert stored.version == demo_form.version
    assert stored.answers["satisfaction"] == 7
    assert stored.answers["modes"] == {"choices": ["voiture", "velo"], "other": None}


def test_the_same_submission_id_never_stores_twice(engine, demo_form) -> None:
    first = submit_response(SLUG, "sub-2", valid_answers(), engine=engine, now=DURING)
    again = submit_response(SLUG, "sub-2", valid_answers(satisfaction=1), engine=engine,
                            now=DURING)
    assert again == type(first)(first.code, created=False)
    assert count(engine, response) == 1


def test_invalid_answers_store_nothing(engine, demo_form) -> None:
    with pytest.raises(AnswerErrors):
        submit_response(SLUG, "sub-3", valid_answers(satisfaction=None), engine=engine,
                        now=DURING)
    assert count(engine, response) == 0


def test_closed_and_not_yet_open_forms_refuse_answers(engine, demo_form) -> None:
    with pytest.raises(AccessDenied) as closed:
        submit_response(SLUG, "late", valid_answers(), engine=engine,
                        now=datetime(2027, 7, 1, 9, 0))
    assert closed.value.code == "closed"
    assert "Ce questionnaire est clos depuis le 30/06/2027" in str(closed.value)
    with pytest.raises(AccessDenied) as early:
        submit_response(SLUG, "early", valid_answers(), engine=engine,
                        now=datetime(2026, 10, 1, 9, 0))
    assert "il ouvrira le 02/11/2026" in str(early.value)
    assert count(engine, response) == 0


def test_the_closing_day_itself_is_still_open(engine, demo_form) -> None:
    receipt = submit_response(SLUG, "last-day", valid_answers(), engine=engine,
                              now=datetime(2027, 6, 30, 23, 30))
    assert receipt.created


def test_a_token_form_needs_a_valid_unused_token(engine, token_form) -> None:
    answers = {"college": "associations", "satisfaction": 8}
    with pytest.raises(AccessDenied) as missing:
        submit_response("consultation-conseil", "t-0", answers, engine=engine)
    assert missing.value.code == "token_required"
    with pytest.raises(AccessDenied) as forged:
        submit_response("consultation-conseil", "t-0", answers, token="forged", engine=engine)
    assert forged.value.code == "token_invalid"
    [issued] = create_invitations("consultation-conseil", [None], engine=engine)
    assert submit_response("consultation-conseil", "t-1", answers, token=issued.token,
                           engine=engine).created
    with pytest.raises(AccessDenied) as used:
        submit_response("consultation-conseil", "t-2", answers, token=issued.token,
                        engine=engine)
    assert used.value.code == "token_used"
    assert "Ce lien d'invitation a déjà servi" in str(used.value)
    # A resubmission of the very same answer still gets its receipt, not an error.
    assert not submit_response("consultation-conseil", "t-1", answers, token=issued.token,
                               engine=engine).created
    assert count(engine, response) == 1


def test_tokens_are_stored_hashed(engine, token_form) -> None:
    [issued] = create_invitations("consultation-conseil", ["Anne <anne@example.org>"],
                                  engine=engine)
    with read_connection(engine) as conn:
        stored = conn.execute(select(invitation)).one()
    assert issued.token not in str(tuple(stored))
    assert len(stored.token_sha256) == 64


def test_anonymous_answers_have_no_join_path_to_invitations(engine, token_form) -> None:
    """Schema level: no foreign key leads from response/answer to invitation, except through
    response_identity, which anonymous forms never write; the use is recorded as a day."""
    graph: dict[str, set[str]] = {}
    inspector = inspect(engine)
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            graph.setdefault(table, set()).add(fk["referred_table"])
            graph.setdefault(fk["referred_table"], set()).add(table)
    graph.pop("response_identity", None)
    for links in graph.values():
        links.discard("response_identity")
    reachable, todo = set(), ["response"]
    while todo:
        table = todo.pop()
        if table not in reachable:
            reachable.add(table)
            todo += [t for t in graph.get(table, ()) if t != "form_version"]
    assert "invitation" not in reachable
    response_columns = {c["name"] for c in inspector.get_columns("response")}
    assert not response_columns & {"invitation_id", "token", "token_sha256", "recipient"}
    invitation_columns = {c["name"]: c for c in inspector.get_columns("invitation")}
    assert "used_at" not in invitation_columns and "used_on" in invitation_columns

    [issued] = create_invitations("consultation-conseil", ["Anne"], engine=engine)
    submit_response("consultation-conseil", "anon-1", {"college": "habitants",
                    "satisfaction": 5}, token=issued.token, engine=engine)
    assert count(engine, response_identity) == 0
    with read_connection(engine) as conn:
        # the day on the territory (Europe/Paris), not the server's
        assert conn.scalar(select(invitation.c.used_on)) == local_today()


def test_identified_forms_link_the_answer_to_its_invitation(engine) -> None:
    from workbench.forms.publish import publish_spec_file

    from .conftest import FIXTURES

    publish_spec_file(FIXTURES / "widgets" / "avis-identifie.yaml", engine)
    [issued] = create_invitations("avis-identifie", ["Yann"], engine=engine)
    submit_response("avis-identifie", "id-1", {"avis": "reserve"}, token=issued.token,
                    engine=engine)
    with read_connection(engine) as conn:
        row = conn.execute(text(
            "select i.recipient from response_identity ri "
            "join invitation i on i.id = ri.invitation_id")).one()
    assert row.recipient == "Yann"


def test_publishing_an_unchanged_spec_keeps_its_version(engine, demo_form) -> None:
    from workbench.forms.publish import publish_spec_file

    from .conftest import DEMO_SPEC

    again, created = publish_spec_file(DEMO_SPEC, engine)
    assert not created and again.version == demo_form.version


def test_participant_kernels_hold_no_postgresql_connection_between_requests(
        monkeypatch) -> None:
    """One process per page: pooled connections in each exhausted PostgreSQL at ~100 pages."""
    import uuid

    from workbench.storage.engine import get_engine as engine_for
    from workbench.web.serve import public_app_environment

    from .conftest import POSTGRES_URL, postgres_or_fail

    postgres_or_fail()
    name = f"wb-kernel-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("WORKBENCH_DB_POOL",
                       public_app_environment(public_url="http://127.0.0.1:1")
                       .get("WORKBENCH_DB_POOL", ""))
    engine = engine_for(f"{POSTGRES_URL}?application_name={name}")
    with read_connection(engine) as conn:
        assert conn.execute(text("select 1")).scalar() == 1
    with write_transaction(engine) as conn:
        conn.execute(text("select 1"))
    with create_engine(POSTGRES_URL).connect() as admin:
        held = admin.scalar(text("select count(*) from pg_stat_activity "
                                 "where application_name = :name"), {"name": name})
    assert held == 0
