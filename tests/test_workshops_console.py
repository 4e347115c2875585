"""The facilitator console (issue 20): closed sessions stay listed with their documents,
closing is confirmed, a closed session reopens within its window, titles are shown."""

from __future__ import annotations

from workbench.workshops import sessions
from workbench.workshops.console import FacilitatorConsole

SLUG = "evaluation-transport"


def _console(engine, monkeypatch, report=None) -> FacilitatorConsole:
    monkeypatch.setattr("workbench.workshops.console.get_engine", lambda: engine)
    return FacilitatorConsole("https://participer.example", report)


def test_closed_sessions_stay_reachable_and_closing_is_confirmed(engine, demo_form,
                                                                   monkeypatch) -> None:
    session = sessions.create_session(SLUG, "Atelier de Pabu", False, engine)
    sessions.open_session(session.code, engine)
    console = _console(engine, monkeypatch)
    # the title shown, the slug behind it
    assert console.form_choice.options == (("Évaluation participative du réseau de transport",
                                            SLUG),)
    assert console.form_choice.tooltip == SLUG
    console.session_choice.value = session.code
    console.close_button.click()  # asks first
    assert console.confirm_box.layout.display != "none"
    assert sessions.get_session(session.code, engine).status == "open"
    console.confirm_button.click()
    assert sessions.get_session(session.code, engine).status == "closed"
    assert console.session_choice.value == session.code  # still chosen, with its documents
    assert console.open_button.description == "Rouvrir la séance"
    assert not console.open_button.disabled and not console.report_button.disabled
    console.shown.value = "current"
    assert session.code not in [code for _label, code in console.session_choice.options]
    console.shown.value = "closed"
    [(label, code)] = console.session_choice.options
    assert code == session.code and "Atelier de Pabu" in label and "close le" in label
    fresh = _console(engine, monkeypatch)  # after a reload too
    fresh.shown.value = "closed"
    assert [code for _label, code in fresh.session_choice.options] == [session.code]


def test_the_session_report_runs_through_the_background_job(engine, demo_form,
                                                             monkeypatch, tmp_path) -> None:
    calls = []

    def report(slug, code, progress):
        progress(1, 3, "étape")
        calls.append((slug, code))
        path = tmp_path / "questionnaire.html"
        path.write_text("<p>rapport</p>", encoding="utf-8")
        return {"html": path}

    session = sessions.create_session(SLUG, "Atelier", False, engine)
    console = _console(engine, monkeypatch, report)
    console.session_choice.value = session.code
    console.report_button.click()  # no event loop here: the job runs inline
    assert calls == [(SLUG, session.code)]
    assert f"rapport-seance-{session.code}.html" in console.download.value
    assert not console.report_button.disabled


def test_a_cancelled_report_says_so(engine, demo_form, monkeypatch) -> None:
    def report(slug, code, progress):
        console.job.cancel()
        progress(1, 3, "étape")  # the next step sees the cancel
        raise AssertionError("not reached")

    session = sessions.create_session(SLUG, "Atelier", False, engine)
    console = _console(engine, monkeypatch, report)
    console.session_choice.value = session.code
    console.report_button.click()
    assert "Annulé" in console.download.value
