"""Many Voilà kernels write at once: 20 processes × 50 submissions to one SQLite file."""

from __future__ import annotations

import multiprocessing as mp
from datetime import datetime

from sqlalchemy import func, select

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
