"""Delphi: statistics and rules on known data, rounds, feedback in round 2, the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.errors import WorkbenchError
from workbench.foresight import delphi_rounds
from workbench.foresight.delphi import Rules, item_stats, load_delphi, verdict


def test_median_quartiles_and_top_band_on_known_data() -> None:
    stats = item_stats([4, 5, 4, 3, 5, 4, 4, 5, 2, 4], (1, 5), (4, 5))
    # sorted 2 3 4 4 4 4 4 5 5 5: quartiles (inverse of the distribution function, averaged
    # at a step; the evaluation's estimator) 4 and 5, median 4.
    assert (stats.q1, stats.median, stats.q3) == (4.0, 4.0, 5.0)
    assert stats.iqr == 1.0 and stats.top_share == 0.8
    assert dict(stats.distribution) == {1: 0, 2: 1, 3: 1, 4: 5, 5: 3}
    rules = Rules(iqr_max=1, top_band=(4, 5), top_share=0.7, median_change_max=0.5)
    assert verdict(stats, None, rules) == {"consensus": True, "stable": False}
    earlier = item_stats([2, 3, 3, 4, 5], (1, 5), (4, 5))  # median 3: moved by 1
    assert verdict(stats, earlier, rules)["stable"] is False
    close = item_stats([3, 4, 4, 4, 5], (1, 5), (4, 5))
    assert verdict(stats, close, rules)["stable"] is True
    spread = item_stats([1, 2, 4, 5, 5], (1, 5), (4, 5))
    assert verdict(spread, None, rules)["consensus"] is False


@pytest.fixture
def study(engine):
    delphi = load_delphi("mobilite-2040")
    tokens = delphi_rounds.create_panel(delphi.slug, 5, engine)
    panel = [delphi_rounds.find_panelist(delphi.slug, t, engine) for t in tokens]
    return delphi, tokens, panel


def answers_for(delphi, value: int, why: str = "") -> dict:
    return {item: (value, why) for item, _s in delphi.items}


def test_rounds_store_answers_and_ask_for_justifications(study, engine) -> None:
    delphi, _tokens, panel = study
    with pytest.raises(WorkbenchError, match="Ouvrez d'abord le tour 1"):
        delphi_rounds.open_round(delphi, 2, engine)
    delphi_rounds.open_round(delphi, 1, engine)
    for panelist, value in zip(panel, [4, 4, 5, 3, 4], strict=True):
        assert delphi_rounds.submit_round(delphi, 1, panelist, answers_for(delphi, value),
                                          engine) == {}
    # Resending replaces (no double answer).
    assert delphi_rounds.submit_round(delphi, 1, panel[0], answers_for(delphi, 4), engine) == {}
    assert delphi_rounds.round_stats(delphi, 1, engine)["velo"].n == 5
    delphi_rounds.open_round(delphi, 2, engine)
    assert delphi_rounds.submit_round(delphi, 1, panel[0], answers_for(delphi, 4), engine) == {
        "_": "Ce tour est clos."}
    errors = delphi_rounds.submit_round(delphi, 2, panel[3], answers_for(delphi, 1), engine)
    assert set(errors) == {item for item, _s in delphi.items}
    assert "sort de l'intervalle interquartile" in errors["velo"]
    assert delphi_rounds.own_answers(delphi.slug, 2, panel[3], engine) == {}  # nothing half
    assert delphi_rounds.submit_round(delphi, 2, panel[3],
                                      answers_for(delphi, 1, "Le relief s'y prête mal."),
                                      engine) == {}


def test_the_round_two_page_shows_round_one_statistics_and_own_answer(study, engine,
                                                                       monkeypatch) -> None:
    from workbench.foresight.delphi_page import DelphiPage

    delphi, tokens, panel = study
    delphi_rounds.open_round(delphi, 1, engine)
    for panelist, value in zip(panel, [4, 4, 5, 3, 4], strict=True):
        delphi_rounds.submit_round(delphi, 1, panelist, answers_for(delphi, value), engine)
    delphi_rounds.open_round(delphi, 2, engine)
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    page = DelphiPage("mobilite-2040", tokens[3])
    text = " ".join(getattr(w, "value", "") or "" for box in page.root.children
                    for w in getattr(box, "children", [box]) if isinstance(
                        getattr(w, "value", None), str))
    assert "Tour 2 sur 3" in text
    assert "Tour précédent : médiane 4, quartiles de 4 à 4 (5 réponses)." in text
    assert "Votre réponse précédente : 3." in text
    other = DelphiPage("mobilite-2040", "lien-inconnu")
    assert "Lien non reconnu" in other.root.children[0].value


def test_the_cli_reports_consensus_and_stability(study, engine, monkeypatch) -> None:
    from workbench.cli import main

    delphi, _tokens, panel = study
    delphi_rounds.open_round(delphi, 1, engine)
    for panelist, value in zip(panel, [4, 4, 5, 4, 4], strict=True):
        delphi_rounds.submit_round(delphi, 1, panelist, answers_for(delphi, value), engine)
    delphi_rounds.open_round(delphi, 2, engine)
    for panelist, value in zip(panel, [4, 4, 4, 4, 5], strict=True):
        delphi_rounds.submit_round(delphi, 2, panelist, answers_for(delphi, value), engine)
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    done = CliRunner().invoke(main, ["foresight", "delphi", "mobilite-2040", "--round", "2",
                                     "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    item = data["items"][0]
    assert item["median"] == 4 and item["consensus"] and item["stable"]
    assert data["final"] is False
