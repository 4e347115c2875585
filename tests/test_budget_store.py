"""Participatory budget editions in the database (SQLite and PostgreSQL), pabulib files in and
out, ballot secrecy by construction, and the ``workbench pb`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import DateTime, func, insert, select, update

from workbench.budget import pabulib, store
from workbench.budget.errors import ElectionError
from workbench.cli import main
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    metadata,
    pb_ballot,
    pb_ballot_choice,
    pb_edition,
    pb_project,
    pb_voter_roll,
)

from .conftest import sqlite_url

PABULIB = Path(__file__).parent / "fixtures" / "pabulib"
FILES = ["Poland_Swiecie_2023.pb", "Netherlands_Assen_2024.pb",
         "Poland_Czestochowa_2024_Mirow.pb"]


@pytest.mark.parametrize("name", FILES)
def test_import_then_export_gives_the_same_file(engine, name: str, tmp_path) -> None:
    original = (PABULIB / name).read_text(encoding="utf-8").replace("\r\n", "\n")
    store.import_pabulib(pabulib.loads(original), "edition", engine)
    exported = pabulib.dumps(store.export_pabulib("edition", engine))
    assert exported == original


@pytest.mark.parametrize("name", FILES)
def test_exported_files_pass_the_pabulib_checker(sqlite_engine, name: str, tmp_path) -> None:
    from pabulib.checker import Checker

    store.import_pabulib(pabulib.read(PABULIB / name), "edition", sqlite_engine)
    path = tmp_path / name
    pabulib.write(store.export_pabulib("edition", sqlite_engine), path)
    report = Checker().process_files([str(path)])
    assert report["metadata"] == {"processed": 1, "valid": 1, "invalid": 0}, report


def test_an_import_with_a_wrong_ballot_writes_nothing(engine) -> None:
    text = (PABULIB / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    broken = text.replace("vote01006bcf-62b6-435d-a0de-2966c3e75249;1,2,6,9,13",
                          "vote01006bcf-62b6-435d-a0de-2966c3e75249;1,2,99")
    with pytest.raises(ElectionError, match="projet inconnu « 99 »"):
        store.import_pabulib(pabulib.loads(broken), "assen", engine)
    with read_connection(engine) as conn:
        assert conn.scalar(select(func.count()).select_from(pb_edition)) == 0
        assert conn.scalar(select(func.count()).select_from(pb_ballot)) == 0


def test_votes_for_a_merged_project_go_to_the_project_it_joined(engine) -> None:
    store.import_pabulib(pabulib.read(PABULIB / "Netherlands_Assen_2024.pb"), "assen", engine)
    before = store.election("assen", engine)
    with write_transaction(engine) as conn:
        target = conn.scalar(select(pb_project.c.id).where(pb_project.c.code == "3"))
        conn.execute(update(pb_project).where(pb_project.c.code == "9").values(
            status="fusionnee", merged_into=target))
    after = store.election("assen", engine)
    assert "9" not in after.projects
    three = after.projects.index("3")
    merged = set(before.supporters[before.projects.index("3")]) | set(
        before.supporters[before.projects.index("9")])
    assert set(after.supporters[three]) == merged


def test_ballots_cannot_be_linked_to_a_person() -> None:
    """Schema level: no foreign key from a ballot to anything naming a person, none from the
    roll or the proposers to a ballot, and no time of day on a ballot."""
    ballot_tables = {pb_ballot, pb_ballot_choice}
    for table in ballot_tables:
        referred = {fk.column.table.name for fk in table.foreign_keys}
        assert referred <= {"pb_edition", "pb_project", "pb_ballot"}, table.name
        assert not any(isinstance(c.type, DateTime) for c in table.columns), table.name
    for table in metadata.tables.values():
        if table not in ballot_tables:
            assert all(fk.column.table.name != "pb_ballot" for fk in table.foreign_keys), (
                table.name)
    assert {fk.column.table.name for fk in pb_voter_roll.foreign_keys} == {"pb_edition"}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args))
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    run("db", "upgrade")
    return run


def test_results_on_a_file_reproduce_the_official_winners_as_json(cli) -> None:
    pb = pabulib.read(PABULIB / "Poland_Swiecie_2023.pb")
    official = [p for p, f in pb.projects.items() if f["selected"] == "1"]
    result = json.loads(cli("pb", "results", str(PABULIB / "Poland_Swiecie_2023.pb"),
                            "--json"))
    assert result["rule"] == "equalshares/add1" and result["selected"] == official
    assert result["total_cost"] == 1_040_337
    assert 661 < result["per_voter_budget"] < 662
    assert 0 < result["voters_with_funded_project_pct"] <= 100


def test_import_results_and_export_of_an_edition(cli, tmp_path) -> None:
    out = cli("pb", "import", str(PABULIB / "Poland_Czestochowa_2024_Mirow.pb"),
              "--edition", "mirow")
    assert "Édition « mirow » enregistrée : 11 projets, 379 bulletins." in out
    out = cli("pb", "results", "--edition", "mirow")
    assert "Règle greedy : 4 projets financés pour 270" in out
    greedy = json.loads(cli("pb", "results", "--edition", "mirow", "--rule",
                            "equalshares/add1", "--json"))
    assert greedy["rule"] == "equalshares/add1"
    cli("pb", "export", "--edition", "mirow", str(tmp_path / "mirow.pb"))
    assert (tmp_path / "mirow.pb").read_text().startswith("META\nkey;value\n")


def test_staff_get_french_errors(cli, tmp_path) -> None:
    assert "n'existe pas" in cli("pb", "results", str(tmp_path / "absent.pb"), code=2)
    assert "Aucune édition de budget participatif « x »." in cli(
        "pb", "results", "--edition", "x", code=1)
    bad = tmp_path / "bad.pb"
    bad.write_text("PROJECTS\nproject_id;cost\n")
    assert "Ligne 1 : le fichier doit commencer par une section META." in cli(
        "pb", "results", str(bad), code=1)
    cli("pb", "import", str(PABULIB / "Netherlands_Assen_2024.pb"), "--edition", "assen")
    assert "Une édition « assen » existe déjà." in cli(
        "pb", "import", str(PABULIB / "Netherlands_Assen_2024.pb"), "--edition", "assen",
        code=1)


def test_an_edition_can_hold_a_proposer_apart(engine) -> None:
    """The proposer's contact lives in its own table (never exported)."""
    from workbench.storage.schema import pb_proposer

    store.import_pabulib(pabulib.read(PABULIB / "Netherlands_Assen_2024.pb"), "assen", engine)
    with write_transaction(engine) as conn:
        project = conn.scalar(select(pb_project.c.id).where(pb_project.c.code == "3"))
        conn.execute(insert(pb_proposer).values(project_id=project, name="Anne Le Goff",
                                                email="anne@example.fr",
                                                collected_on=func.current_date()))
    assert "Anne" not in pabulib.dumps(store.export_pabulib("assen", engine))


def test_the_demo_budget_is_seeded_once_and_prints_its_codes(cli) -> None:
    out = cli("demo", "budget")
    assert "Budget participatif de démonstration « bp-demo » créé" in out
    assert out.count("Code de vote : /voila/render/budget.ipynb?edition=bp-demo&t=") == 3
    again = cli("demo", "budget", "--codes", "0")
    assert "existe déjà : rien n'est ajouté" in again and "Code de vote" not in again
    result = json.loads(cli("pb", "results", "--edition", "bp-demo", "--json"))
    assert result["total_cost"] <= 300_000 and len(result["selected"]) > 5


def test_voting_codes_for_the_letters_of_a_commune(cli) -> None:
    from urllib.parse import parse_qs, urlparse

    cli("demo", "budget", "--codes", "0")
    out = cli("pb", "codes", "--edition", "bp-demo", "--count", "3", "--commune", "22070")
    lines = [line for line in out.splitlines() if line.startswith("22070;")]
    assert len(lines) == 3 and "3 codes de vote créés" in out
    token = parse_qs(urlparse(lines[0].split(";")[1]).query)["t"][0]
    from workbench.budget.voting import _token_hash
    from workbench.storage import get_engine, read_connection
    from workbench.storage.schema import pb_token

    with read_connection(get_engine()) as conn:
        row = conn.execute(select(pb_token).where(
            pb_token.c.token_sha256 == _token_hash(token))).one()
    assert row.commune == "22070" and row.used_on is None
    assert "n'est pas une commune de l'Agglomération" in cli(
        "pb", "codes", "--edition", "bp-demo", "--count", "1", "--commune", "75056", code=2)
