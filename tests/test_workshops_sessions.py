"""Workshop sessions on SQLite and PostgreSQL: lifecycle, paced questions, live counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workbench.forms.access import AccessDenied
from workbench.forms.answers import AnswerErrors
from workbench.forms.submission import submit_response
from workbench.storage import read_connection, write_transaction
from workbench.storage.responses import iter_responses
from workbench.storage.workshops import (
    answer_counts,
    count_present,
    session_answers,
    session_fingerprint,
    touch_presence,
)
from workbench.workshops import sessions

SLUG = "evaluation-transport"


@pytest.fixture
def session(engine, demo_form):
    """An open, paced session on the demo questionnaire."""
    created = sessions.create_session(SLUG, "Atelier de Pabu", paced=True, engine=engine)
    return sessions.open_session(created.code, engine)


def test_a_new_session_is_a_draft_with_a_readable_code(engine, demo_form) -> None:
    created = sessions.create_session(SLUG, "", paced=False, engine=engine)
    assert created.status == "draft" and len(created.code) == 6
    assert not set(created.code) & set("01ILOU")
    assert created.title == "Évaluation participative du réseau de transport"
    with pytest.raises(AccessDenied) as early:
        submit_response(SLUG, "x", {"commune": "22070"}, session_code=created.code,
                        engine=engine)
    assert "La séance n'a pas encore commencé" in str(early.value)


def test_only_released_questions_are_asked(engine, session) -> None:
    with pytest.raises(AnswerErrors) as nothing:
        submit_response(SLUG, "p1-a", {"commune": "22070"}, session_code=session.code,
                        engine=engine)
    assert nothing.value.errors == {"_": "Questions inconnues : commune"}
    sessions.release(session.code, "commune", engine)
    assert submit_response(SLUG, "p1-b", {"commune": "22070"}, session_code=session.code,
                           engine=engine).created
    sessions.release(session.code, "satisfaction", engine)
    # The required questions are only those released, and the form's dates do not apply.
    receipt = submit_response(SLUG, "p1-c", {"satisfaction": 8}, session_code=session.code,
                              engine=engine, now=datetime(2030, 1, 1))
    assert receipt.created
    with read_connection(engine) as conn:
        assert answer_counts(conn, session.id) == {"commune": 1, "satisfaction": 1}
        assert session_answers(conn, session.id) == {"commune": ["22070"], "satisfaction": [8]}


def test_withdrawn_questions_are_no_longer_asked(engine, session) -> None:
    sessions.release(session.code, "commune", engine)
    state = sessions.withdraw(session.code, "commune", engine)
    assert state.released == ()


def test_a_closed_session_takes_no_more_answers(engine, session) -> None:
    sessions.release(session.code, "commune", engine)
    sessions.close_session(session.code, engine)
    with pytest.raises(AccessDenied) as closed:
        submit_response(SLUG, "late", {"commune": "22070"}, session_code=session.code,
                        engine=engine)
    assert str(closed.value) == "La séance est terminée. Merci de votre participation !"


def test_the_fingerprint_changes_with_every_answer(engine, session) -> None:
    sessions.release(session.code, "commune", engine)
    with read_connection(engine) as conn:
        before = session_fingerprint(conn, session.id)
    submit_response(SLUG, "fp-1", {"commune": "22070"}, session_code=session.code,
                    engine=engine)
    with read_connection(engine) as conn:
        assert session_fingerprint(conn, session.id) != before


def test_freezing_is_recorded(engine, session) -> None:
    assert sessions.freeze_session(session.code, True, engine).frozen
    assert not sessions.freeze_session(session.code, False, engine).frozen


def test_presence_counts_recent_pages_only(engine, session) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with write_transaction(engine) as conn:
        touch_presence(conn, session.id, "page-a", now)
        touch_presence(conn, session.id, "page-b", now - timedelta(minutes=5))
        touch_presence(conn, session.id, "page-a", now)
    with read_connection(engine) as conn:
        assert count_present(conn, session.id, now) == 1


def test_session_answers_are_kept_apart_from_other_responses(engine, session) -> None:
    sessions.release(session.code, "commune", engine)
    submit_response(SLUG, "in-session", {"commune": "22070"}, session_code=session.code,
                    engine=engine)
    with read_connection(engine) as conn:
        in_session = list(iter_responses(conn, SLUG, session.id))
    assert [r.answers for r in in_session] == [{"commune": "22070"}]


def test_an_unknown_session_code_is_a_french_error(engine, demo_form) -> None:
    with pytest.raises(sessions.SessionNotFound) as missing:
        sessions.open_session("ZZZZZZ", engine)
    assert str(missing.value) == "Aucune séance d'atelier avec le code ZZZZZZ."


def test_an_empty_round_is_refused(engine, session) -> None:
    sessions.release(session.code, "mot", engine)
    with pytest.raises(AnswerErrors) as empty:
        submit_response(SLUG, "empty", {"mot": ""}, session_code=session.code, engine=engine)
    assert empty.value.errors == {"_": "Il n'y a pas encore de réponse à envoyer."}


def test_a_closed_session_reopens_within_its_window_only(engine, session) -> None:
    """Issue 20: closing could not be undone; now it can, for a set time (24 h by default)."""
    from workbench.errors import WorkbenchError
    from workbench.storage.schema import workshop_session

    sessions.close_session(session.code, engine)
    reopened = sessions.open_session(session.code, engine)
    assert reopened.status == "open" and reopened.closed_at is None
    closed = sessions.close_session(session.code, engine)
    assert sessions.reopen_until(closed) == closed.closed_at + timedelta(hours=24)
    with write_transaction(engine) as conn:
        conn.execute(workshop_session.update().values(
            closed_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=25)))
    with pytest.raises(WorkbenchError, match="rouverte que dans les 24 heures"):
        sessions.open_session(session.code, engine)
    from workbench.staff import audit

    actions = [e.action for e in audit.events(engine=engine)]
    assert "session.reopen" in actions
