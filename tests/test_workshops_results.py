"""Result aggregations on known data: counts, %, median, mean rank, points, words, secret
cells."""

from __future__ import annotations

import pytest

from workbench.forms.loader import load_spec_file
from workbench.workshops.charts import chart_for, chart_svg
from workbench.workshops.results import aggregate
from workbench.workshops.results_page import result_card
from workbench.workshops.words import word_frequencies

from .conftest import DEMO_SPEC

SPEC = load_spec_file(DEMO_SPEC)


def q(question_id: str):
    return SPEC.question(question_id)


def bars(result) -> dict:
    return {b.key: (b.count, b.percent) for b in result.bars}


def test_likert_counts_and_percentages() -> None:
    values = [1] * 5 + [2] * 5 + [4] * 10 + [5] * 5 + ["nsp"] * 5
    result = aggregate(q("tad_rural"), values)
    assert result.total == 30 and not result.hidden
    assert bars(result)["4"] == (10, 33.3)
    assert bars(result)["3"] == (0, 0.0)
    assert bars(result)["nsp"] == (5, 16.7)


def test_a_small_cell_is_hidden_with_its_complement() -> None:
    values = [1] * 2 + [2] * 6 + [4] * 10 + [5] * 7
    result = aggregate(q("horaires"), values)
    counts = bars(result)
    assert counts["1"] == (None, None)  # 2 people: secret
    assert counts["2"] == (None, None)  # next smallest, or 25 - others would reveal it
    assert counts["4"] == (10, 40.0) and counts["5"] == (7, 28.0)


def test_two_small_cells_hide_each_other() -> None:
    result = aggregate(q("atelier"), ["oui"] * 3 + ["non"] * 2 + ["peut_etre"] * 9)
    assert bars(result) == {"oui": (None, None), "non": (None, None),
                            "peut_etre": (9, 64.3)}


def test_small_cells_whose_sum_stays_small_take_one_more_cell() -> None:
    """2 + 2 hidden next to a published total of 13 would tell both are small (they add up
    to 4): a third cell is hidden, so each hidden count may be 0 as well as 5 or more."""
    result = aggregate(q("atelier"), ["oui"] * 2 + ["non"] * 2 + ["peut_etre"] * 9)
    assert bars(result) == {"oui": (None, None), "non": (None, None),
                            "peut_etre": (None, None)}


def test_a_hidden_cell_is_not_called_small_on_the_results_page() -> None:
    """The complement hidden with a small cell may hold 6 people: « < 5 » would be untrue."""
    from workbench.workshops.results_page import result_card

    values = [1] * 2 + [2] * 6 + [4] * 10 + [5] * 7
    card = result_card(aggregate(q("horaires"), values), 5)
    assert "&lt; 5" not in card and "secret statistique" in card


def test_fewer_answers_than_the_threshold_hide_the_question() -> None:
    result = aggregate(q("atelier"), ["oui", "non", "oui", "oui"])
    assert result.hidden and result.bars == ()


def test_the_threshold_is_a_setting(monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_SMALL_CELL", "3")
    result = aggregate(q("atelier"), ["oui"] * 4 + ["non"] * 3)
    assert not result.hidden
    assert bars(result)["non"] == (3, 42.9)


def test_multiple_choice_percentages_are_of_respondents() -> None:
    values = ([{"choices": ["voiture", "velo"], "other": None}] * 5
              + [{"choices": ["voiture"], "other": None}] * 5)
    counts = bars(aggregate(q("modes"), values))
    assert counts["voiture"] == (10, 100.0) and counts["velo"] == (5, 50.0)


def test_scale_histogram_and_median() -> None:
    values = [2] * 5 + [7] * 6 + [9] * 5
    result = aggregate(q("satisfaction"), values)
    assert result.median == 7
    assert bars(result)["7"] == (6, 37.5)
    assert len(result.bars) == 11


def test_number_median_and_bins() -> None:
    values = [5, 10, 15, 20, 25, 30, 35, 40, 45, 60]
    result = aggregate(q("temps_trajet"), values)
    assert result.median == 27.5
    assert sum(b.count or 0 for b in result.bars) <= len(values)


def test_ranking_mean_rank() -> None:
    options = [o.value for o in q("priorites").options]
    values = [options] * 3 + [list(reversed(options))] * 2
    result = aggregate(q("priorites"), values)
    mean = {b.key: b.value for b in result.bars}
    assert mean[options[0]] == pytest.approx((1 * 3 + 5 * 2) / 5)
    assert result.bars[0].key == options[0]  # best (lowest) mean rank first


def test_points_totals() -> None:
    keys = [o.value for o in q("budget").options]
    values = [dict.fromkeys(keys, 20)] * 4 + [{**dict.fromkeys(keys, 0), keys[2]: 100}]
    totals = {b.key: b.value for b in aggregate(q("budget"), values).bars}
    assert totals[keys[2]] == 180 and totals[keys[0]] == 80


def test_french_stopwords_and_elisions_are_removed() -> None:
    texts = ["Le bus de l'école est trop lent", "Le bus est lent le soir", "L'école, c'est loin"]
    assert word_frequencies(texts, top=4) == [("bus", 2), ("lent", 2), ("école", 2),
                                              ("loin", 1)]


def test_free_text_is_escaped_in_the_card() -> None:
    payload = "<img src=x onerror=alert(1)>"
    result = aggregate(q("mot"), [payload] + ["pratique"] * 5)
    card = result_card(result, 5)
    assert "<img src=x" not in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card


@pytest.mark.parametrize("question_id", [x.id for x in SPEC.questions])
def test_every_question_type_draws_an_svg_chart(question_id: str) -> None:
    import random
    from datetime import date

    from workbench.demo.synthetic import synthetic_answers

    rng = random.Random(7)
    answers = [synthetic_answers(SPEC, rng, "22070", date(2026, 11, 20)) for _ in range(40)]
    values = [a[question_id] for a in answers if question_id in a]
    chart = chart_for(aggregate(q(question_id), values))
    if chart is not None:
        svg = chart_svg(chart)
        assert svg.startswith("<svg") and "<script" not in svg
