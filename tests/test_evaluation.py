"""Evaluation analysis: known answers (scipy, ipfn), suppression properties, census import,
French free text, the framework file, findings, and the evaluation report."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from workbench.errors import WorkbenchError
from workbench.evaluation.representativeness import chi_square, compare
from workbench.evaluation.stats import effective_size, likert_summary, quantiles, wilson
from workbench.evaluation.suppression import crosstab, suppress
from workbench.evaluation.weighting import rake
from workbench.forms.issues import SpecError

from .conftest import FIXTURES, ROOT

# Statistics --------------------------------------------------------------------------------

@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (47, 120), (120, 120), (512, 1000)])
def test_wilson_matches_scipy(k: int, n: int) -> None:
    expected = scipy_stats.binomtest(k, n).proportion_ci(confidence_level=0.95,
                                                         method="wilson")
    low, high = wilson(k, n)
    assert low == pytest.approx(expected.low, abs=1e-9)
    assert high == pytest.approx(expected.high, abs=1e-9)


def test_chi_square_matches_scipy_and_says_when_it_merges() -> None:
    observed = [30, 45, 25, 50]
    shares = [0.2, 0.3, 0.2, 0.3]
    statistic, dof, p_value, merges = chi_square(observed, shares, list("abcd"))
    reference = scipy_stats.chisquare(observed, [150 * s for s in shares])
    assert statistic == pytest.approx(reference.statistic)
    assert p_value == pytest.approx(reference.pvalue)
    assert dof == 3 and merges == []
    # Expected b = c = 2.15: merged (4.3, still < 5), then with a (12.9).
    _s, dof, _p, merges = chi_square([10, 2, 1, 30], [0.3, 0.05, 0.05, 0.6], list("abcd"))
    assert dof == 1 and len(merges) == 2
    assert merges[0] == "« b » regroupé avec « c » (effectif attendu 2,1 < 5)"
    # An expected count of 4.98 reads "4,98 < 5", not "5,0 < 5"; a p-value near 1, "> 0,999".
    _s, _d, _p, merges = chi_square([5, 300, 295], [4.98, 300, 295.02], list("abc"))
    assert merges == ["« a » regroupé avec « c » (effectif attendu 4,98 < 5)"]
    assert compare("x", {"a": 50, "b": 50}, {"a": 0.5, "b": 0.5}).verdict[0].endswith(
        "(p > 0,999).")


def test_likert_leaves_dont_know_out_of_the_base() -> None:
    values = [5, 4, 4, 3, 2, 1, "nsp", "nsp", 5, 4]
    summary = likert_summary(values)
    assert summary.base == 8 and summary.dont_know == 2
    assert summary.top2 == pytest.approx(100 * 5 / 8)
    assert summary.mean == pytest.approx((5 + 4 + 4 + 3 + 2 + 1 + 5 + 4) / 8)
    low, high = wilson(5, 8)
    assert (summary.top2_low, summary.top2_high) == pytest.approx((100 * low, 100 * high))


def test_quantiles_and_effective_size() -> None:
    assert quantiles([1, 2, 3, 4, 5]) == (2, 3, 4)
    assert quantiles([1, 2, 3], [1, 1, 10])[1] == 3
    assert effective_size([1, 1, 1, 1]) == 4
    assert effective_size([2, 1, 1]) == pytest.approx(16 / 6)


# Representativeness ------------------------------------------------------------------------

def test_the_verdict_names_over_and_under_represented_groups() -> None:
    result = compare("âge", {"jeunes": 60, "aînés": 20, "actifs": 20},
                     {"jeunes": 0.25, "aînés": 0.35, "actifs": 0.40},
                     who=lambda c: f"Les {c}")
    text = " ".join(result.verdict)
    # Shares to one decimal, as in the tables (the age text said "20 %" beside 20,3 before),
    # and the adjusted residual that calls the group out.
    assert "Les jeunes sont sur-représentés (60,0 % des répondants contre 25,0 % de la " \
        "population\u00a0; résidu ajusté +8,1, au-delà de ±2)" in text
    assert "Les aînés sont sous-représentés" in text and "résidu ajusté −3,1" in text
    assert "diffèrent nettement" in text
    assert result.dissimilarity == pytest.approx(35.0)


# Weighting ---------------------------------------------------------------------------------

def _sample(n: int = 600, seed: int = 3) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    return [{"age": str(rng.choice(["jeune", "actif", "senior"], p=[0.5, 0.3, 0.2])),
             "sexe": str(rng.choice(["F", "H"], p=[0.7, 0.3])),
             "zone": str(rng.choice(["ville", "bourg", "rural"], p=[0.6, 0.3, 0.1]))}
            for _ in range(n)]


TARGETS = {"age": {"jeune": 0.2, "actif": 0.45, "senior": 0.35},
           "sexe": {"F": 0.52, "H": 0.48},
           "zone": {"ville": 0.3, "bourg": 0.3, "rural": 0.4}}


def test_raking_reproduces_the_margins() -> None:
    rows = _sample()
    result = rake(rows, TARGETS)
    assert result.converged and result.max_gap < 1e-6
    total = sum(result.weights)
    for margin, shares in TARGETS.items():
        for category, share in shares.items():
            got = sum(w for r, w in zip(rows, result.weights, strict=True)
                      if r[margin] == category) / total
            assert got == pytest.approx(share, abs=1e-6)
    assert sum(result.weights) / len(rows) == pytest.approx(1.0)
    assert result.effective_size < len(rows)


def test_raking_matches_the_ipfn_library_on_three_margins() -> None:
    import pandas as pd
    from ipfn import ipfn

    rows = _sample()
    frame = pd.DataFrame(rows)
    frame["total"] = 1.0
    cells = frame.groupby(["age", "sexe", "zone"], as_index=False)["total"].sum()
    n = len(rows)
    aggregates = [pd.Series({k: v * n for k, v in TARGETS[m].items()}).rename_axis(m)
                  for m in ("age", "sexe", "zone")]
    fitted = ipfn.ipfn(cells.copy(), aggregates, [["age"], ["sexe"], ["zone"]],
                       weight_col="total", convergence_rate=1e-12, max_iteration=2000).iteration()
    expected = {(r.age, r.sexe, r.zone): r.total / cell for r, cell in
                zip(fitted.itertuples(), cells["total"], strict=True)}
    ours = rake(rows, TARGETS).weights
    for row, weight in zip(rows, ours, strict=True):
        assert weight == pytest.approx(expected[(row["age"], row["sexe"], row["zone"])],
                                       rel=1e-6)


def test_raking_explains_a_margin_it_cannot_meet() -> None:
    with pytest.raises(ValueError, match="aucune réponse dans « rural »"):
        rake([{"zone": "ville"}, {"zone": "bourg"}], {"zone": {"ville": 1, "bourg": 1,
                                                              "rural": 1}})


# Suppression -------------------------------------------------------------------------------

tables = st.integers(1, 5).flatmap(lambda r: st.integers(1, 5).flatmap(
    lambda c: st.lists(st.lists(st.integers(0, 30), min_size=c, max_size=c),
                       min_size=r, max_size=r)))


@settings(max_examples=300, deadline=None)
@given(tables)
def test_suppression_never_leaks_a_small_cell(counts) -> None:
    hidden = suppress(counts, threshold=5)
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(r[j] for r in grid) for j in range(len(grid[0]))])
    height, width = len(grid), len(grid[0])
    for i in range(height):
        for j in range(width):
            if 0 < grid[i][j] < 5 and (i, j) != (height - 1, width - 1):
                assert (i, j) in hidden, "a small cell is shown"
    for line in ([[(i, j) for j in range(width)] for i in range(height)]
                 + [[(i, j) for i in range(height)] for j in range(width)]):
        assert sum(c in hidden for c in line) != 1, "a line reveals its only hidden cell"


def test_a_crosstab_marks_every_hidden_cell_s() -> None:
    """One mark for small cells and the cells hidden to protect them: the mark tells
    nothing (a distinct "< 5" would tell the attacker the cell is 1 to 4)."""
    table = crosstab(["F", "H"], ["oui", "non"], ["F"] * 12 + ["H"] * 9,
                     ["oui"] * 10 + ["non"] * 2 + ["oui"] * 6 + ["non"] * 3, threshold=5)
    shown = table.shown(5)
    assert shown[0][1] == "s" and shown[1][1] == "s"  # small cells
    assert shown[0][0] == "s" and shown[1][0] == "s"  # hidden so they cannot be deduced
    assert "< 5" not in str(shown)


# Census --------------------------------------------------------------------------------------

def test_an_insee_file_of_another_vintage_is_imported(tmp_path, monkeypatch) -> None:
    from workbench.evaluation.census import import_insee_structure, load_census

    monkeypatch.setenv("WORKBENCH_CENSUS_FILE", str(tmp_path / "census.csv"))
    vintage, found = import_insee_structure(
        FIXTURES / "census" / "base-cc-evol-struct-pop-2019-extrait.csv")
    assert (vintage, found) == ("2019", 3)
    census = load_census()
    assert census.source.startswith("INSEE, recensement 2019")
    assert census.dimension("sexe")["Femme"] == pytest.approx((3700 + 3900 + 2500) / 19200)
    assert set(census.dimension("age")) == {"0-14 ans", "15-29 ans", "30-44 ans", "45-59 ans",
                                            "60-74 ans", "75 ans et plus"}
    assert len(census.dimension("csp")) == 8


def test_a_census_file_missing_a_column_gets_a_french_error(tmp_path, monkeypatch) -> None:
    from workbench.evaluation.census import import_insee_structure

    monkeypatch.setenv("WORKBENCH_CENSUS_FILE", str(tmp_path / "census.csv"))
    source = (FIXTURES / "census" / "base-cc-evol-struct-pop-2019-extrait.csv").read_text()
    broken = tmp_path / "structure.csv"
    broken.write_text(source.replace(";P19_POP75P", ";AUTRE"))
    with pytest.raises(WorkbenchError, match=re.escape("colonnes absentes : P19_POP75P")):
        import_insee_structure(broken)
    assert not (tmp_path / "census.csv").exists()


def test_without_an_import_the_agglomeration_structure_is_used(monkeypatch, tmp_path) -> None:
    from workbench.evaluation.census import load_census

    monkeypatch.setenv("WORKBENCH_CENSUS_FILE", str(tmp_path / "absent.csv"))
    census = load_census()
    assert census.dimension("age")["60-74 ans"] == pytest.approx(0.213)
    assert math.isclose(sum(census.dimension("commune").values()), 1.0)


# French free text ----------------------------------------------------------------------------

def test_french_answers_are_lemmatised_without_stopwords() -> None:
    from workbench.evaluation.text import lemmatise, summarise

    lemmas = lemmatise(["Les bus ne passent pas assez souvent dans les communes rurales.",
                        "Nous voulons des navettes plus fréquentes."])
    assert lemmas[0] == ["bus", "passer", "commune", "rural"]
    assert "navette" in lemmas[1] and "nous" not in lemmas[1]
    texts = ["Plus de bus le soir", "Des bus le dimanche", "Baisser les tarifs",
             "Des tarifs plus bas pour les jeunes", "Pistes cyclables vers Guingamp",
             "Sécuriser les pistes cyclables"] * 5
    first, second = summarise(texts, themes=3), summarise(texts, themes=3)
    assert first == second  # deterministic
    assert first.terms[0][1] >= 10 and len(first.themes) == 3
    # The same answer given five times is quoted once (three copies of one sentence before).
    assert all(len(set(theme.quotes)) == len(theme.quotes) >= 1 for theme in first.themes)
    assert sum(len(theme.quotes) for theme in first.themes) > len(first.themes)


# Framework, findings, report ---------------------------------------------------------------

def test_the_demo_framework_is_valid_and_errors_are_french_with_lines(tmp_path) -> None:
    from workbench.evaluation.framework import check_against_forms, load_framework
    from workbench.forms.loader import load_spec_file

    path = ROOT / "data" / "evaluations" / "evaluation-transport.yaml"
    framework = load_framework(path)
    assert 4 <= len(framework.questions) <= 6
    forms = {"evaluation-transport": load_spec_file(ROOT / "widgets" /
                                                    "evaluation-transport.yaml")}
    check_against_forms(framework, path, forms)
    broken = tmp_path / "evaluation-transport.yaml"
    text = path.read_text().replace("criteria: [pertinence]", "criteria: [popularité]")
    text = text.replace("question: tad_rural", "question: inexistante")
    broken.write_text(text)
    with pytest.raises(SpecError) as error:
        load_framework(broken)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "popularité" in t)
    assert f"{broken}:{line}:" in error.value.message()
    assert "« popularité » non permise" in error.value.message()
    assert "'impact' ou 'durabilité')" in error.value.message()
    broken.write_text(path.read_text().replace("question: tad_rural", "question: inexistante"))
    with pytest.raises(SpecError, match="n'a pas de question « inexistante »"):
        check_against_forms(load_framework(broken), broken, forms)


@pytest.mark.parametrize(("target", "message"), [
    ("{at_least: 60, at_most: 70}", "une cible a exactement une borne"),
    ("{at_least: .nan}", "doit être un nombre fini"),
    ("{at_least: 1e400}", "doit être un nombre fini"),
    ("{at_least: true}", "doit être un nombre"),
    ("{at_least: 160}", "la cible doit être comprise entre 0 et 100"),
    ("{at_least: -5}", "la cible doit être comprise entre 0 et 100"),
])
def test_a_target_that_cannot_be_judged_is_refused_with_its_line(tmp_path, target,
                                                                  message) -> None:
    """A NaN target read « au moins nan % : indécis » and turned a question undecided."""
    from workbench.evaluation.framework import check_against_forms, load_framework
    from workbench.forms.loader import load_spec_file

    path = ROOT / "data" / "evaluations" / "evaluation-transport.yaml"
    text = path.read_text().replace("target: {at_least: 60}", f"target: {target}")
    broken = tmp_path / "evaluation-transport.yaml"
    broken.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if target in t)
    forms = {"evaluation-transport": load_spec_file(ROOT / "widgets" /
                                                    "evaluation-transport.yaml")}
    with pytest.raises(SpecError) as error:
        check_against_forms(load_framework(broken), broken, forms)
    assert f"{broken}:{line}:" in error.value.message() and message in error.value.message()
    assert "texte" not in error.value.message()  # no second error from another reading


def test_a_mean_target_outside_the_scale_is_refused(tmp_path) -> None:
    from workbench.evaluation.framework import check_against_forms, load_framework
    from workbench.forms.loader import load_spec_file

    path = ROOT / "data" / "evaluations" / "evaluation-transport.yaml"
    broken = tmp_path / "evaluation-transport.yaml"
    broken.write_text(path.read_text().replace("target: {more_than: 6}",
                                               "target: {more_than: 60}"))
    forms = {"evaluation-transport": load_spec_file(ROOT / "widgets" /
                                                    "evaluation-transport.yaml")}
    with pytest.raises(SpecError, match="entre 0 et 10"):
        check_against_forms(load_framework(broken), broken, forms)


def test_findings_and_recommendations_are_stored_and_checked(engine) -> None:
    from workbench.evaluation import records

    records.add_finding("demo", "besoins", "Les horaires du soir manquent.", engine)
    records.add_recommendation("demo", "Ajouter un bus à 19 h.", "Vice-président mobilité",
                               "basse", engine)
    records.add_recommendation("demo", "Simplifier la réservation.", "Délégataire", "haute",
                               engine)
    assert [f.text for f in records.list_findings("demo", engine)] == [
        "Les horaires du soir manquent."]
    assert [r.priority for r in records.list_recommendations("demo", engine)] == ["haute",
                                                                                  "basse"]
    with pytest.raises(WorkbenchError, match="Le champ « constat » est vide"):
        records.add_finding("demo", "besoins", "   ", engine)
    with pytest.raises(WorkbenchError, match="La priorité doit être"):
        records.add_recommendation("demo", "x", "y", "urgente", engine)


@pytest.mark.xdist_group("reports")
def test_the_evaluation_report_states_representativeness_and_weights(demo_url,
                                                                     tmp_path) -> None:
    from workbench.evaluation import records
    from workbench.reports.catalogue import find_report
    from workbench.reports.run import run_report

    records.add_finding("evaluation-transport", "besoins", "Horaires <b>du soir</b> absents.")
    result = run_report(find_report("evaluation"), {"evaluation": "evaluation-transport",
                                                    "year": 2026}, 2026, tmp_path)
    assert result.ok, result.error
    text = (result.folder / "evaluation.html").read_text()
    assert "sont sur-représentés" in text and "sont sous-représentés" in text
    assert "Représentativité par âge" in text and "Part après pondération (%)" in text
    assert "<th scope='col'>Non pondéré</th>" in text and "<th scope='col'>Pondéré</th>" in text
    assert "Taille d&#x27;échantillon effective (Kish)" in text
    assert "Horaires &lt;b&gt;du soir&lt;/b&gt; absents." in text
    assert "Citations représentatives" in text
    # As an evaluator reads it: a synthesis up front, limits, intervals named for what they
    # are, ratios to two decimals, the recorded finding under its question.
    for heading in ("Synthèse", "Parties prenantes et validation", "Limites",
                    "Annexe : méthodes statistiques",
                    "Verdicts statistiques sur les questions évaluatives"):
        assert f">{heading}<" in text, heading
    assert "interquartile" not in text and "IC 95\u00a0%" in text
    assert "Quartiles Q1 – Q3 (non pondérés)" in text
    assert '<td class="wb-num">0,85</td>' in text  # '0,8' for 0.85 and 0.83 before
    assert "Constats de l&#x27;instance d&#x27;évaluation sur la question 1" in text


def test_the_evaluation_report_answers_each_question_against_its_target(demo_url) -> None:
    """Reviewer's reading of the demo: 46.9 % against a 60 % target, a mean of 5.65 whose
    interval lies wholly under the 'more than 6' criterion — both must be judged, not left
    to the reader; size classes come in size order; self-selection is a stated limit."""
    from workbench.evaluation.analysis import SIZE_CLASSES
    from workbench.reports import evaluation as report
    from workbench.reports import evaluation_judgement as judging

    evaluation = report.load("evaluation-transport", 2026)
    answers = {j.question.id: j for j in judging.judgements(evaluation)}
    assert answers["besoins"].answer == "no" and answers["satisfaction"].answer == "no"
    mean = next(i for i in answers["satisfaction"].indicators
                if i.value.indicator.measure == "mean")
    assert mean.high is not None and mean.high <= 6 and mean.status == "not_met"
    # 5,46 – 5,97 against "more than 6": a few answers could change the verdict.
    assert mean.strength == "low" and mean.reasons == ("self_selected", "close_to_target")
    assert answers["voiture"].answer == "no_target"
    crosstab = next(b for b in report.crosstabs(evaluation) if "taille" in b.title)
    assert [row[0] for row in crosstab._rows[:-1]] == list(SIZE_CLASSES)
    limits = judging.limits(evaluation)[0].markdown
    assert "tirés au sort" in limits and "biais de non-réponse" in limits
    assert "« Moins de 18 ans » : 27 répondants, 44 % du groupe" in limits.replace("\u00a0", " ")
    assert "Document de travail, non validé" in judging.synthesis(evaluation)[0].markdown
    design = judging.design(evaluation)[0].markdown
    assert "auto-sélectionnés" in design and "pour mille" in design


def test_the_staff_page_records_a_finding_and_escapes_text(demo_url) -> None:
    from workbench.evaluation.page import EvaluationPage

    page = EvaluationPage("evaluation-transport")
    assert "sur-représentés" in page.root.children[4].value
    page.finding_text.value = "<img src=x onerror=alert(1)>"
    page.question_choice.value = "rural"
    save = next(c for c in page.root.children if getattr(c, "description", "") ==
                "Enregistrer le constat")
    save.click()
    assert "&lt;img src=x" in page.findings.value and "<img" not in page.findings.value
    page.weighted.value = True
    assert "<td class='wb-num'>" in page.framework_table.value
    # The free-text analysis runs as a background job (inline here: no page kernel).
    page.themes_button.click()
    assert "<h3>" in page.themes.value and not page.themes_button.disabled
    assert page.themes_job.root.layout.display == "none"


def test_an_insee_workbook_with_title_lines_is_imported(tmp_path, monkeypatch) -> None:
    """INSEE publishes XLSX files whose header (CODGEO…) comes after a few title lines."""
    import csv

    from openpyxl import Workbook

    from workbench.evaluation.census import import_insee_structure

    monkeypatch.setenv("WORKBENCH_CENSUS_FILE", str(tmp_path / "census.csv"))
    source = FIXTURES / "census" / "base-cc-evol-struct-pop-2019-extrait.csv"
    rows = list(csv.reader(source.open(encoding="utf-8"), delimiter=";"))
    book = Workbook()
    sheet = book.active
    sheet.append(["Évolution et structure de la population en 2019"])
    sheet.append(["Source : Insee"])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "base-cc-evol-struct-pop-2019.xlsx"
    book.save(path)
    assert import_insee_structure(path) == ("2019", 3)


@pytest.mark.parametrize("slug", ["nope", "../../etc/passwd",
                                  "../evaluations/evaluation-transport"])
def test_an_unknown_evaluation_is_named_without_a_server_path(slug) -> None:
    from workbench.evaluation.framework import framework_path
    from workbench.evaluation.page import EvaluationPage

    with pytest.raises(WorkbenchError) as error:
        framework_path(slug)
    assert str(error.value).startswith(f"L'évaluation « {slug} » n'existe pas. ")
    text = EvaluationPage(slug).message.value
    assert "n&#x27;existe pas" in text and str(ROOT) not in text and ".yaml" not in text
