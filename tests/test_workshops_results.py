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


# Projected results (issue 15): what the room reads on the projected page.

def svg_texts(svg: str) -> list[str]:
    import html
    import re

    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


COMMUNES = ["22070"] * 6 + ["22162"] * 5 + ["22004"] * 3 + ["22161"] * 2 + ["22067"] * 1


def test_hidden_communes_are_counted_together_never_named() -> None:
    """Bégard (3), Pabu (2), Grâces (1): naming them would tell the room where the few
    people come from. They are one nameless group, in the line, the chart and the table."""
    from workbench.territory import commune_by_code

    result = aggregate(q("commune"), COMMUNES)
    card = result_card(result, 5)
    for code in ("22004", "22161", "22067"):
        name = getattr(commune_by_code(code), "nom", code)
        assert name not in card, name
    assert "Guingamp" in card and "Paimpol" in card
    assert "Autres réponses, regroupées (secret statistique) : 6" in card
    assert result.others == 6


def test_the_others_total_is_shown_only_when_it_cannot_reveal_a_small_cell() -> None:
    """Additive line: the hidden cells add up to 5 or more (``hidden_in_line``), shown as one
    number. Multiple choices (one person may tick several, 2 ticks here) are never summed:
    the card says that some answers are hidden, with no number."""
    values = [1] * 2 + [2] * 6 + [4] * 10 + [5] * 7
    assert aggregate(q("horaires"), values).others == 8
    assert "ensemble : 8" in result_card(aggregate(q("horaires"), values), 5)
    ticks = ([{"choices": ["voiture"], "other": None}] * 8
             + [{"choices": ["voiture", "velo"], "other": None}] * 2)
    result = aggregate(q("modes"), ticks)
    assert bars(result)["velo"] == (None, None) and result.others is None
    card = result_card(result, 5)
    assert "Certaines réponses sont masquées (s : secret statistique)." in card
    assert " : 2<" not in card and "ensemble" not in card


def test_an_others_sum_under_the_threshold_is_never_published(monkeypatch) -> None:
    """Even if a rule let an additive line hide cells adding up to fewer than the threshold,
    their sum would not be published."""
    from workbench.workshops import results

    monkeypatch.setattr(results, "hidden_in_line", lambda counts, threshold, additive: {0})
    result = aggregate(q("atelier"), ["oui"] * 3 + ["non"] * 9)
    assert bars(result)["oui"] == (None, None) and result.others is None


def test_fewer_answers_than_the_threshold_say_so_in_a_sentence() -> None:
    card = result_card(aggregate(q("satisfaction"), [3, 4, 5]), 5)
    assert "<svg" not in card
    assert ("Pour l'instant, moins de 5 réponses : les résultats s'afficheront à partir de "
            "5 réponses.") in card.replace("&#x27;", "'")


def test_a_fully_secret_chart_is_a_sentence_not_an_empty_axis() -> None:
    """2 + 2 + 9: every cell is secret. The old page drew axes with no bar."""
    result = aggregate(q("atelier"), ["oui"] * 2 + ["non"] * 2 + ["peut_etre"] * 9)
    assert chart_for(result) is None
    card = result_card(result, 5)
    assert "<svg" not in card and "13 réponses" in card
    assert "Trop peu de réponses par option" in card
    communes = aggregate(q("commune"), ["22070"] * 3 + ["22162"] * 3)
    assert communes.others == 6 and chart_for(communes) is None  # a lone "others" bar: no


def test_the_scale_axis_reads_0_to_10_in_order() -> None:
    """Secret cells (2 and 4 here) and zeros keep their place: not « 0, 1, 3, 5, … »."""
    result = aggregate(q("satisfaction"), [2] * 2 + [4] * 3 + [7] * 6 + [9] * 5)
    assert bars(result)["2"] == (None, None)
    texts = svg_texts(chart_svg(chart_for(result)))
    assert texts[:11] == [str(i) for i in range(11)]
    labels = texts[texts.index("réponses") + 1:]
    assert labels[:11] == ["0", "0", "s", "0", "s", "0", "0", "6", "0", "5", "0"]


def test_likert_and_choices_keep_every_label_in_order() -> None:
    likert = aggregate(q("horaires"), [1] * 2 + [2] * 6 + [4] * 10 + [5] * 7)
    texts = svg_texts(chart_svg(chart_for(likert)))
    labels = list(q("horaires").labels)
    assert [t for t in texts if t in labels] == labels
    choice = aggregate(q("frequence"), ["jamais"] * 3 + ["quotidien"] * 9 + ["mensuel"] * 6)
    texts = svg_texts(chart_svg(chart_for(choice)))
    options = [o.label for o in q("frequence").options]
    assert [t for t in texts if t in options] == options
    assert "s" in texts and "0 (0 %)" in texts


def test_the_chart_is_a_named_image_with_its_figures_in_a_table() -> None:
    """axe svg-img-alt: role="img" and a name; no unnamed Vega roles inside; a table with a
    caption gives the same numbers."""
    import re

    result = aggregate(q("satisfaction"), [2] * 5 + [7] * 6 + [9] * 5)
    card = result_card(result, 5)
    svg = re.search(r"<svg[^>]*>", card).group(0)
    assert 'role="img"' in svg and 'aria-label="Graphique des réponses à' in svg
    assert card.count("role=") == 1 and "<title>Graphique" in card
    table = re.search(r"<div class='wb-sr-only'><table[^>]*>.*</table>", card).group(0)
    assert "<caption>Réponses à « " in table
    assert "<th scope='row'>7</th><td>6</td><td>37,5</td>" in table
    assert "<th scope='row'>0</th><td>0</td><td>0</td>" in table
    communes = result_card(aggregate(q("commune"), COMMUNES), 5)
    assert "<th scope='row'>Autres réponses (regroupées)</th><td>6</td>" in communes


def test_labels_in_the_svg_and_the_table_are_escaped() -> None:
    import dataclasses

    result = aggregate(q("atelier"), ["oui"] * 5 + ["non"] * 6)
    result = dataclasses.replace(result, label="<b>x</b> & \"y\"")
    card = result_card(result, 5)
    assert "<b>" not in card and "&lt;b&gt;x&lt;/b&gt; &amp;" in card


def test_the_projection_styles_are_large_and_fit_a_phone() -> None:
    """28 px text from 768 px wide, code and address 32 px or more at every width, images
    scaled to their box (nothing wider than a 320 px screen), and the page carries them."""
    import re

    from workbench.workshops.styles import PROJECTION_CSS

    wide = PROJECTION_CSS.split("@media (min-width: 768px)")[1].split("@media")[0]
    assert ".wb-results .widget-html-content" in wide and "font-size: 28px" in wide
    rules = dict(re.findall(r"\.wb-projection \.(wb-code|wb-address) \{([^}]*)\}",
                            PROJECTION_CSS))
    assert "font-size: max(40px" in rules["wb-code"]
    assert "font-size: max(32px" in rules["wb-address"]
    assert "overflow-wrap: anywhere" in rules["wb-address"]
    assert ".wb-chart svg { display: block; width: 100%; max-width: 100%; height: auto; }" \
        in PROJECTION_CSS
    assert not re.search(r"overflow(-[xy])?: (auto|scroll)", PROJECTION_CSS)
    # ipywidgets' boxes scroll (overflow: auto) unless told otherwise: axe's
    # scrollable-region-focusable would flag the page's own box.
    assert "overflow: visible !important" in PROJECTION_CSS.split("}")[1]
