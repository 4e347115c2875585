"""Many Voilà kernels write at once: 20 processes × 50 submissions to one SQLite file."""

from __future__ import annotations

import multiprocessing as mp
from datetime import datetime

from sqlalchemy import delete, func, select

from workbench.forms.publish import publish_spec_file
from workbench.storage import get_engine, read_connection
from workbench.storage.schema import answer, response

from .conftest import DEMO_SPEC

PROCESSES, EACH = 20, 50


def _participant(url: str, worker: int, start, errors) -> None:
    from workbench.forms.submission import submit_response

    from .test_forms_answers import valid_answers

    engine = get_engine(url)
    answers = valid_answers()
    start.wait()
    for i in range(EACH):
        try:
            submit_response("evaluation-transport", f"w{worker}-{i}", answers, engine=engine,
                            now=datetime(2026, 12, 1, 10))
        except Exception as error:
            errors.put(f"{worker}/{i}: {error!r}")


def test_twenty_processes_submit_a_thousand_answers_without_locking(tmp_path) -> None:
    from workbench.forms.publish import publish_spec_file
    from workbench.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'concurrent.sqlite'}"
    engine = get_engine(url)
    upgrade(engine)
    publish_spec_file(DEMO_SPEC, engine)
    context = mp.get_context("spawn")
    start, errors = context.Event(), context.Queue()
    workers = [context.Process(target=_participant, args=(url, n, start, errors))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=300)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    assert all(worker.exitcode == 0 for worker in workers)
    with read_connection(engine) as conn:
        assert conn.scalar(select(func.count()).select_from(response)) == PROCESSES * EACH
        per_response = conn.scalar(select(func.count()).select_from(answer)) / (PROCESSES * EACH)
    assert per_response == 14


THREADS = 24


def _at_once(action, n: int = THREADS) -> list[str]:
    """Run ``action(i)`` in ``n`` threads released together (each checks out its own
    connection); the errors, as text."""
    import threading

    barrier, errors = threading.Barrier(n), []

    def run(i: int) -> None:
        barrier.wait()
        try:
            action(i)
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_scores_of_one_pair_leave_one_row(engine) -> None:
    """Issue 17, defect 8: update-then-insert raced on PostgreSQL (IntegrityError)."""
    from workbench.foresight import scoring
    from workbench.storage.schema import micmac_score

    scoring.create_study("course", "Course", ["A", "B"], engine)
    group = scoring.find_group(scoring.create_group("course", "T", ["A"], engine), engine)
    errors = _at_once(lambda i: scoring.save_score(group, "A", "B", "0123"[i % 4], engine))
    assert errors == []
    with read_connection(engine) as conn:
        assert conn.scalar(select(func.count()).select_from(micmac_score)) == 1


def test_concurrent_presence_release_and_attendance_leave_one_row_each(engine) -> None:
    """The other update-then-insert and read-then-insert paths on a unique key."""
    from workbench.council.meetings import create_body, plan_meeting, record_attendance
    from workbench.storage import write_transaction
    from workbench.storage.schema import council_attendance, session_presence, session_release
    from workbench.storage.workshops import release_question, touch_presence
    from workbench.workshops.sessions import create_session

    from .test_council_meetings import TODAY, _members

    publish_spec_file(DEMO_SPEC, engine)
    session = create_session("evaluation-transport", "Atelier", False, engine)
    member = _members(engine, "a@exemple.invalid")[0]
    meeting = plan_meeting(create_body("Bureau", "bureau", engine), TODAY, "", "", "",
                           [member], engine)
    with write_transaction(engine) as conn:
        conn.execute(delete(council_attendance))

    def act(i: int) -> None:
        with write_transaction(engine) as conn:
            touch_presence(conn, session.id, "page", datetime(2026, 12, 1, 10, 0, i))
        with write_transaction(engine) as conn:
            release_question(conn, session.id, "q1", datetime(2026, 12, 1, 10))
        record_attendance(meeting, {member: i % 2 == 0}, engine)

    assert _at_once(act) == []
    with read_connection(engine) as conn:
        for table in (session_presence, session_release, council_attendance):
            assert conn.scalar(select(func.count()).select_from(table)) == 1


def test_concurrent_creations_of_one_name_give_one_row_and_french_refusals(engine) -> None:
    """Read-then-insert on a unique name: the losers get the French message, not an
    IntegrityError."""
    from workbench.council.meetings import create_body
    from workbench.foresight import scoring
    from workbench.storage.schema import council_body, micmac_study

    errors = _at_once(lambda i: scoring.create_study("unique", "Étude", ["A", "B"], engine))
    assert errors and all("existe déjà" in e for e in errors), errors
    bodies = set()
    assert _at_once(lambda i: bodies.add(create_body("Plénière", "plénière", engine))) == []
    assert len(bodies) == 1
    with read_connection(engine) as conn:
        for table in (micmac_study, council_body):
            assert conn.scalar(select(func.count()).select_from(table)) == 1


def test_concurrent_delphi_answers_and_committee_scores_replace_each_other(
        engine, tmp_path) -> None:
    """Delete-then-insert raced too: the same page sent twice at once on PostgreSQL."""
    from workbench.associations.grid import load_edition
    from workbench.associations.requests import import_requests
    from workbench.associations.scoring import assignments, record_scores
    from workbench.foresight import delphi_rounds
    from workbench.foresight.delphi import load_delphi
    from workbench.storage.schema import committee_review, committee_score, delphi_answer

    from .test_associations_subsidies import EDITION_FILE, ROWS, requests_file

    delphi = load_delphi("mobilite-2040")
    panelist = delphi_rounds.find_panelist(
        delphi.slug, delphi_rounds.create_panel(delphi.slug, 1, engine)[0], engine)
    errors = _at_once(lambda i: delphi_rounds.open_round(delphi, 1, engine), 6)
    assert errors == []
    import_requests(requests_file(tmp_path, *ROWS), engine)
    edition = load_edition(EDITION_FILE)
    request = assignments(edition, "Assesseur D (fictif)", engine)[0].request_id

    def act(i: int) -> None:
        assert delphi_rounds.submit_round(
            delphi, 1, panelist, {item: (1 + i % 5, "") for item, _s in delphi.items},
            engine) == {}
        record_scores(edition, request, "Assesseur D (fictif)", {"budget": i % 4}, "", engine)

    assert _at_once(act) == []
    with read_connection(engine) as conn:
        assert conn.scalar(select(func.count()).select_from(delphi_answer)) == len(delphi.items)
        assert conn.scalar(select(func.count()).select_from(committee_score)) == 1
        assert conn.scalar(select(func.count()).select_from(committee_review)) == 1
