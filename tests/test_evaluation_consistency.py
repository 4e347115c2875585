"""Issue 20: the evaluation's page and report agree with themselves.

One rule calls a group over- or under-represented, consistent with the χ² test; workshop
answers are kept apart from the survey's; free-text themes read as words, each answer
quoted once; French labels and identifiers in messages.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.evaluation.representativeness import (
    ALPHA,
    RESIDUAL,
    compare,
)
from workbench.forms.issues import SpecError

from .conftest import DEMO_SPEC, ROOT

FRAMEWORK = ROOT / "data" / "evaluations" / "evaluation-transport.yaml"


def _shown(share: float) -> str:
    return f"{share:.1f}"


# One rule for over- and under-representation -------------------------------------------------

def test_no_group_is_called_out_when_the_test_finds_no_gap() -> None:
    """The demo said « Pas d'écart significatif … (p = 1,000) » and then « Les habitants de
    Plouisy sont sur-représentés »: the ratio alone (1,3 here) called the group out."""
    result = compare("commune", {"A": 78, "B": 70, "C": 39, "Plouisy": 13},
                     {"A": 0.40, "B": 0.35, "C": 0.20, "Plouisy": 0.05},
                     who=lambda c: f"Les habitants de {c}")
    assert result.p_value > ALPHA and result.called_out == ()
    text = " ".join(result.verdict)
    assert "Pas d'écart significatif" in text and "représentés (" not in text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 80), min_size=2, max_size=8),
       st.lists(st.integers(1, 50), min_size=8, max_size=8))
def test_a_group_called_out_has_a_significant_test_a_residual_and_visible_shares(
        counts, weights) -> None:
    population = {f"g{i}": w for i, w in enumerate(weights[:len(counts)])}
    sample = {f"g{i}": c for i, c in enumerate(counts)}
    result = compare("groupe", sample, population)
    rows = {row.category: row for row in result.rows}
    if result.called_out:
        assert result.p_value is not None and result.p_value < ALPHA
    for category in result.called_out:
        row = rows[category]
        assert abs(round(row.residual, 1)) > RESIDUAL
        assert _shown(row.respondent_share) != _shown(row.population_share)
    assert len(result.sentences) == len(result.called_out)
    for category, sentence in zip(result.called_out, result.sentences, strict=True):
        residual = f"{abs(rows[category].residual):.1f}".replace(".", ",")
        assert residual in sentence  # the sentence says why


def test_a_significant_gap_without_a_standing_group_says_so() -> None:
    # Ten groups, each a little off: the test is significant, no residual reaches 2.
    population = {f"g{i}": 1 for i in range(10)}
    sample = {f"g{i}": 1000 + (50 if i % 2 else -50) for i in range(10)}
    result = compare("groupe", sample, population)
    assert result.p_value < ALPHA and result.called_out == ()
    assert "Aucun groupe ne se détache" in " ".join(result.verdict)


def test_the_report_verdict_follows_the_published_test_when_counts_are_secret() -> None:
    """With secret categories merged, the published test may find no gap: the report must not
    then name a group that the unmerged test called out."""
    from workbench.reports.evaluation import _published_verdict

    plain = compare("commune", {"A": 40, "B": 25, "C": 25, "S1": 0, "S2": 10},
                    {"A": 0.3, "B": 0.3, "C": 0.3, "S1": 0.05, "S2": 0.05},
                    who=lambda c: f"Les habitants de {c}")
    assert plain.called_out  # A, and S1 (secret), on the unmerged counts
    hidden = frozenset({"S1", "S2"})
    verdict = " ".join(_published_verdict(plain, hidden))
    assert "Pas d'écart significatif" in verdict and "représentés (" not in verdict
    assert "S1" not in verdict and "S2" not in verdict


def test_the_methods_annex_states_the_same_rule() -> None:
    from workbench.reports.evaluation_judgement import statistical_methods

    text = statistical_methods()[0].markdown
    assert "résidu ajusté" in text and "±2" in text and "1,2" not in text


# Workshop answers kept apart --------------------------------------------------------------

def _answers(regular: int, workshop: int):
    from workbench.forms.loader import load_spec_file
    from workbench.forms.reading import FormAnswers

    moment = datetime(2026, 11, 5, 10)
    responses = [{"id": i, "receipt": f"r{i}", "submitted_at": moment, "version": 1,
                  "synthetic": True, "in_session": i >= regular,
                  "answers": {"commune": "22070"}} for i in range(regular + workshop)]
    return FormAnswers(load_spec_file(DEMO_SPEC), 1, responses)


def _framework(tmp_path, extra: str = ""):
    from workbench.evaluation.framework import load_framework

    path = tmp_path / "evaluation-transport.yaml"
    path.write_text(FRAMEWORK.read_text().replace("sampling: self_selected\n",
                                                  f"sampling: self_selected\n{extra}"))
    return load_framework(path)


def test_workshop_answers_are_kept_apart_unless_the_framework_includes_them(tmp_path) -> None:
    """The demo counted 323 responses: 300 to the survey and 23 given in live workshops."""
    from workbench.evaluation.responses import evaluation_answers

    kept = evaluation_answers(_framework(tmp_path), _answers(300, 23))
    assert len(kept.data.responses) == 300 and kept.workshop == 23 and not kept.included
    assert "23 réponses données en atelier" in kept.note and "ne sont pas comptées" in kept.note
    both = evaluation_answers(_framework(tmp_path, "workshops: include\n"), _answers(300, 23))
    assert len(both.data.responses) == 323 and both.included
    assert "Dont 23 réponses données en atelier" in both.note
    assert evaluation_answers(_framework(tmp_path), _answers(300, 0)).note == ""


def test_the_workshops_option_is_checked_with_its_line(tmp_path) -> None:
    with pytest.raises(SpecError) as error:
        _framework(tmp_path, "workshops: inclure\n")
    text = (tmp_path / "evaluation-transport.yaml").read_text()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "inclure" in t)
    message = error.value.message()
    assert f"{tmp_path / 'evaluation-transport.yaml'}:{line}:" in message
    assert "« inclure » non permise" in message and "'include'" in message


def test_answers_read_say_whether_they_were_given_in_a_workshop(sqlite_engine) -> None:
    from workbench.forms.publish import publish_spec_file
    from workbench.forms.reading import form_answers
    from workbench.storage import write_transaction
    from workbench.storage.responses import insert_response
    from workbench.workshops.sessions import create_session

    version, _new = publish_spec_file(DEMO_SPEC, sqlite_engine)
    session = create_session("evaluation-transport", "Atelier", False, sqlite_engine)
    with write_transaction(sqlite_engine) as conn:
        for i, session_id in enumerate((None, session.id, None)):
            insert_response(conn, form_version_id=version.id, submission_id=f"s{i}",
                            receipt=f"R{i}", submitted_at=datetime(2026, 11, 5, 10, i),
                            answers={"commune": "22070"}, session_id=session_id)
    read = form_answers("evaluation-transport", engine=sqlite_engine, record=False)
    assert [r["in_session"] for r in read.responses] == [False, True, False]


# Free text: readable themes, each answer quoted once ------------------------------------

SENTENCES = ["Baisser le prix de l'abonnement pour les étudiants et les apprentis.",
             "Un abri à l'arrêt près de l'école serait bienvenu.",
             "Plus de bus le samedi, surtout vers la gare.",
             "Des horaires mieux coordonnés avec les TER à Guingamp.",
             "Le transport à la demande est utile, mais il faut réserver trop tôt.",
             "Des navettes vers la côte l'été, pour Paimpol et les plages."]


def test_themes_read_as_written_words_and_quote_each_answer_once() -> None:
    from workbench.evaluation.text import summarise

    summary = summarise(SENTENCES * 8, themes=4)
    words = [word for theme in summary.themes for term in theme.terms
             for word in term.split()]
    shown = words + [term for term, _n in summary.terms]
    assert "abonnemer" not in shown and "abonnement" in shown  # spaCy's lemma is not shown
    for theme in summary.themes:
        pairs = {word for term in theme.terms if " " in term for word in term.split()}
        assert not any(term in pairs for term in theme.terms if " " not in term)
    quotes = [quote for theme in summary.themes for quote in theme.quotes]
    assert quotes and len(quotes) == len(set(quotes))  # no quote twice, across themes too


# Messages: French labels, identifiers and where they come from --------------------------

def test_a_member_field_error_names_the_form_label() -> None:
    from workbench.council.registry import _field_label

    assert _field_label("email") == "Courriel"
    assert _field_label("nom") == "Nom" and _field_label("phone") == "Téléphone"
    assert _field_label("tranche_age") == "Tranche d'âge"


@pytest.mark.parametrize("slug", ["nope", "../../etc/passwd"])
def test_an_unknown_evaluation_says_which_identifiers_exist(slug) -> None:
    from workbench.evaluation.framework import framework_path

    with pytest.raises(WorkbenchError) as error:
        framework_path(slug)
    message = str(error.value)
    assert message.startswith(f"L'évaluation « {slug} » n'existe pas.")
    assert "data/evaluations" in message and "evaluation-transport" in message
    assert str(ROOT) not in message and ".yaml" not in message


def test_an_unknown_study_says_which_identifiers_exist() -> None:
    from workbench.foresight.delphi import load_delphi
    from workbench.foresight.study import load_study

    for load, folder in ((load_study, "data/foresight"), (load_delphi, "data/delphi")):
        with pytest.raises(WorkbenchError) as error:
            load("inconnue")
        assert folder in str(error.value) and "mobilite-2040" in str(error.value)
        assert str(ROOT) not in str(error.value)


def test_page_and_report_count_the_survey_and_name_the_workshop_answers_apart(
        demo_url) -> None:
    """The demo page said « 323 réponses »: 300 to the survey, 23 given in live workshops."""
    from workbench.evaluation.page import EvaluationPage
    from workbench.reports import evaluation as report
    from workbench.storage import get_engine, write_transaction
    from workbench.storage.forms import latest_version
    from workbench.storage.responses import insert_response
    from workbench.workshops.sessions import create_session

    engine = get_engine(demo_url)
    session = create_session("evaluation-transport", "Atelier", False, engine)
    with write_transaction(engine) as conn:
        version = latest_version(conn, "evaluation-transport")
        for i in range(23):
            insert_response(conn, form_version_id=version.id, submission_id=f"atelier-{i}",
                            receipt=f"A{i}", submitted_at=datetime(2026, 11, 20, 18, 0, i),
                            answers={"satisfaction": 4}, session_id=session.id)
    header = EvaluationPage("evaluation-transport").root.children[0].value
    assert "300 réponses" in header and "23 réponses données en atelier" in header
    evaluation = report.load("evaluation-transport", 2026)
    assert len(evaluation.data.responses) == 300
    assert "23 réponses données en atelier" in report.method(evaluation)[0].markdown
