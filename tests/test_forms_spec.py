"""Spec validation: each error has its French message, its file:line and its field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.forms.issues import SpecError, describe
from workbench.forms.loader import load_spec_file, load_spec_text

from .conftest import DEMO_SPEC, FIXTURES

HEADER = """\
title: "Test"
questions:
"""


def problems(body: str, header: str = HEADER) -> list[str]:
    """The ``file:line: field : message`` lines for a spec made of ``header + body``."""
    text = header + textwrap.dedent(body)
    with pytest.raises(SpecError) as caught:
        load_spec_text(text, "widgets/test.yaml", "test")
    return caught.value.lines()


def test_demo_and_fixture_specs_are_valid() -> None:
    for path in [DEMO_SPEC, *sorted((FIXTURES / "widgets").glob("*.yaml"))]:
        spec = load_spec_file(path)
        assert spec.slug == path.stem


def test_demo_spec_covers_every_question_type() -> None:
    from workbench.forms.spec import QUESTION_TYPES

    spec = load_spec_file(DEMO_SPEC)
    assert {q.type for q in spec.questions} == set(QUESTION_TYPES)
    assert 12 <= len(spec.questions) <= 20


def test_unknown_type_names_line_and_possible_types() -> None:
    [line] = problems("""\
      - id: a
        type: slider
        label: "Q"
    """)
    assert line.startswith(
        "widgets/test.yaml:3: questions[0] : type de question inconnu « slider »")
    assert "likert" in line


def test_missing_type_is_reported() -> None:
    [line] = problems("""\
      - id: a
        label: "Q"
    """)
    assert "le champ « type » est obligatoire" in line


def test_duplicate_id_points_at_the_second_question() -> None:
    [line] = problems("""\
      - id: age
        type: scale
        label: "Q1"
      - id: age
        type: scale
        label: "Q2"
    """)
    assert line == ("widgets/test.yaml:6: questions[1].id : l'identifiant « age » est déjà "
                    "utilisé par la question 1")


def test_show_if_on_a_later_question_is_refused() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
        show_if: {question: b, equals: 3}
      - id: b
        type: scale
        label: "Q2"
    """)
    assert line.startswith("widgets/test.yaml:6: questions[0].show_if.question : ")
    assert "vient plus loin" in line


def test_show_if_on_an_unknown_question_is_refused() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
        show_if: {question: zzz, equals: 3}
    """)
    assert "n'est pas une question de ce questionnaire" in line


def test_show_if_value_must_be_a_possible_answer() -> None:
    [line] = problems("""\
      - id: a
        type: single_choice
        label: "Q1"
        options: ["Oui", "Non"]
      - id: b
        type: scale
        label: "Q2"
        show_if: {question: a, equals: peut_etre}
    """)
    assert "« peut_etre » n'est pas une réponse possible à « a »" in line


def test_show_if_needs_equals_or_in() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
      - id: b
        type: scale
        label: "Q2"
        show_if: {question: a}
    """)
    assert "show_if demande « equals » ou « in »" in line


def test_likert_with_four_labels_is_refused() -> None:
    [line] = problems("""\
      - id: a
        type: likert
        label: "Q1"
        labels: ["Non", "Plutôt non", "Plutôt oui", "Oui"]
    """)
    assert line == ("widgets/test.yaml:6: questions[0].labels : une question likert doit avoir "
                    "exactement 5 libellés (4 donnés)")


def test_unknown_field_is_named() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
        colour: red
    """)
    assert line == "widgets/test.yaml:6: questions[0].colour : champ inconnu « colour »"


def test_missing_title_is_reported_on_the_root() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
    """, header="questions:\n")
    assert line == "widgets/test.yaml:1: title : champ obligatoire manquant"


def test_invalid_identifier_is_explained() -> None:
    [line] = problems("""\
      - id: Âge
        type: scale
        label: "Q1"
    """)
    assert "questions[0].id : identifiant invalide" in line


def test_duplicate_option_is_refused() -> None:
    [line] = problems("""\
      - id: a
        type: single_choice
        label: "Q1"
        options: ["Oui", "Oui"]
    """)
    assert "l'option « oui » apparaît deux fois" in line


def test_too_few_options_is_refused() -> None:
    [line] = problems("""\
      - id: a
        type: ranking
        label: "Q1"
        options: ["Seul"]
    """)
    assert line.endswith("il faut au moins 2 éléments")


@pytest.mark.parametrize(("code", "ctx", "one", "two"), [
    ("too_short", "min_length", "il faut au moins 1 élément", "il faut au moins 2 éléments"),
    ("too_long", "max_length", "au plus 1 élément", "au plus 2 éléments"),
    ("string_too_long", "max_length", "trop long (1 caractère au maximum)",
     "trop long (2 caractères au maximum)"),
])
def test_counted_messages_agree_with_their_count(code, ctx, one, two) -> None:
    assert describe(code, {ctx: 1}) == one
    assert describe(code, {ctx: 2}) == two
    assert "(s)" not in describe(code, {ctx: 0})


def test_impossible_selection_bounds_are_refused() -> None:
    [line] = problems("""\
      - id: a
        type: multiple_choice
        label: "Q1"
        options: ["A", "B"]
        min_selections: 3
    """)
    assert "bornes de sélection impossibles : min 3, max 2, pour 2 options" in line


def test_number_min_above_max_is_refused() -> None:
    [line] = problems("""\
      - id: a
        type: number
        label: "Q1"
        min: 10
        max: 1
    """)
    assert "le minimum (10.0) dépasse le maximum (1.0)" in line


def test_wrong_value_types_are_explained() -> None:
    lines = problems("""\
      - id: a
        type: short_text
        label: "Q1"
        required: peut-être
        max_length: beaucoup
    """)
    assert any("questions[0].required : doit valoir true ou false" in x for x in lines)
    assert any("questions[0].max_length : doit être un nombre entier" in x for x in lines)


def test_closing_before_opening_is_refused() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
    """, header='title: "T"\nopens_at: 2026-05-01\ncloses_at: 2026-04-01\nquestions:\n')
    assert line == ("widgets/test.yaml:3: closes_at : la date de clôture précède la date "
                    "d'ouverture")


def test_bad_literal_value_lists_the_possible_ones() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
    """, header='title: "T"\nanonymity: secret\nquestions:\n')
    assert line.startswith("widgets/test.yaml:2: anonymity : valeur « secret » non permise")


def test_slug_must_match_the_file_name() -> None:
    [line] = problems("""\
      - id: a
        type: scale
        label: "Q1"
    """, header='slug: autre\ntitle: "T"\nquestions:\n')
    assert "le slug « autre » diffère du nom du fichier « test »" in line


def test_yaml_syntax_error_has_a_line() -> None:
    [line] = problems("""\
      - id: a
        type: [scale
        label: "Q1"
    """)
    assert line.startswith("widgets/test.yaml:")
    assert "syntaxe YAML invalide" in line


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec_text("- just\n- a list\n", "x.yaml", "x")
    assert "le fichier doit décrire un questionnaire" in caught.value.lines()[0]


def test_cli_forms_check_passes_on_the_repository_specs() -> None:
    result = CliRunner().invoke(main, ["forms", "check"])
    assert result.exit_code == 0, result.output
    assert "valide (15 questions)" in result.output


def test_cli_forms_check_fails_with_file_line_messages(tmp_path: Path) -> None:
    broken = tmp_path / "casse.yaml"
    broken.write_text(HEADER + "  - id: a\n    type: likert\n    label: Q\n    labels: [a, b]\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["forms", "check", str(broken), str(DEMO_SPEC)])
    assert result.exit_code == 1
    assert f"{broken}:6: questions[0].labels : une question likert doit avoir exactement 5" \
        in result.output
    assert "1 fichier contient des erreurs." in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("extra", "question", "expected"), [
    ("anonymity: identified\n", "    type: commune\n",
     "un questionnaire nominatif recueille des données personnelles"),
    ("", "    type: long_text\n", "les questions à texte libre peuvent recueillir"),
    ("processing: ailleurs\n", "    type: long_text\n",
     "le traitement « ailleurs » n’est pas dans data/rgpd/traitements.yaml"),
])
def test_a_form_collecting_personal_data_names_its_processing(tmp_path: Path, extra: str,
                                                              question: str,
                                                              expected: str) -> None:
    spec = tmp_path / "perso.yaml"
    spec.write_text(f"title: Perso\n{extra}questions:\n  - id: a\n{question}    label: Q\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["forms", "check", str(spec)])
    assert result.exit_code == 1
    line = 2 if extra.startswith("processing") else 1
    assert f"{spec}:{line}: processing : {expected}" in result.output, result.output
    named = tmp_path / "nomme.yaml"
    named.write_text(f"title: Perso\nprocessing: questionnaires\nquestions:\n  - id: a\n"
                     f"{question}    label: Q\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["forms", "check", str(named)]).exit_code == 0
