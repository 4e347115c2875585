"""MICMAC scoring in workshops: groups, resumable scores, assembly; the phone page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from workbench.errors import WorkbenchError
from workbench.foresight import micmac, scoring

from .a11y import assert_accessible
from .apps import PHONE, TIMEOUT_MS, Apps


def test_groups_score_their_rows_and_the_matrix_is_assembled(engine) -> None:
    scoring.create_study("mobilite", "Mobilités 2040", ["A", "B", "C"], engine)
    first = scoring.find_group(scoring.create_group("mobilite", "Table 1", ["A", "B"], engine),
                               engine)
    second = scoring.find_group(scoring.create_group("mobilite", "Table 2", ["A", "C"],
                                                     engine), engine)
    assert scoring.pairs(first) == [("A", "B"), ("A", "C"), ("B", "A"), ("B", "C")]
    for group, values in ((first, ["3", "1", "2", "0"]), (second, ["1", "P", "1", "1"])):
        for (source, target), value in zip(scoring.pairs(group), values, strict=True):
            scoring.save_score(group, source, target, value, engine)
    scoring.save_score(first, "A", "B", "3", engine)  # changing a score is an update
    assembly = scoring.assemble("mobilite", engine)
    assert assembly.cells == (("0", "2", "1"), ("2", "0", "0"), ("1", "1", "0"))
    # A→B: 3 and 1 (spread 2); A→C: 1 and P.
    assert [(s, t) for s, t, _v in assembly.disagreements] == [("A", "B"), ("A", "C")]
    assert assembly.missing == 0
    result = micmac.analyse(list(assembly.variables), [list(r) for r in assembly.cells])
    assert result.direct.influence == (3, 2, 2)


def test_scoring_refuses_foreign_pairs_and_bad_values(engine) -> None:
    scoring.create_study("etude", "Étude", ["A", "B"], engine)
    group = scoring.find_group(scoring.create_group("etude", "T", ["A"], engine), engine)
    with pytest.raises(WorkbenchError, match="n'est pas confiée à votre groupe"):
        scoring.save_score(group, "B", "A", "1", engine)
    with pytest.raises(WorkbenchError, match="Une note vaut 0, 1, 2, 3 ou P"):
        scoring.save_score(group, "A", "B", "4", engine)
    with pytest.raises(WorkbenchError, match="Variables inconnues : Z"):
        scoring.create_group("etude", "T2", ["Z"], engine)
    with pytest.raises(WorkbenchError, match="existe déjà"):
        scoring.create_study("etude", "Étude", ["A", "B"], engine)


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    running = Apps(tmp_path_factory.mktemp("scoring"))
    scoring.create_study("mobilite", "Mobilités 2040", ["Démographie", "Emploi", "Voiture"],
                         running.engine)
    running.code = scoring.create_group("mobilite", "Table des élus",
                                        ["Démographie", "Emploi"], running.engine)
    yield running
    running.stop()


@pytest.mark.e2e
@pytest.mark.xdist_group("e2e")
def test_a_table_scores_pairs_on_a_phone_and_resumes_after_a_reload(browser: Browser,
                                                                    apps) -> None:
    from workbench.web.urls import scoring_url

    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(scoring_url(apps.public, apps.code))
    expect(page.locator(".wb-progress")).to_contain_text("Paires notées : 0 sur 4")
    expect(page.get_by_role("radiogroup", name=re.compile(
        "Quelle influence « Démographie » exerce-t-elle sur « Emploi »"))).to_be_visible()
    assert_accessible(page, "MICMAC scoring, first pair")
    expect(page.locator("h2")).to_contain_text(
        "Quelle influence « Démographie » exerce-t-elle sur « Emploi » ?")
    page.get_by_role("radio", name="3 · forte").click()
    expect(page.locator(".wb-progress")).to_contain_text("Paires notées : 1 sur 4")
    expect(page.locator("h2")).to_contain_text("« Démographie » exerce-t-elle sur « Voiture »")
    page.get_by_role("radio", name="P · potentielle").click()
    expect(page.locator(".wb-progress")).to_contain_text("Paires notées : 2 sur 4")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.reload()
    expect(page.locator(".wb-progress")).to_contain_text("Paires notées : 2 sur 4")
    expect(page.locator("h2")).to_contain_text("« Emploi » exerce-t-elle sur « Démographie »")
    page.get_by_role("button", name="Paire précédente").click()
    expect(page.get_by_role("radio", name="P · potentielle")).to_be_checked()
    assert_accessible(page, "MICMAC scoring, a pair already scored")
    group = scoring.find_group(apps.code, apps.engine)
    assert scoring.scores(group, apps.engine) == {("Démographie", "Emploi"): "3",
                                                  ("Démographie", "Voiture"): "P"}
    page.context.close()


@pytest.mark.e2e
@pytest.mark.xdist_group("e2e")
def test_an_unknown_group_code_is_refused_politely(browser: Browser, apps) -> None:
    from workbench.web.urls import scoring_url

    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(scoring_url(apps.public, "ZZZZZZ"))
    expect(page.locator(".wb-panel")).to_contain_text("Groupe introuvable", timeout=TIMEOUT_MS)
    assert_accessible(page, "MICMAC scoring, unknown group")
    page.context.close()
