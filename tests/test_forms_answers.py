"""Server-side answer validation, type by type (French messages, canonical values)."""

from __future__ import annotations

import pytest

from workbench.forms.answers import AnswerErrors, validate_answers
from workbench.forms.loader import load_spec_file

from .conftest import DEMO_SPEC

SPEC = load_spec_file(DEMO_SPEC)


def valid_answers(**changes) -> dict:
    answers = {
        "commune": "22070",
        "age": "30_a_44_ans",
        "modes": {"choices": ["voiture", "velo"], "other": None},
        "frequence": "hebdomadaire",
        "dernier_trajet": "2026-11-20",
        "horaires": 4,
        "tad_rural": "nsp",
        "satisfaction": 7,
        "temps_trajet": "25",
        "priorites": ["des_tarifs_plus_bas", "des_bus_plus_frequents",
                      "des_horaires_plus_tot_et_plus_tard",
                      "desservir_davantage_les_communes_rurales",
                      "une_meilleure_information_voyageurs"],
        "budget": {"lignes_regulieres": 40, "transport_a_la_demande": 30,
                   "navettes_estivales_vers_la_cote": 10, "amenagements_velo": 10,
                   "aires_de_covoiturage": 10},
        "mot": "  pratique ",
        "suggestions": "Plus de bus le dimanche.",
        "atelier": "oui",
    }
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not ...}


def errors_for(**changes) -> dict[str, str]:
    with pytest.raises(AnswerErrors) as caught:
        validate_answers(SPEC, valid_answers(**changes))
    return caught.value.errors


def test_valid_answers_become_canonical_values() -> None:
    clean = validate_answers(SPEC, valid_answers())
    assert clean["temps_trajet"] == 25
    assert clean["mot"] == "pratique"
    assert clean["tad_rural"] == "nsp"
    assert clean["modes"] == {"choices": ["voiture", "velo"], "other": None}


def test_required_question_left_empty() -> None:
    assert errors_for(satisfaction=None) == {"satisfaction": "Cette question est obligatoire."}


def test_optional_question_may_stay_empty() -> None:
    clean = validate_answers(SPEC, valid_answers(mot="", suggestions=None))
    assert "mot" not in clean and "suggestions" not in clean


def test_hidden_questions_are_dropped_and_not_required() -> None:
    clean = validate_answers(SPEC, valid_answers(frequence="jamais", horaires=None,
                                                 frein="horaires_inadaptes"))
    assert "horaires" not in clean and "dernier_trajet" not in clean
    assert errors_for(frequence="jamais") == {"frein": "Cette question est obligatoire."}


def test_likert_accepts_only_its_levels() -> None:
    assert errors_for(horaires=6) == {"horaires": "Choisissez une des réponses proposées."}
    assert errors_for(horaires=True)
    assert "horaires" in errors_for(horaires="3")


def test_single_choice_refuses_unknown_option() -> None:
    assert errors_for(age="centenaire") == {"age": "Choisissez une des réponses proposées."}


def test_multiple_choice_bounds_and_other() -> None:
    too_many = {"choices": ["voiture", "velo", "marche", "covoiturage", "train_ter"]}
    assert errors_for(modes=too_many) == {"modes": "Choisissez entre 1 et 4 réponses."}
    assert errors_for(modes={"choices": ["autre"], "other": " "}) == {
        "modes": "Précisez votre réponse « Autre »."}
    clean = validate_answers(SPEC, valid_answers(modes={"choices": ["autre", "voiture"],
                                                        "other": "Trottinette"}))
    assert clean["modes"] == {"choices": ["voiture", "autre"], "other": "Trottinette"}
    assert errors_for(modes={"choices": ["fusee"]})["modes"].startswith("Choisissez parmi")


def test_scale_is_a_whole_number_from_0_to_10() -> None:
    assert errors_for(satisfaction=11) == {"satisfaction": "Indiquez un nombre entre 0 et 10."}
    assert errors_for(satisfaction=6.5) == {"satisfaction": "Indiquez un nombre entier."}


def test_number_parses_french_decimals_and_checks_bounds() -> None:
    assert errors_for(temps_trajet="abc") == {"temps_trajet": "Indiquez un nombre."}
    assert errors_for(temps_trajet="300") == {
        "temps_trajet": "Indiquez un nombre entre 0 et 240."}
    assert errors_for(temps_trajet="12,5") == {"temps_trajet": "Indiquez un nombre entier."}


def test_text_length_is_enforced_and_control_characters_removed() -> None:
    assert errors_for(mot="x" * 61) == {"mot": "Texte trop long : 61 caractères, 60 au maximum."}
    assert validate_answers(SPEC, valid_answers(mot="a\x00b"))["mot"] == "ab"


def test_ranking_needs_every_option_once() -> None:
    assert errors_for(priorites=["des_tarifs_plus_bas"]) == {
        "priorites": "Classez chaque proposition, une seule fois chacune."}


def test_points_must_sum_to_the_total() -> None:
    shares = {"lignes_regulieres": 50, "transport_a_la_demande": 30}
    assert errors_for(budget=shares) == {"budget": (
        "Vous avez réparti 80 points sur 100 : le total doit être exactement 100.")}
    negative = {"lignes_regulieres": 120, "transport_a_la_demande": -20}
    assert "budget" in errors_for(budget=negative)


def test_commune_must_belong_to_the_territory() -> None:
    assert errors_for(commune="75056") == {
        "commune": "Choisissez une commune du territoire dans la liste."}


def test_date_is_parsed_and_bounded() -> None:
    assert errors_for(dernier_trajet="hier") == {"dernier_trajet": "Indiquez une date valide."}
    assert errors_for(dernier_trajet="2024-12-31") == {
        "dernier_trajet": "La date ne peut pas être antérieure au 01/01/2025."}


def test_unknown_question_ids_are_refused() -> None:
    assert errors_for(piratage="1") == {"_": "Questions inconnues : piratage"}


def test_all_problems_are_reported_at_once() -> None:
    assert set(errors_for(age=None, satisfaction=42, commune="0")) == {
        "age", "satisfaction", "commune"}
