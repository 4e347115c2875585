"""Yearly reports: parameters, the four documents, reproducibility, failures, the CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from workbench.demo.seed import DEMO_SLUG, seed_demo
from workbench.errors import WorkbenchError
from workbench.reports.catalogue import find_report, report_notebooks, reports_folder
from workbench.reports.params import parse_parameters
from workbench.reports.run import plan_year, run_all, run_report
from workbench.storage import get_engine, write_transaction
from workbench.storage.forms import latest_version
from workbench.storage.migrate import upgrade
from workbench.storage.responses import insert_response

from .apps import personal_data_in
from .conftest import FIXTURES, sqlite_url

pytestmark = pytest.mark.xdist_group("reports")

YEAR = 2026


def add_previous_year(engine, count: int = 40) -> None:
    """Responses to the demo form in YEAR - 1 (inserted as stored, whatever its dates)."""
    with write_transaction(engine) as conn:
        version = latest_version(conn, DEMO_SLUG)
        for i in range(count):
            moment = datetime(YEAR - 1, 11, 3, 10) + timedelta(hours=7 * i)
            commune = ["22070", "22162", "22004"][i % 3]  # Guingamp, Paimpol, Bégard
            insert_response(conn, form_version_id=version.id, submission_id=f"prev:{i}",
                            receipt=f"PREV-{i:04d}", submitted_at=moment,
                            answers={"commune": commune, "age": "45-59"}, is_synthetic=True)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("reports-db")
    url = sqlite_url(folder)
    engine = get_engine(url)
    upgrade(engine)
    seed_demo(300, engine)
    add_previous_year(engine)
    # Members with e-mails and associations with addresses: the reports must show none.
    from workbench.demo.associations import seed_associations
    from workbench.demo.council import seed_council

    seed_council(YEAR, engine)
    seed_associations(engine)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_DATABASE_URL", url)  # the report kernels inherit it
        yield url


@pytest.fixture(scope="module")
def questionnaire_run(database, tmp_path_factory):
    root = tmp_path_factory.mktemp("reports-out")
    report = find_report("questionnaire")
    result = run_report(report, {"form": DEMO_SLUG, "year": YEAR}, YEAR, root)
    assert result.ok, result.error
    return result


# Parameters -------------------------------------------------------------------------------

def test_the_catalogue_reads_typed_parameters_and_french_descriptions() -> None:
    reports = {r.name: r for r in report_notebooks()}
    assert {"questionnaire", "bilan-participation"} <= set(reports)
    questionnaire = reports["questionnaire"]
    assert questionnaire.per_form and questionnaire.yearly
    assert questionnaire.parameters["year"].base_type == "int"
    assert questionnaire.parameters["form"].base_type == "str"
    assert "questionnaire" in questionnaire.description


@pytest.mark.parametrize(("pairs", "message"), [
    (["unknown=1"], "Paramètre inconnu « unknown » pour le rapport « questionnaire »"),
    (["year=abc"], "Le paramètre « year » attend un nombre entier, pas « abc »."),
    (["form"], "Écrivez les paramètres sous la forme nom=valeur"),
    (["__import__('os').system('x')=1"], "Paramètre inconnu"),
])
def test_bad_parameters_get_a_french_error_before_any_kernel(pairs, message) -> None:
    with pytest.raises(WorkbenchError, match=re.escape(message)):
        parse_parameters(find_report("questionnaire"), pairs)


def test_parameters_are_converted_and_the_year_agrees() -> None:
    report = find_report("questionnaire")
    assert parse_parameters(report, ["form=abc", "year=2025"]) == {"form": "abc", "year": 2025}
    assert parse_parameters(report, [], year=2024) == {"year": 2024}
    with pytest.raises(WorkbenchError, match="Deux années différentes"):
        parse_parameters(report, ["year=2025"], year=2024)
    with pytest.raises(WorkbenchError, match=re.escape("Rapport inconnu « ../x »")):
        find_report("../x")


# Documents ---------------------------------------------------------------------------------

def test_a_report_writes_its_four_documents_and_manifest(questionnaire_run) -> None:
    folder = questionnaire_run.folder
    assert folder.name == f"questionnaire-{DEMO_SLUG}" and folder.parent.name == str(YEAR)
    for ext in ("ipynb", "html", "docx", "xlsx"):
        assert (folder / f"questionnaire.{ext}").stat().st_size > 0
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["parameters"] == {"form": DEMO_SLUG, "year": YEAR}
    assert manifest["status"] == "ok" and manifest["duration_s"] > 0
    inputs = {i["name"]: i for i in manifest["inputs"]}
    assert inputs[f"réponses:{DEMO_SLUG}:{YEAR}"]["rows"] > 300
    assert re.fullmatch(r"[0-9a-f]{64}", inputs["communes:population"]["sha256"])
    assert manifest["versions"]["papermill"] and manifest["git_commit"]


def test_the_html_is_self_contained_french_and_escapes_participant_text(
        questionnaire_run) -> None:
    text = (questionnaire_run.folder / "questionnaire.html").read_text()
    assert "<html lang='fr'>" in text and "Guingamp-Paimpol Agglomération" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<script" not in text and "@page { size: A4" in text
    assert text.count("<svg") >= 10
    assert "Données arrêtées au" in text and "Réponses par commune" in text
    assert "<img src=x" not in text  # the demo's XSS answer stays text
    assert "Annexe méthodologique" in text


def test_the_word_and_excel_documents_hold_the_tables(questionnaire_run) -> None:
    import docx
    import openpyxl

    word = docx.Document(str(questionnaire_run.folder / "questionnaire.docx"))
    assert len(word.tables) >= 10 and len(word.inline_shapes) >= 10
    assert any("Rapport de questionnaire" in p.text for p in word.paragraphs)
    assert word.tables[0].rows[0].cells[0].text in ("Jour", "Mois")
    book = openpyxl.load_workbook(questionnaire_run.folder / "questionnaire.xlsx")
    assert book.sheetnames[0] == "À propos" and "Par commune" in book.sheetnames
    sheet = book["Par commune"]
    assert [c.value for c in sheet[2]] == ["Commune", "Code INSEE", "Population municipale",
                                          "Réponses", "Réponses pour 1 000 habitants"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_the_word_document_is_french_accessible_and_typeset(questionnaire_run) -> None:
    """Word proofs it as French, reads each chart's alternative text, repeats each table's
    header row on every page; dates, plurals and numbers as a French reader expects."""
    import docx
    from docx.oxml.ns import qn

    word = docx.Document(str(questionnaire_run.folder / "questionnaire.docx"))
    assert word.core_properties.language == "fr-FR"
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "fr-FR"
    runs = list(word.element.body.iter(qn("w:r")))
    assert runs and all(r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "fr-FR"
                        for r in runs)
    pictures = list(word.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert len(pictures) >= 10
    assert all(p.get("descr", "").strip() and p.get("title", "").strip() for p in pictures)
    assert "Diagramme" in " ".join(p.get("descr") for p in pictures)
    assert all(table.rows[0]._tr.trPr is not None
               and table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
               for table in word.tables)
    text = "\n".join([p.text for p in word.paragraphs]
                     + [c.text for t in word.tables for row in t.rows for c in row.cells])
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), "ISO date"
    assert re.search(r"\b\d{2}/\d{2}/\d{4}\b", text)
    assert "(s)" not in text and not re.search(r"\b[01] réponses\b", text)
    assert "pour 1\u202f000\u00a0habitants" in text and "pour 1 000 habitants" not in text


def test_same_data_and_parameters_give_the_same_documents(questionnaire_run,
                                                          tmp_path) -> None:
    again = run_report(find_report("questionnaire"), {"form": DEMO_SLUG, "year": YEAR}, YEAR,
                       tmp_path)
    assert again.ok
    first, second = questionnaire_run.folder, again.folder
    assert (first / "questionnaire.xlsx").read_bytes() == (
        second / "questionnaire.xlsx").read_bytes()

    def without_run_date(path: Path) -> str:
        return re.sub(r"<span class='wb-run-date'>[^<]*</span>", "", path.read_text())

    assert without_run_date(first / "questionnaire.html") == without_run_date(
        second / "questionnaire.html")


def test_the_year_before_is_compared_when_it_has_data(database, questionnaire_run,
                                                      tmp_path) -> None:
    text = (questionnaire_run.folder / "questionnaire.html").read_text()
    assert f"Réponses par commune : {YEAR - 1} et {YEAR}" in text
    assert "Évolution (%)" in text
    older = run_report(find_report("questionnaire"), {"form": DEMO_SLUG, "year": YEAR - 1},
                       YEAR - 1, tmp_path)
    assert older.ok
    assert "pas de comparaison" in (older.folder / "questionnaire.html").read_text()


# Several reports, failures, CLI ----------------------------------------------------------

def test_all_yearly_reports_run_and_a_failing_one_is_reported_in_french(
        database, tmp_path) -> None:
    folder = tmp_path / "notebooks"
    shutil.copytree(reports_folder(), folder)
    shutil.copy(FIXTURES / "reports" / "en-echec.ipynb", folder)
    plan = plan_year(YEAR, folder)
    assert [(r.name, p) for r, p in plan] == [
        ("bilan-participation", {"year": YEAR}), ("budget-participatif", {"year": YEAR}),
        ("en-echec", {"year": YEAR}),
        ("observatoire-participation", {"year": YEAR}),
        ("observatoire-vie-associative", {"year": YEAR}),
        ("questionnaire", {"year": YEAR, "form": DEMO_SLUG})]
    results = run_all(plan, YEAR, tmp_path / "out", workers=2)
    by_name = {r.name: r for r in results}
    failed = by_name["en-echec"]
    assert not failed.ok
    assert failed.error == "cellule 4 : ZeroDivisionError : division by zero"
    assert json.loads((failed.folder / "manifest.json").read_text())["status"] == "failed"
    assert by_name["bilan-participation"].ok and by_name[f"questionnaire ({DEMO_SLUG})"].ok
    bilan = (by_name["bilan-participation"].folder / "bilan-participation.html").read_text()
    assert "Bilan de la participation" in bilan and "Réponses par questionnaire" in bilan


def cli(*args: str, env_url: str, home: Path | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "WORKBENCH_DATABASE_URL": env_url}
    if home:
        env["WORKBENCH_HOME"] = str(home)
    command = str(Path(sys.executable).parent / "workbench")
    return subprocess.run([command, *args], capture_output=True, text=True, env=env,
                          timeout=600)


def test_the_cli_refuses_bad_parameters_before_running(database, tmp_path) -> None:
    for args, message in [(["-p", "unknown=1"], "Paramètre inconnu « unknown »"),
                          (["-p", "year=abc"], "attend un nombre entier, pas « abc »")]:
        done = cli("report", "run", "questionnaire", *args, env_url=database)
        assert done.returncode == 1 and message in done.stderr
        assert "Traceback" not in done.stderr
    done = cli("report", "run", "questionnaire", "-p", "form=inconnu", env_url=database)
    assert done.returncode == 1 and "« inconnu » n'existe pas" in done.stderr


def test_the_cli_lists_the_reports_in_french(database) -> None:
    done = cli("report", "list", env_url=database)
    assert done.returncode == 0
    assert "bilan-participation [annuel]" in done.stdout
    assert "-p form=… (texte, par défaut" in done.stdout
    assert "-p year=… (nombre entier, par défaut" in done.stdout


def test_the_html_opens_offline_in_chromium_with_its_charts(questionnaire_run,
                                                             browser) -> None:
    page = browser.new_page()
    requested: list[str] = []
    errors: list[str] = []

    def only_the_file(route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_file)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((questionnaire_run.folder / "questionnaire.html").as_uri())
    assert page.locator("figure svg").count() >= 10
    box = page.locator("figure svg").first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    assert page.locator("h1").first.inner_text() == "Rapport de questionnaire"
    assert requested == [] and errors == []
    assert len(page.pdf(format="A4")) > 10_000  # prints to A4
    page.close()


def test_the_cli_runs_every_yearly_report_of_the_demo_year(database, tmp_path) -> None:
    home = tmp_path / "home"
    checkout = reports_folder().parent.parent
    shutil.copytree(checkout / "notebooks", home / "notebooks")
    shutil.copytree(checkout / "data" / "territory", home / "data" / "territory")
    shutil.copytree(checkout / "data" / "associations", home / "data" / "associations")
    (home / "widgets").mkdir()
    (home / "pyproject.toml").write_text("")
    done = cli("report", "run", "--all", "--year", str(YEAR), env_url=database, home=home)
    assert done.returncode == 0, done.stderr
    assert "5 rapports produits." in done.stdout
    assert "Traceback" not in done.stderr and "WARNING" not in done.stderr
    for folder, name in [("bilan-participation", "bilan-participation"),
                         (f"questionnaire-{DEMO_SLUG}", "questionnaire")]:
        produced = home / "reports" / str(YEAR) / folder
        assert {p.name for p in produced.iterdir()} == {
            f"{name}.{ext}" for ext in ("ipynb", "html", "docx", "xlsx")} | {"manifest.json"}
        with zipfile.ZipFile(produced / f"{name}.xlsx") as book:
            assert book.testzip() is None
    # No personal data in any report, its executed notebook, its manifest or its workbook.
    for path in (home / "reports").rglob("*"):
        if path.suffix in (".ipynb", ".html", ".json"):
            text = path.read_text(encoding="utf-8")
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as document:
                text = " ".join(document.read(n).decode("utf-8", "replace")
                                for n in document.namelist() if n.endswith(".xml"))
        else:
            continue
        found = personal_data_in(text) + [a for a in ("rue fictive", "Membre fictif")
                                          if a in text]
        assert not found, f"personal data in {path.relative_to(home)}: {found[:5]}"


def test_the_console_runs_the_session_report_and_offers_its_documents(
        database, tmp_path, monkeypatch) -> None:
    from workbench.forms.submission import submit_response
    from workbench.workshops import sessions
    from workbench.workshops.console import FacilitatorConsole

    from .test_forms_answers import valid_answers

    monkeypatch.setenv("WORKBENCH_REPORTS_DIR", str(tmp_path))
    engine = get_engine(database)
    session = sessions.create_session(DEMO_SLUG, "Atelier de Paimpol", False, engine)
    sessions.open_session(session.code, engine)
    for i in range(6):
        submit_response(DEMO_SLUG, f"console:{i}", valid_answers(), session_code=session.code,
                        engine=engine, is_synthetic=True)
    from workbench.reports.session import session_report

    console = FacilitatorConsole("http://127.0.0.1:8866", session_report)
    console.session_choice.value = session.code
    console.report_button.click()
    assert console.message.value == ""
    assert console.download.value.count("href='data:") == 3
    assert f"rapport-seance-{session.code}.docx" in console.download.value
    html = next(tmp_path.rglob("questionnaire.html")).read_text()
    assert f"atelier {session.code}" in html and "6 réponses" in html


def test_the_bilan_summary_agrees_with_each_count() -> None:
    from workbench.reports.bilan import Year, summary
    from workbench.reports.data import Participation

    def answer(slug: str, in_session: bool) -> Participation:
        return Participation(slug, slug, datetime(2026, 3, 1), "22070", in_session)

    population = {"22070": ("Lannion", 1000), "22162": ("Paimpol", 1000)}
    one = summary(Year(2026, [answer("a", True)], [], [{}], population)).markdown
    assert one == ("En 2026, **1 réponse** a été recueillie par **1 questionnaire**, dont 1 en "
                   "atelier (1 séance). Des habitants de **1 commune sur 2** ont répondu, soit "
                   "0,5 réponse pour 1 000 habitants du territoire.")
    many = [answer(slug, False) for slug in ("a", "b") for _ in range(2)]
    two = summary(Year(2026, many, [], [{}, {}], population)).markdown
    assert "**4 réponses** ont été recueillies par **2 questionnaires**" in two
    assert "(2 séances)" in two and "soit 2,0 réponses pour 1 000" in two
