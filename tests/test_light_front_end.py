"""The light front end draws every widget model its pages create (workbench.web.light).

``static/workbench-widgets.js`` knows a fixed list of widget models; a page that made another
would show "Cet élément de la page ne peut pas s'afficher" to a participant. These tests go
through the questionnaire's states without a browser (open, refused, errors, receipt, live
session rounds and closing) and compare the models created with that list. The browser side
itself is exercised by the end-to-end tests (tests/test_e2e_questionnaire.py and others).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workbench.forms.page import QuestionnairePage
from workbench.forms.publish import publish_spec_file

from .conftest import DEMO_SPEC, TOKEN_SPEC, sqlite_url
from .test_forms_answers import valid_answers

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = (ROOT / "src/workbench/web/share/jupyter/voila/templates/workbench/static"
          / "workbench-widgets.js")


def drawn_models() -> set[str]:
    """The model names in the script's MODELS table."""
    table = re.search(r"var MODELS = \{(.*?)\};", SCRIPT.read_text(), re.S).group(1)
    return set(re.findall(r"(\w+Model):", table))


def light_notebooks() -> list[str]:
    return sorted(path.name for path in (ROOT / "notebooks/public").glob("*.ipynb")
                  if json.loads(path.read_text())["metadata"].get("workbench", {})
                  .get("front_end") == "light")


@pytest.fixture
def page_db(tmp_path, monkeypatch, sqlite_engine):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    publish_spec_file(DEMO_SPEC, sqlite_engine)
    publish_spec_file(TOKEN_SPEC, sqlite_engine)
    return sqlite_engine


def test_the_script_lists_the_models_it_draws() -> None:
    assert {"VBoxModel", "HTMLModel", "ButtonModel", "IntProgressModel", "AnyModel",
            "LayoutModel"} <= drawn_models()


def assert_drawn(created: set[str]) -> None:
    """Every model in ``created`` is one the light front end draws."""
    assert created, "no widget seen: the construction callback is not called any more"
    assert created <= drawn_models(), sorted(created - drawn_models())


def test_the_light_pages_are_those_tested() -> None:
    """A notebook put on the light front end needs a test of its models: here (the
    questionnaire, the participatory budget), test_workshops_projection.py (results) and
    test_council_follow_up.py (avis)."""
    assert light_notebooks() == ["avis.ipynb", "budget.ipynb", "questionnaire.ipynb",
                                 "resultats.ipynb"]


def test_the_questionnaire_creates_only_models_the_light_front_end_draws(
        page_db, created_models) -> None:
    from workbench.workshops import sessions

    QuestionnairePage("nexiste-pas")
    QuestionnairePage("consultation-conseil")  # an invitation-only form, without invitation
    page = QuestionnairePage("evaluation-transport")
    page.view.button.click()  # errors shown
    page.browser_id.submission_id = "e" * 32
    page._submit(valid_answers())  # receipt
    QuestionnairePage("evaluation-transport").browser_id.submission_id = "e" * 32  # again

    session = sessions.create_session("evaluation-transport", "Atelier", paced=True,
                                      engine=page_db)
    sessions.open_session(session.code, page_db)
    live = QuestionnairePage(None, session=session.code)
    live.browser_id.submission_id = "f" * 32
    live._follow_session()  # waiting for the first question
    sessions.release(session.code, "commune", page_db)
    live._follow_session()
    live._submit({"commune": valid_answers()["commune"]})
    sessions.close_session(session.code, page_db)
    live._follow_session()

    assert_drawn(created_models)


def test_the_budget_page_creates_only_models_the_light_front_end_draws(
        sqlite_engine, tmp_path, monkeypatch, created_models) -> None:
    from datetime import date

    from sqlalchemy import update

    from workbench.budget.ballot_page import BallotPage
    from workbench.budget.voting import create_tokens
    from workbench.demo.budget import EDITION, seed_budget
    from workbench.storage import write_transaction
    from workbench.storage.schema import pb_edition

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    monkeypatch.setenv("WORKBENCH_PB_IDENTITY_KEY", "test")
    seed_budget(sqlite_engine)
    BallotPage("inconnue")
    page = BallotPage(EDITION, create_tokens(EDITION, 1, sqlite_engine)[0])
    first = page.choice.options[0][1]
    page.choice.value = {"choices": [first], "other": None}
    page._vote()  # receipt
    assert "Votre vote est enregistré" in page.root.children[-1].value
    BallotPage(EDITION)._vote()  # no code: the code field's error
    with write_transaction(sqlite_engine) as conn:
        conn.execute(update(pb_edition).values(eligibility="declared"))
    BallotPage(EDITION)
    with write_transaction(sqlite_engine) as conn:
        conn.execute(update(pb_edition).values(vote_close=None, vote_open=None))
    BallotPage(EDITION)  # closed
    with write_transaction(sqlite_engine) as conn:
        conn.execute(update(pb_edition).values(proposals_open=date(2000, 1, 1),
                                               proposals_close=date(2100, 1, 1)))
    BallotPage(EDITION).form._send()  # the proposal form, its errors
    assert_drawn(created_models)
