"""Foresight methods on published and hand-computed examples; file errors in French."""

from __future__ import annotations

import html
import itertools
import json
import os
import re

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.foresight import mactor, micmac
from workbench.foresight.morpho import parse_morphology

from .conftest import ROOT, sqlite_url

EXAMPLES = ROOT / "data" / "examples"


# Morphological analysis -----------------------------------------------------------------------

def test_the_lipsor_example_space_counts_2916_scenarios() -> None:
    components = {f"C{i}": [f"c{i}{j}" for j in range(size)]
                  for i, size in enumerate([3, 3, 3, 3, 3, 3, 4], start=1)}
    space = parse_morphology({"components": components})
    assert space.raw_count == space.feasible_count() == 2916


def brute_force(components: dict, exclusions: list) -> int:
    names = list(components)
    count = 0
    for scenario in itertools.product(*components.values()):
        chosen = {f"{n}={v}" for n, v in zip(names, scenario, strict=True)}
        count += not any(a in chosen and b in chosen for a, b in exclusions)
    return count


spaces = st.lists(st.integers(1, 4), min_size=1, max_size=6).flatmap(
    lambda sizes: st.tuples(
        st.just({f"K{i}": [f"v{j}" for j in range(n)] for i, n in enumerate(sizes)}),
        st.lists(st.tuples(st.integers(0, len(sizes) - 1), st.integers(0, 3),
                           st.integers(0, len(sizes) - 1), st.integers(0, 3)), max_size=8)))


@settings(max_examples=200, deadline=None)
@given(spaces)
def test_counting_without_enumerating_equals_brute_force(space) -> None:
    components, raw_pairs = space
    names = list(components)
    exclusions = [[f"{names[a]}={components[names[a]][x % len(components[names[a]])]}",
                   f"{names[b]}={components[names[b]][y % len(components[names[b]])]}"]
                  for a, x, b, y in raw_pairs if a != b]
    morphology = parse_morphology({"components": components, "exclusions": exclusions})
    expected = brute_force(components, exclusions)
    assert morphology.feasible_count() == expected
    assert sum(1 for _ in morphology.scenarios()) == expected


def test_a_large_space_is_counted_and_listed_lazily() -> None:
    components = {f"C{i}": [f"c{j}" for j in range(6)] for i in range(10)}
    exclusions = [[f"C{i}=c0", f"C{i + 1}=c1"] for i in range(9)]
    space = parse_morphology({"components": components, "exclusions": exclusions})
    assert space.raw_count == 6 ** 10
    assert space.feasible_count() < space.raw_count
    first = next(space.scenarios())
    assert first == ("c0", "c0", "c0", "c0", "c0", "c0", "c0", "c0", "c0", "c0")


def test_preferred_configurations_restrict_the_space() -> None:
    data = {"components": {"A": ["a1", "a2"], "B": ["b1", "b2", "b3"]},
            "preferred": ["A=a2"]}
    assert parse_morphology(data).feasible_count() == 3


def test_morphology_errors_are_french() -> None:
    with pytest.raises(WorkbenchError, match="« Z=z » doit s'écrire <composante>=<configuration>"):
        parse_morphology({"components": {"A": ["a"]}, "exclusions": [["A=a", "Z=z"]]}, "f.yaml")
    with pytest.raises(WorkbenchError, match="« b » n'est pas une configuration de « A »"):
        parse_morphology({"components": {"A": ["a"], "B": ["x"]},
                          "exclusions": [["A=b", "B=x"]]}, "f.yaml")


boxes = st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.lists(st.integers(1, 5), min_size=n, max_size=n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 4), st.integers(0, n - 1),
                       st.integers(0, 4)), max_size=30),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 4)), max_size=3)))


@settings(max_examples=300, deadline=None)
@given(boxes)
def test_dense_boxes_count_and_list_as_brute_force(box) -> None:
    """Issue 17, defect 7: the bounded count and the steered listing against brute force,
    with many exclusions and preferred configurations."""
    sizes, raw_pairs, raw_preferred = box
    components = {f"K{i}": [f"v{j}" for j in range(n)] for i, n in enumerate(sizes)}
    names = list(components)

    def config(i: int, x: int) -> str:
        return f"{names[i]}={components[names[i]][x % sizes[i]]}"

    exclusions = [[config(a, x), config(b, y)] for a, x, b, y in raw_pairs if a != b]
    preferred = [config(i, x) for i, x in raw_preferred]
    space = parse_morphology({"components": components, "exclusions": exclusions,
                              "preferred": preferred})
    kept = {i: {config(i, x) for j, x in raw_preferred if j == i} for i in range(len(sizes))}
    expected = [scenario for scenario in itertools.product(*components.values())
                if all(not kept[i] or f"{names[i]}={v}" in kept[i]
                       for i, v in enumerate(scenario))
                and not any({a, b} <= {f"{n}={v}" for n, v in zip(names, scenario, strict=True)}
                            for a, b in exclusions)]
    assert space.feasible_count() == len(expected)
    assert list(space.scenarios()) == expected


def dense_box(n: int) -> dict:
    """n components × 5 configurations, one exclusion between every two components."""
    return {"components": {f"C{i}": [f"h{j}" for j in range(5)] for i in range(n)},
            "exclusions": [[f"C{i}=h{(i + 2 * j) % 5}", f"C{j}=h{(i * j + 3 * j) % 5}"]
                           for i in range(n) for j in range(i + 1, n)]}


def _bounded(code: str, seconds: float = 30, megabytes: int = 400) -> str:
    """Run ``code`` in a fresh Python limited in time and memory; its output."""
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=seconds, preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize(("n", "expected"), [(12, 15_449_833), (16, 1_330_184_114)])
def test_dense_boxes_are_counted_fast_in_bounded_memory(n, expected) -> None:
    """Issue 17, defect 7: 12 × 5 with 66 exclusions took 37 s and 1.2 GB, 16 × 5 over a
    minute and 2 GB."""
    assert len(dense_box(n)["exclusions"]) == n * (n - 1) // 2
    output = _bounded("from workbench.foresight.morpho import parse_morphology\n"
                      f"print(parse_morphology({dense_box(n)!r}).feasible_count())")
    assert int(output) == expected


def test_past_its_bound_the_count_stops_with_a_french_message() -> None:
    from workbench.foresight.morpho_count import FeasibleCounter, SpaceTooEntangled

    space = parse_morphology(dense_box(12))
    counter = FeasibleCounter([5] * 12, [31] * 12,
                              {tuple(sorted(p)) for p in space.exclusions}, list(range(12)),
                              max_states=1000)
    with pytest.raises(SpaceTooEntangled, match=r"trop enchevêtré.*plus de 1\u202f000 états"):
        counter.count()
    assert len(counter.memo) <= 1000


def test_listing_an_empty_space_stops_at_once(tmp_path) -> None:
    """Issue 17, defect 7: ``--list`` on a space with no feasible scenario ran for ever."""
    import yaml

    data = {"components": dense_box(16)["components"],  # the first and last never fit
            "exclusions": [[f"C0=h{x}", f"C15=h{y}"] for x in range(5) for y in range(5)]}
    path = tmp_path / "vide.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    output = _bounded("import sys\nfrom workbench.cli import main\n"
                      f"sys.argv = ['workbench', 'foresight', 'morpho', {str(path)!r}, '--list']\n"
                      "main()", seconds=60)
    assert "0 possibles" in output
    space = parse_morphology(data)
    assert list(space.scenarios()) == []


# MICMAC ---------------------------------------------------------------------------------------

def test_micmac_on_a_hand_computed_matrix() -> None:
    # a→b, b→c, c→a, c→b. By hand: M⁴ rows (2, 3, 4), columns (2, 4, 3); M⁵ rows (3, 4, 5),
    # columns (3, 5, 4): the same rankings, so the rule stops at k = 4 (k = 2→3 and 3→4 differ).
    cells = [["0", "1", "0"], ["0", "0", "1"], ["1", "1", "0"]]
    result = micmac.analyse(["a", "b", "c"], cells)
    assert result.direct.influence == (1, 1, 2) and result.direct.dependence == (1, 2, 1)
    assert result.k == 4
    scale = 4 / 9  # indirect sums rescaled to the direct total (4)
    assert result.indirect.influence == pytest.approx((2 * scale, 3 * scale, 4 * scale),
                                                      abs=1e-4)
    assert result.indirect.dependence == pytest.approx((2 * scale, 4 * scale, 3 * scale),
                                                       abs=1e-4)
    power = np.linalg.matrix_power(np.array(cells, dtype=float), 4)
    assert micmac.ranking(power.sum(axis=1)) == micmac.ranking(
        np.array(result.indirect.influence))


def test_potential_influences_count_only_in_the_potential_matrix() -> None:
    cells = [["0", "P", "1"], ["1", "0", "0"], ["2", "1", "0"]]
    result = micmac.analyse(["x", "y", "z"], cells, potential=3)
    assert result.direct.influence[0] == 1
    assert result.potential_direct.influence[0] == 4


def test_the_example_matrix_gives_the_documented_json(tmp_path) -> None:
    done = CliRunner().invoke(main, ["foresight", "micmac", str(EXAMPLES / "micmac-mobilite.csv"),
                                     "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert set(data) >= {"variables", "k", "direct", "indirect", "classification"}
    assert len(data["direct"]["influence"]) == len(data["variables"]) == 7
    assert data["classification"]["Télétravail"] == "influente"


@pytest.mark.parametrize(("content", "message"), [
    (";A;B;C\nA;0;1;1\nB;1;0;1\n", "n'est pas carré (2 lignes de variables pour 3"),
    (";A;B;C\nA;0;1;5\nB;0;0;1\nC;1;1;0\n",
     "ligne 2, colonne 4 (A → C) : « 5 » n'est pas permis"),
    (";A;B\nA;0;1\nX;1;0\n", "ligne 3, colonne 1 : variable inconnue « X »"),
])
def test_bad_matrices_get_french_errors_with_row_and_column(tmp_path, content, message) -> None:
    path = tmp_path / "matrice.csv"
    path.write_text(content)
    with pytest.raises(WorkbenchError, match=re.escape(message)):
        micmac.read_matrix(path)


# MACTOR ---------------------------------------------------------------------------------------

def test_mactor_on_a_hand_checked_three_actor_example() -> None:
    mid = [[0, 2, 1], [3, 0, 0], [1, 2, 0]]
    # MIDI by hand (min rule): e.g. A→B = 2 + min(A→C, C→B) = 2 + min(1, 2) = 3.
    expected_midi = [[3, 3, 1], [3, 2, 1], [3, 3, 1]]
    mao = [[2, -1], [1, 1], [-3, 2]]
    result = mactor.analyse(["A", "B", "C"], ["o1", "o2"], mid, mao)
    assert result.midi.tolist() == expected_midi
    assert result.influence.tolist() == [4, 4, 6]  # diagonal excluded
    assert result.dependence.tolist() == [6, 6, 2]
    # r = (Mi / ΣMi) · Mi / (Mi + Di): A = B = 4/14 · 4/10, C = 6/14 · 6/8; r* = 3 r / Σr.
    r = np.array([4 / 14 * 0.4, 4 / 14 * 0.4, 6 / 14 * 0.75])
    assert result.r_star == pytest.approx(3 * r / r.sum())
    assert result.r_star.mean() == pytest.approx(1.0)
    assert result.convergence[2][0, 1] == 1.5 and result.divergence[2][0, 1] == 1.0
    assert result.divergence[2][0, 2] == 4.0 and result.convergence[2][0, 2] == 0.0
    assert result.convergence[2][1, 2] == 1.5 and result.divergence[2][1, 2] == 2.0
    assert result.mao[1].tolist() == [[1, -1], [1, 1], [-1, 1]]
    assert result.mao[3][2, 0] == pytest.approx(-3 * result.r_star[2])
    assert result.agreement[2].tolist() == [3, 3] and result.disagreement[2].tolist() == [-3, -1]


def test_the_diagonal_option_changes_r_star_and_keeps_its_mean() -> None:
    path = EXAMPLES / "mactor-mobilite.yaml"
    without, with_diagonal = mactor.load_mactor(path), mactor.load_mactor(path, True)
    assert with_diagonal.r_star.mean() == pytest.approx(1.0)
    assert not np.allclose(without.r_star, with_diagonal.r_star)
    data = with_diagonal.to_json()
    assert data["r_star_includes_diagonal"] is True
    assert set(data) >= {"actors", "midi", "influence", "dependence", "r_star", "convergence",
                         "divergence"}
    assert set(data["convergence"]) == {"1", "2", "3"}


def test_a_mactor_value_out_of_range_is_named(tmp_path) -> None:
    path = tmp_path / "acteurs.yaml"
    path.write_text("actors: [A, B]\nobjectives: [o]\nmid: [[0, 5], [1, 0]]\nmao: [[1], [2]]\n")
    with pytest.raises(WorkbenchError, match=re.escape("« mid », ligne 1, colonne 2 : « 5 »")):
        mactor.load_mactor(path)


@pytest.mark.xdist_group("reports")
def test_the_prospective_report_has_its_charts(tmp_path, monkeypatch, sqlite_engine) -> None:
    from workbench.reports.catalogue import find_report
    from workbench.reports.run import run_report

    from .conftest import sqlite_url

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    result = run_report(find_report("prospective"), {"study": "mobilite-2040", "year": 2026},
                        2026, tmp_path / "out")
    assert result.ok, result.error
    text = (result.folder / "prospective.html").read_text()
    assert text.count("<svg") >= 6
    for heading in ("Analyse structurelle (MICMAC)", "Rapports de force entre acteurs",
                    "scénarios possibles", "Graphe des convergences entre acteurs"):
        assert heading in text
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert {i["name"] for i in manifest["inputs"]} == {
        "prospective:mobilite-2040:micmac", "prospective:mobilite-2040:mactor",
        "prospective:mobilite-2040:morpho"}


def test_an_unknown_study_is_named() -> None:
    from workbench.foresight.study import load_study

    with pytest.raises(WorkbenchError) as error:
        load_study("inconnue")
    assert str(error.value).startswith("L'étude prospective « inconnue » n'existe pas. ")


@pytest.mark.parametrize("slug", ["../../etc/passwd", "..", "mobilite-2040/../mobilite-2040",
                                  "/etc", "mobilite-2040\\..", ""])
def test_a_study_id_never_leads_to_a_path(slug) -> None:
    from workbench.foresight.delphi import load_delphi
    from workbench.foresight.study import load_study

    for load, what in ((load_study, "L'étude prospective"), (load_delphi, "L'étude Delphi")):
        with pytest.raises(WorkbenchError) as error:
            load(slug)
        assert str(error.value).startswith(f"{what} « {slug} » n'existe pas. ")
        assert str(ROOT) not in str(error.value) and ".yaml" not in str(error.value)


def test_unknown_ids_are_named_without_a_server_path_on_pages_and_in_the_cli(
        tmp_path, monkeypatch) -> None:
    from workbench.foresight.scenario_page import ScenarioPage

    page = ScenarioPage("nope")
    text = html.unescape(page.root.children[0].value)
    assert "L'étude prospective « nope » n'existe pas." in text
    assert str(ROOT) not in text and ".yaml" not in text
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    for args, message in (
            (["foresight", "delphi", "nope", "--round", "1"], "L'étude Delphi « nope »"),
            (["foresight", "delphi-panel", "../../etc/passwd", "--count", "1"],
             "L'étude Delphi « ../../etc/passwd » n'existe pas."),
            (["evaluation", "check", "nope"], "L'évaluation « nope » n'existe pas."),
            (["associations", "committee-check", "nope"], "La commission « nope » n'existe pas.")):
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 1 and message in done.output, done.output
        assert str(ROOT) not in done.output and "Traceback" not in done.output


def test_a_group_names_a_feasible_scenario_and_an_infeasible_one_is_refused(
        engine, monkeypatch) -> None:
    from workbench.foresight.morpho import load_morphology
    from workbench.foresight.scenario_page import ScenarioPage
    from workbench.foresight.scenarios import list_scenarios, save_scenario

    space = load_morphology(EXAMPLES / "morpho-mobilite.yaml")
    reduced_and_receding = (0, 1, 1, 2, 0)  # bus "Réduit…" with car "Reculant": excluded
    assert space.violations(reduced_and_receding) == [
        ("Réseau de bus = Réduit aux lignes principales", "Voiture = Reculant")]
    with pytest.raises(WorkbenchError, match="configurations incompatibles"):
        save_scenario("mobilite-2040", space, "Impossible", reduced_and_receding, engine)
    save_scenario("mobilite-2040", space, "Le bus partout", (2, 2, 2, 2, 1), engine)
    with pytest.raises(WorkbenchError, match="s'appelle déjà « Le bus partout »"):
        save_scenario("mobilite-2040", space, "Le bus partout", (1, 1, 1, 1, 1), engine)
    assert list_scenarios("mobilite-2040", engine)[0].choices["Voiture"] == "Reculant"
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    page = ScenarioPage("mobilite-2040")
    for picker, value in zip(page.pickers, reduced_and_receding, strict=True):
        picker.value = value
    assert "Configurations incompatibles" in page.feasibility.value
    page.pickers[0].value = 1
    assert "Ce scénario est possible." in page.feasibility.value
    page.name.value = "Sobriété"
    page._save()
    assert "Sobriété" in page.saved.value and "Le bus partout" in page.saved.value


def test_a_space_too_entangled_to_count_keeps_the_page_and_the_report_working(
        sqlite_engine, monkeypatch) -> None:
    """Past the bound, the French message replaces the count; picking and the report's other
    parts go on."""
    from workbench.foresight.scenario_page import ScenarioPage
    from workbench.foresight.study import load_study
    from workbench.reports.prospective import scenarios

    monkeypatch.setattr("workbench.foresight.morpho_count.MAX_STATES", 2)
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: sqlite_engine)
    page = ScenarioPage("mobilite-2040")
    assert "trop enchevêtré" in html.unescape(page.root.children[0].value)
    assert len(page.pickers) == 5
    blocks = scenarios(load_study("mobilite-2040"))
    assert "trop enchevêtré" in blocks[0].markdown and len(blocks) == 2
