"""The staff commands: French output, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from workbench.cli import main

from .conftest import ROOT, sqlite_url


@pytest.fixture
def cli(tmp_path: Path, monkeypatch):
    """Run ``workbench …`` against a fresh SQLite database."""
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args))
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    return run


def test_db_upgrade_then_check(cli, tmp_path) -> None:
    assert "Base de données à jour (révision 0018)" in cli("db", "upgrade")
    assert "Schéma à la révision 0018 (la dernière)" in cli("db", "check")


def test_db_check_on_an_empty_database_says_what_to_do(cli) -> None:
    output = cli("db", "check", code=1)
    assert "Erreur : Le schéma de la base est à la révision aucune" in output
    assert "workbench db upgrade" in output


def test_demo_seed_is_idempotent(cli, tmp_path) -> None:
    cli("db", "upgrade")
    assert "25 nouvelles réponses synthétiques, 25 au total" in cli("demo", "seed",
                                                                     "--responses", "25")
    assert "0 nouvelles réponses synthétiques, 25 au total" in cli("demo", "seed",
                                                                    "--responses", "25")


def test_forms_publish_versions_only_changes(cli) -> None:
    cli("db", "upgrade")
    assert "« evaluation-transport » publié, version 1." in cli(
        "forms", "publish", "evaluation-transport")
    assert "inchangé : la version 1 reste en vigueur" in cli(
        "forms", "publish", "evaluation-transport")
    assert "Pas de fichier de questionnaire « inconnu »." in cli("forms", "publish", "inconnu",
                                                                code=1)
    refused = cli("forms", "publish", "../widgets/evaluation-transport", code=1)
    assert "Pas de fichier de questionnaire « ../widgets/evaluation-transport »." in refused
    assert str(ROOT) not in refused


def test_invitations_print_single_use_links(cli, tmp_path) -> None:
    cli("db", "upgrade")
    cli("forms", "publish", "evaluation-transport")
    output = cli("invitations", "create", "evaluation-transport", "--count", "3",
                 "--base-url", "https://participer.example")
    links = [line for line in output.splitlines() if "https://participer.example" in line]
    assert len(links) == 3
    assert all("/voila/render/questionnaire.ipynb?form=evaluation-transport&t=" in x
               for x in links)
    assert "3 liens à usage unique créés" in output
    people = tmp_path / "membres.csv"
    people.write_text("nom;email\nAnne Le Goff;anne@example.org\n;\nBob;bob@example.org\n",
                      encoding="utf-8")
    output = cli("invitations", "create", "evaluation-transport", "--csv", str(people), code=1)
    assert "ligne 3 : les colonnes « nom » et « email » sont vides" in output


def test_invitations_for_an_unknown_form_are_refused(cli) -> None:
    cli("db", "upgrade")
    output = cli("invitations", "create", "inconnu", "--count", "1", code=1)
    assert "Ce questionnaire n'existe pas ou n'est pas publié." in output


def test_export_xlsx_has_one_row_per_response(cli, tmp_path) -> None:
    cli("db", "upgrade")
    cli("demo", "seed", "--responses", "12")
    target = tmp_path / "out.xlsx"
    assert "12 réponses exportées" in cli("responses", "export", "evaluation-transport",
                                          "--format", "xlsx", "--output", str(target))
    rows = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 13


def test_export_without_output_goes_to_the_reports_dir(cli, tmp_path, monkeypatch) -> None:
    """``WORKBENCH_REPORTS_DIR`` is where every default output goes (issue 17, defect 10)."""
    home, reports = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    (home / "widgets").symlink_to(ROOT / "widgets")
    (home / "data").mkdir()
    (home / "data" / "territory").symlink_to(ROOT / "data" / "territory")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    monkeypatch.setenv("WORKBENCH_REPORTS_DIR", str(reports))
    cli("db", "upgrade")
    cli("demo", "seed", "--responses", "3")
    cli("responses", "export", "evaluation-transport", "--format", "csv")
    assert [p.parent.name for p in reports.rglob("*.csv")] == ["exports"]
    assert not (home / "reports").exists()


def test_usage_errors_are_in_french(cli) -> None:
    assert "Erreur : Commande inconnue : 'nope'." in cli("nope", code=2)
    output = cli("responses", "export", "x", "--format", "pdf", code=2)
    assert "Valeur invalide pour '--format' : 'pdf' n'est pas parmi 'csv', 'xlsx'." in output
    assert "Utilisation : " in cli("--help")


def test_commands_on_an_uninitialised_database_say_what_to_do(cli) -> None:
    output = cli("responses", "export", "evaluation-transport", code=1)
    assert "Erreur : La base de données n'est pas initialisée ou pas à jour" in output
    assert "workbench db upgrade" in output


def test_the_associations_commands_on_the_examples_and_the_demo(cli, tmp_path) -> None:
    cli("db", "upgrade")
    assert "fictives" in cli("demo", "associations")
    out = cli("associations", "import-rna", str(ROOT / "data/examples/rna-extrait.csv"))
    assert "9 lignes lues : 5 nouvelles" in out and "3 hors du territoire, 1 invalides" in out
    assert "ligne 10, colonne date_creat" in out
    out = cli("associations", "import-requests",
              str(ROOT / "data/examples/demandes-subvention.csv"))
    assert "2 demandes ajoutées" in out
    assert "Pièces manquantes" in cli("associations", "alerts")
    assert "comite-2026" in cli("associations", "committee-check", "comite-2026")
    out = cli("associations", "committee-results", "comite-2026")
    assert "Accord sur « interet_territoire » : alpha = 0," in out
    assert "culture : enveloppe 80\u202f000 €" in out
    path = tmp_path / "subventions.csv"
    out = cli("associations", "export-scdl", "--year", "2026", "--output", str(path))
    assert "subventions écrites" in out
    assert path.read_text(encoding="utf-8").startswith("nomAttribuant;idAttribuant;")
    bad = tmp_path / "mauvais.csv"
    bad.write_text("reference;association;annee;service;type;intitule;montant_demande\n"
                   "X-1;Club;2026;piscine;projet;Saison;100\n", encoding="utf-8")
    out = cli("associations", "import-requests", str(bad), code=1)
    assert "ligne 2, colonne 4 (service)" in out


def test_serve_fails_when_a_server_dies_so_that_systemd_restarts_it() -> None:
    """A dead Voilà used to leave ``workbench serve`` exiting 0: no restart on failure."""
    import subprocess
    import sys

    from workbench.cli.serve import supervise

    dies = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"])
    lives = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert supervise([dies, lives]) == 3
    assert lives.poll() is not None  # the other server was stopped too
    killed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    killed.kill()
    assert supervise([killed]) != 0
