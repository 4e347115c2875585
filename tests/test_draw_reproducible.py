"""A council draw re-runs identically in fresh processes (issue 13, point 1).

Each draw runs in its own process with its own ``PYTHONHASHSEED``: the lottery (and so every
probability) must depend on the inputs only, the seed only picks the panel, and the audit file
lets ``council draw-verify`` reproduce the draw, or say that it does not.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from workbench.council.draw import read_pool, read_quotas
from workbench.storage.engine import get_engine
from workbench.storage.migrate import upgrade

from .conftest import ROOT

EXAMPLES = ROOT / "data" / "examples"
POOL, QUOTAS = EXAMPLES / "council-pool.csv", EXAMPLES / "council-quotas.csv"
MAXIMIN = 11 / 54  # the example's maximin value (exact optimum of the linear programme)
CLI = "import sys; from workbench.cli import main; sys.argv[0] = 'workbench'; main()"


def start(args: list[str], database: str, hash_seed: str) -> subprocess.Popen:
    """``workbench ARGS`` in a fresh Python process with the given ``PYTHONHASHSEED``."""
    env = os.environ | {"PYTHONHASHSEED": hash_seed, "WORKBENCH_DATABASE_URL": database}
    return subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def shuffled_pool(folder: Path) -> Path:
    """The example pool with its rows in another order (the draw must not notice)."""
    with POOL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    body = rows[1:]
    random.Random(3).shuffle(body)
    path = folder / "pool-shuffled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *body])
    return path


@pytest.fixture(scope="module")
def draws(tmp_path_factory) -> dict:
    """Six draws of 13 seats, each in its own process, started together."""
    folder = tmp_path_factory.mktemp("draws")
    database = f"sqlite:///{folder / 'workbench.sqlite'}"
    upgrade(get_engine(database))
    runs = {("7", hash_seed): POOL for hash_seed in ("0", "1", "12345", "random")}
    runs |= {("8", "random"): POOL, ("7", "shuffled"): shuffled_pool(folder)}
    processes = {}
    for (seed, hash_seed), pool in runs.items():
        audit = folder / f"audit-{seed}-{hash_seed}.json"
        args = ["council", "draw", "--pool", str(pool), "--quotas", str(QUOTAS), "--seats",
                "13", "--seed", seed, "--audit", str(audit), "--json"]
        processes[seed, hash_seed] = (start(args, database, "4" if hash_seed == "shuffled"
                                            else hash_seed), audit)
    results = {}
    for key, (process, audit) in processes.items():
        code, output = finish(process)
        assert code == 0, output
        results[key] = json.loads(audit.read_text(encoding="utf-8"))
    return {"results": results, "database": database, "folder": folder}


def test_the_same_draw_in_fresh_processes_whatever_the_hash_seed(draws) -> None:
    results = draws["results"]
    first = results["7", "0"]
    for key in (("7", "1"), ("7", "12345"), ("7", "random"), ("7", "shuffled")):
        assert results[key]["panel"] == first["panel"], key
        assert results[key]["probabilities"] == first["probabilities"], key
        assert results[key]["lottery"] == first["lottery"], key
        assert results[key]["inputs_sha256"] == first["inputs_sha256"], key


def test_the_seed_chooses_the_panel_not_the_probabilities(draws) -> None:
    seven, eight = draws["results"]["7", "0"], draws["results"]["8", "random"]
    assert eight["probabilities"] == seven["probabilities"]
    assert eight["lottery"] == seven["lottery"]
    assert eight["panel"] != seven["panel"]
    panels = [entry["panel"] for entry in seven["lottery"]]
    assert seven["panel"] in panels and eight["panel"] in panels


def test_the_probabilities_are_those_of_the_lottery_drawn_from(draws) -> None:
    audit = draws["results"]["7", "0"]
    quotas = read_quotas(QUOTAS)
    people = {p["id"]: p for p in read_pool(POOL, quotas)}
    weights = [entry["weight"] for entry in audit["lottery"]]
    assert all(w > 0 for w in weights) and sum(weights) == pytest.approx(1, abs=1e-12)
    chance = Counter()
    for entry in audit["lottery"]:
        panel = entry["panel"]
        assert len(set(panel)) == 13 and set(panel) <= set(people)
        for q in quotas:
            assert q.min <= sum(people[i][q.feature] == q.value for i in panel) <= q.max
        for person in panel:
            chance[person] += entry["weight"]
    probabilities = audit["probabilities"]
    assert set(probabilities) == set(people)
    for person, probability in probabilities.items():
        assert probability == pytest.approx(chance[person], abs=1e-6)
    assert sum(probabilities.values()) == pytest.approx(13, abs=1e-4)
    assert min(probabilities.values()) == pytest.approx(MAXIMIN, abs=1e-6)
    assert audit["maximin"] == pytest.approx(MAXIMIN, abs=1e-6)


def test_the_maximin_value_is_that_of_sortition_algorithms() -> None:
    from sortition_algorithms import Settings, read_in_features, read_in_people
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
    from sortition_algorithms.utils import set_random_provider

    with QUOTAS.open(encoding="utf-8") as handle:
        quota_rows = list(csv.DictReader(handle))
    with POOL.open(encoding="utf-8") as handle:
        pool_rows = list(csv.DictReader(handle))
    set_random_provider(1)
    features, _f, _v = read_in_features(["feature", "value", "min", "max"], quota_rows, 13)
    settings = Settings(id_column="id", columns_to_keep=[], random_number_seed=1,
                        selection_algorithm="maximin")
    people, _r = read_in_people(list(pool_rows[0]), pool_rows, features, settings)
    committees, weights, _r = find_distribution_maximin(features, people, 13, [])
    chance = Counter()
    for committee, weight in zip(committees, weights, strict=True):
        for person in committee:
            chance[person] += weight
    assert min(chance[p["id"]] for p in pool_rows) == pytest.approx(MAXIMIN, abs=1e-3)


def tampered(audit: dict, how: str) -> dict:
    changed = json.loads(json.dumps(audit))
    if how == "panel":
        outsider = next(p for p in sorted(changed["probabilities"]) if p not in changed["panel"])
        changed["panel"] = sorted([*changed["panel"][1:], outsider])
    elif how == "probability":
        person = changed["panel"][0]
        changed["probabilities"][person] = round(changed["probabilities"][person] + 0.05, 6)
    else:
        changed["inputs"]["pool"][0]["sexe"] = "homme" if \
            changed["inputs"]["pool"][0]["sexe"] == "femme" else "femme"
    return changed


def test_draw_verify_confirms_a_record_and_refuses_a_tampered_one(draws) -> None:
    folder, audit = draws["folder"], draws["results"]["7", "0"]
    files = {"genuine": folder / "audit-7-0.json"}
    for how in ("panel", "probability", "inputs"):
        files[how] = folder / f"tampered-{how}.json"
        files[how].write_text(json.dumps(tampered(audit, how)), encoding="utf-8")
    processes = {name: start(["council", "draw-verify", str(path)], draws["database"], "99")
                 for name, path in files.items()}
    outcomes = {name: finish(process) for name, process in processes.items()}
    code, output = outcomes["genuine"]
    assert code == 0, output
    assert "Le tirage est reproduit" in output and audit["inputs_sha256"] in output
    for name in ("panel", "probability", "inputs"):
        code, output = outcomes[name]
        assert code == 1, output
        assert "Le tirage n'est PAS reproduit" in output
    assert "Le panel diffère" in outcomes["panel"][1]
    assert "probabilités de sélection" in outcomes["probability"][1]
    assert "empreinte" in outcomes["inputs"][1]


def test_a_stored_draw_exports_its_audit_file(draws) -> None:
    audit = draws["results"]["7", "1"]
    path = draws["folder"] / "exported.json"
    code, output = finish(start(["council", "draw-audit", str(audit["record"]), str(path)],
                                draws["database"], "5"))
    assert code == 0, output
    assert json.loads(path.read_text(encoding="utf-8")) == audit


@pytest.mark.parametrize("content", [
    '{"a": ' + "9" * 5000 + "}",  # past Python's integer-string limit
    "[" * 100000,  # nesting past the recursion limit
    "not json",
    "[]",
])
def test_a_malformed_audit_file_gets_a_french_message(tmp_path, content) -> None:
    from workbench.council.draw import read_audit
    from workbench.errors import WorkbenchError

    path = tmp_path / "audit.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"audit\.json : "):
        read_audit(path)


@pytest.mark.parametrize(("field", "value"), [
    ("seed", True), ("seed", 10**400), ("seed", "7"), ("panel", "V001"),
    ("probabilities", [0.5]), ("lottery", [{"panel": "V001", "weight": 1}]),
    ("inputs", {"pool": "x"}),
])
def test_an_audit_file_with_a_field_of_the_wrong_kind_is_refused(draws, tmp_path, field,
                                                                   value) -> None:
    """Not a traceback, nor Python's English words inside a French sentence."""
    from workbench.council.draw import read_audit
    from workbench.errors import WorkbenchError

    path = tmp_path / "audit.json"
    path.write_text(json.dumps(draws["results"]["7", "0"] | {field: value}), encoding="utf-8")
    with pytest.raises(WorkbenchError, match=f"champ « {field} »"):
        read_audit(path)
