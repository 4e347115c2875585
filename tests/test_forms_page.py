"""The participant page without a browser: the widgets react as a participant would see."""

from __future__ import annotations

import html

import pytest

from workbench.forms.page import QuestionnairePage
from workbench.forms.publish import publish_spec_file

from .conftest import DEMO_SPEC, sqlite_url
from .test_forms_answers import valid_answers


@pytest.fixture
def page_db(tmp_path, monkeypatch, sqlite_engine):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    publish_spec_file(DEMO_SPEC, sqlite_engine)
    return sqlite_engine


def panel_text(page: QuestionnairePage) -> str:
    """The text of the page's panels, as the browser shows it."""
    return html.unescape("".join(w.value for w in page.root.children
                                 if isinstance(getattr(w, "value", None), str)))


def test_an_unknown_form_gets_a_french_panel(page_db) -> None:
    page = QuestionnairePage("nexiste-pas")
    assert "Ce questionnaire n'existe pas ou n'est pas publié." in panel_text(page)


def test_a_missing_database_gets_a_polite_panel(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'vide.sqlite'}")
    page = QuestionnairePage("evaluation-transport")
    assert "Un problème technique empêche d'ouvrir le questionnaire." in panel_text(page)


def test_conditional_questions_appear_and_are_renumbered(page_db) -> None:
    view = QuestionnairePage("evaluation-transport").view
    fields = {f.question.id: f for f in view.fields}
    assert fields["frein"].box.layout.display == "none"
    assert fields["tad_rural"].caption_widget.label.startswith("5. ")
    frequence = fields["frequence"].caption_widget
    frequence.value = "jamais"
    assert fields["frein"].box.layout.display is None
    assert fields["frein"].caption_widget.label.startswith("5. ")
    assert fields["tad_rural"].caption_widget.label.startswith("6. ")


def test_submitting_shows_errors_then_a_receipt(page_db) -> None:
    page = QuestionnairePage("evaluation-transport")
    page.view.button.click()
    assert "Corrigez les" in page.view.summary.value
    assert page.view.button.disabled is False
    page._submit(valid_answers())
    assert "Votre réponse est enregistrée. Reçu n°" in html.unescape(
        page.view.widget.children[0].value)
    assert page.view.button.disabled is True


def test_a_known_browser_id_shows_the_earlier_receipt(page_db) -> None:
    first = QuestionnairePage("evaluation-transport")
    first.browser_id.submission_id = "browser-123"
    first._submit(valid_answers())
    again = QuestionnairePage("evaluation-transport")
    again.browser_id.submission_id = "browser-123"
    assert "Vous avez déjà répondu" in html.unescape(again.view.widget.children[0].value)


def test_participant_text_in_panels_is_escaped(page_db) -> None:
    from workbench.forms.render import message_panel

    panel = message_panel("<b>titre</b>", "<img src=x onerror=alert(1)>")
    assert "<img" not in panel.value and "&lt;img src=x" in panel.value


def test_a_reloaded_session_page_remembers_the_rounds_already_sent(page_db) -> None:
    from workbench.workshops import sessions

    session = sessions.create_session("evaluation-transport", "Atelier", paced=True,
                                      engine=page_db)
    sessions.open_session(session.code, page_db)
    first_round = ["commune", "age", "satisfaction", "atelier", "mot", "suggestions"]
    for question_id in first_round:
        sessions.release(session.code, question_id, page_db)
    page = QuestionnairePage(None, session=session.code)
    page.browser_id.submission_id = "b" * 32
    page._follow_session()
    assert sorted(page.view.asked) == sorted(first_round)
    answers = valid_answers()
    page._submit({q: answers[q] for q in first_round})
    assert page.view.asked == []
    sessions.release(session.code, "tad_rural", page_db)
    again = QuestionnairePage(None, session=session.code)
    again.browser_id.submission_id = "b" * 32  # the same phone, after a reload
    again._follow_session()
    assert again.view.asked == ["tad_rural"]
    assert len(again.submission_id) <= 64


def test_a_finished_page_is_released_once_and_only_after_the_browser_drew_it(page_db) -> None:
    calls: list[str] = []
    page = QuestionnairePage("evaluation-transport", on_finished=lambda: calls.append("x"))
    page._submit(valid_answers())  # confirmed before the browser reported (fallback id)
    assert "Reçu n°" in panel_text(page) or page.view.done
    assert calls == []
    page.browser_id.submission_id = "browser-456"
    page.browser_id.submission_id = "browser-789"
    assert calls == ["x"]


def test_a_refused_page_is_released_and_an_open_form_is_not(page_db) -> None:
    refused, open_form = [], []
    page = QuestionnairePage("nexiste-pas", on_finished=lambda: refused.append(1))
    page.browser_id.submission_id = "browser-1"
    form = QuestionnairePage("evaluation-transport", on_finished=lambda: open_form.append(1))
    form.browser_id.submission_id = "browser-2"
    assert refused == [1] and open_form == []


def test_a_paced_session_page_is_released_after_the_last_round(page_db) -> None:
    from workbench.workshops import sessions

    session = sessions.create_session("evaluation-transport", "Atelier", paced=True,
                                      engine=page_db)
    sessions.open_session(session.code, page_db)
    calls: list[int] = []
    page = QuestionnairePage(None, session=session.code, on_finished=lambda: calls.append(1))
    page.browser_id.submission_id = "c" * 32
    answers = valid_answers()
    questions = [q.id for q in page.view.spec.questions]
    sessions.release(session.code, "commune", page_db)
    page._follow_session()
    page._submit({"commune": answers["commune"]})
    assert calls == []  # more questions may come
    for question_id in questions:
        sessions.release(session.code, question_id, page_db)
    page._follow_session()
    page._submit({q: answers[q] for q in page.view.asked if q in answers})
    assert calls == [1]
    assert "toutes les questions" in page.view.status.value
    sessions.close_session(session.code, page_db)
    page._follow_session()
    assert calls == [1]


def test_a_session_page_is_released_when_the_session_closes(page_db) -> None:
    from workbench.workshops import sessions

    session = sessions.create_session("evaluation-transport", "Atelier", paced=True,
                                      engine=page_db)
    sessions.open_session(session.code, page_db)
    calls: list[int] = []
    page = QuestionnairePage(None, session=session.code, on_finished=lambda: calls.append(1))
    page.browser_id.submission_id = "d" * 32
    page._follow_session()
    assert calls == []
    sessions.close_session(session.code, page_db)
    page._follow_session()
    assert calls == [1]


def test_only_a_paced_session_page_polls_every_two_seconds(page_db, monkeypatch) -> None:
    """Hundreds of open pages polling every 2 s were most of a room's load."""
    from workbench.forms import page as page_module
    from workbench.workshops import sessions

    polls: list[float] = []
    monkeypatch.setattr(page_module, "every", lambda seconds, _callback: polls.append(seconds))
    pages = []
    for paced in (True, False):
        session = sessions.create_session("evaluation-transport", "Atelier", paced=paced,
                                          engine=page_db)
        sessions.open_session(session.code, page_db)
        pages.append(QuestionnairePage(None, session=session.code))
    assert polls == [page_module.SESSION_POLL_S, page_module.OPEN_SESSION_POLL_S] == [2.0, 10.0]
    # Either way a page marks its presence every 10 s: every 5th fast poll, each slow one.
    assert [page._presence_every for page in pages] == [5, 1]
