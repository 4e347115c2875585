"""The projected pages of a live session on SQLite and PostgreSQL: people counted (not answers
nor rounds), the closed state, the QR page."""

from __future__ import annotations

import pytest

from workbench.forms.submission import submit_response
from workbench.storage import read_connection
from workbench.storage.workshops import answer_counts
from workbench.workshops import projection, results_page, sessions

from .test_light_front_end import assert_drawn

SLUG = "evaluation-transport"


class FakeTask:
    """Stands for the polling task of ``web.live.every`` (no event loop in the tests)."""

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@pytest.fixture
def tasks(monkeypatch, engine) -> list[FakeTask]:
    """The pages read ``engine`` and their polling tasks are recorded."""
    made: list[FakeTask] = []

    def every(_seconds, _callback):
        made.append(FakeTask())
        return made[-1]

    for module in (results_page, projection):
        monkeypatch.setattr(module, "get_engine", lambda: engine)
        monkeypatch.setattr(module, "every", every)
    return made


@pytest.fixture
def session(engine, demo_form):
    """An open paced session with two questions released."""
    created = sessions.create_session(SLUG, "Atelier <de> Pabu", paced=True, engine=engine)
    sessions.open_session(created.code, engine)
    sessions.release(created.code, "commune", engine)
    return sessions.release(created.code, "satisfaction", engine)


def answer_rounds(engine, code: str, people: int, first: int = 0) -> None:
    """Each person answers in two rounds (two responses, one answer each), as phones do."""
    for person in range(first, first + people):
        browser = f"{person:032x}"
        submit_response(SLUG, f"{browser}:{code}:round-commune", {"commune": "22070"},
                        session_code=code, engine=engine)
        submit_response(SLUG, f"{browser}:{code}:round-satisfaction", {"satisfaction": 8},
                        session_code=code, engine=engine)


def test_people_are_the_browsers_not_the_rounds() -> None:
    from workbench.workshops.participants import distinct_people

    assert distinct_people(["a:K:1", "a:K:2", "b:K:1", "plain-id"]) == 3
    assert distinct_people([]) == 0


def test_the_qr_page_counts_people_not_answers(engine, session, tasks) -> None:
    """7 people, 2 rounds each: 14 answers, 7 participants (the old page said 14 answers)."""
    answer_rounds(engine, session.code, 7)
    page = projection.ProjectionPage(session.code, "https://participer.example.fr/")
    assert "7 participants ont répondu" in page.count.value
    assert "réponses reçues" not in page.count.value
    body = page.body.value
    assert 'role="img"' in body and "QR code qui ouvre le questionnaire" in body
    assert "participer.example.fr" in body and f"class='wb-code'>{session.code}<" in body
    assert "Atelier &lt;de&gt; Pabu" in body and "<de>" not in body
    from workbench.workshops.participants import count_participants

    with read_connection(engine) as conn:
        assert sum(answer_counts(conn, session.id).values()) == 14
        assert count_participants(conn, session.id) == 7


def test_one_participant_is_singular(engine, session, tasks) -> None:
    answer_rounds(engine, session.code, 1)
    page = projection.ProjectionPage(session.code, "https://participer.example.fr")
    assert "1 participant a répondu" in page.count.value


def test_the_results_page_counts_people_and_says_live(engine, session, tasks) -> None:
    answer_rounds(engine, session.code, 6)
    page = results_page.ResultsPage(session.code)
    assert "Séance " + session.code + " · 6 participants" in page.header.value
    assert "role='status'" in page.banner.value and "Résultats en direct" in page.banner.value
    assert "6 réponses" in page.cards.value
    assert "<style>" in page.root.children[0].value
    assert len(tasks) == 1 and not tasks[0].cancelled


def test_a_closed_session_says_so_and_stops_polling(engine, session, tasks) -> None:
    answer_rounds(engine, session.code, 5)
    page = results_page.ResultsPage(session.code)
    sessions.close_session(session.code, engine)
    page.refresh()
    shown = page.header.value + page.banner.value + page.cards.value
    assert "Séance close : voici les résultats définitifs." in page.banner.value
    assert "role='status'" in page.banner.value and "wb-state-closed" in page.banner.value
    assert "en direct" not in shown
    assert tasks[0].cancelled and page.closed
    # A page opened on a closed session draws the final results and never polls.
    again = results_page.ResultsPage(session.code)
    assert len(tasks) == 1 and again.closed and "5 réponses" in again.cards.value


def test_a_closed_session_shows_its_final_results_even_if_frozen(engine, session,
                                                                  tasks) -> None:
    answer_rounds(engine, session.code, 5)
    page = results_page.ResultsPage(session.code)
    sessions.freeze_session(session.code, True, engine)
    answer_rounds(engine, session.code, 1, first=5)  # a sixth person during the discussion
    page.refresh()
    assert "Résultats figés" in page.banner.value and "5 réponses" in page.cards.value
    sessions.close_session(session.code, engine)
    page.refresh()
    assert "6 réponses" in page.cards.value and "Séance close" in page.banner.value


def test_the_qr_page_of_a_closed_session_stops_inviting(engine, session, tasks) -> None:
    answer_rounds(engine, session.code, 2)
    page = projection.ProjectionPage(session.code, "https://participer.example.fr")
    assert "<svg" in page.body.value and not tasks[0].cancelled
    sessions.close_session(session.code, engine)
    page.refresh()
    assert "<svg" not in page.body.value and "Séance close" in page.body.value
    assert "role='status'" in page.body.value
    assert tasks[0].cancelled and "2 participants ont répondu" in page.count.value


def test_the_results_page_creates_only_models_the_light_front_end_draws(
        engine, session, tasks, created_models) -> None:
    results_page.ResultsPage("ZZZZZZ")  # unknown session
    page = results_page.ResultsPage(session.code)  # fewer than 5 people
    answer_rounds(engine, session.code, 6)
    page.refresh()
    sessions.close_session(session.code, engine)
    page.refresh()
    assert_drawn(created_models)
