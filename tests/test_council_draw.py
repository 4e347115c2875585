"""Stratified draws: quotas met, reproducible, probabilities, infeasible quotas explained."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from workbench.council.draw import Quota, draw, read_pool, read_quotas
from workbench.errors import WorkbenchError

from .conftest import ROOT

EXAMPLES = ROOT / "data" / "examples"


def random_pool(seed: int, size: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{"id": f"P{i}", "sexe": rng.choice(["F", "H"]),
             "age": rng.choice(["jeune", "actif", "senior"])} for i in range(size)]


def feasible_quotas(pool: list[dict[str, str]], seats: int) -> list[Quota]:
    counts = {f: Counter(p[f] for p in pool) for f in ("sexe", "age")}
    quotas = []
    for feature, tally in counts.items():
        for value, n in sorted(tally.items()):
            share = seats * n / len(pool)
            quotas.append(Quota(feature, value, max(0, int(share) - 1),
                                min(n, int(share) + 2)))
    return quotas


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_panel_meets_every_quota_and_probabilities_sum_to_the_seats(seed) -> None:
    pool = random_pool(seed, 40)
    quotas = feasible_quotas(pool, 10)
    result = draw(pool, quotas, 10, seed)
    assert len(result.panel) == 10
    people = {p["id"]: p for p in pool}
    for q in quotas:
        taken = sum(1 for i in result.panel if people[i][q.feature] == q.value)
        assert q.min <= taken <= q.max
    assert set(result.probabilities) == set(people)
    assert sum(result.probabilities.values()) == pytest.approx(10, abs=1e-4)
    again = draw(pool, quotas, 10, seed)
    assert again.panel == result.panel and again.probabilities == result.probabilities


def test_infeasible_quotas_are_explained_in_french() -> None:
    pool = random_pool(5, 30)
    women = sum(p["sexe"] == "F" for p in pool)
    quotas = [Quota("sexe", "F", women + 2, women + 3), Quota("sexe", "H", 0, 30)]
    with pytest.raises(WorkbenchError, match=re.escape(
            f"« sexe = F » demande au moins {women + 2} personnes mais les volontaires n'en "
            f"comptent que {women} (il en manque 2).")):
        draw(pool, quotas, 10, 1)
    with pytest.raises(WorkbenchError, match=re.escape("les minimums totalisent 12, plus que "
                                                       "les 10 sièges (2 de trop)")):
        draw(pool, [Quota("sexe", "F", 6, 8), Quota("sexe", "H", 6, 8)], 10, 1)


def test_a_replacement_draw_keeps_the_seated_members() -> None:
    pool = random_pool(9, 30)
    quotas = feasible_quotas(pool, 8)
    seated = ["P0", "P1", "P2"]
    result = draw(pool, quotas, 8, 4, seated=seated)
    assert set(seated) <= set(result.panel) and len(result.panel) == 8
    assert all(result.probabilities[s] == 1.0 for s in seated)


def test_pool_errors_name_the_line_and_column(tmp_path) -> None:
    quotas = read_quotas(EXAMPLES / "council-quotas.csv")
    pool = tmp_path / "pool.csv"
    pool.write_text("id,sexe,age,secteur\nV1,femme,16-29,Paimpol\nV2,autre,30-44,Paimpol\n")
    with pytest.raises(WorkbenchError, match=re.escape(
            "pool.csv, ligne 3, colonne sexe : « autre » n'a pas de quota")):
        read_pool(pool, quotas)
    bad = tmp_path / "quotas.csv"
    bad.write_text("feature,value,min,max\nsexe,femme,deux,7\n")
    with pytest.raises(WorkbenchError, match=re.escape(
            "quotas.csv, ligne 2, colonne min : « deux » n'est pas un nombre entier.")):
        read_quotas(bad)


def test_the_cli_prints_the_panel_and_records_the_draw(engine, monkeypatch) -> None:
    from workbench.cli import main
    from workbench.storage import read_connection
    from workbench.storage.schema import council_draw

    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    done = CliRunner().invoke(main, [
        "council", "draw", "--pool", str(EXAMPLES / "council-pool.csv"), "--quotas",
        str(EXAMPLES / "council-quotas.csv"), "--seats", "13", "--seed", "2026", "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert len(data["panel"]) == 13 and data["seed"] == 2026
    assert data["algorithm"] == "maximin-leximin"
    assert len(data["probabilities"]) == 60
    with read_connection(engine) as conn:
        record = conn.execute(select(council_draw)).one()
    assert json.loads(record.panel_json) == data["panel"]
    assert record.inputs_sha256 == data["inputs_sha256"]
    text = CliRunner().invoke(main, [
        "council", "draw", "--pool", str(EXAMPLES / "council-pool.csv"), "--quotas",
        str(EXAMPLES / "council-quotas.csv"), "--seats", "13", "--seed", "2026"]).output
    assert "Panel tiré (13 sièges, graine 2026, algorithme maximin" in text
    assert ", ".join(data["panel"]) in text


def test_the_example_files_read(tmp_path) -> None:
    quotas = read_quotas(EXAMPLES / "council-quotas.csv")
    assert len(read_pool(EXAMPLES / "council-pool.csv", quotas)) == 60
    assert Path(EXAMPLES / "README.md").is_file()
