"""Issue 17, defects 5, 6 and 10 (census): hostile files give French errors, never a traceback,
and leave the database as it was; numbers and text follow one set of cell rules on SQLite and
PostgreSQL alike; the census import writes under the configured project home."""

from __future__ import annotations

import math
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from workbench.cells import FieldError, parse_amount
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.storage.schema import association, subsidy_request
from workbench.tables import read_rows

from .conftest import FIXTURES, ROOT, sqlite_url
from .rna_files import COLUMNS, HEADER, rna_row, write_rna

GUINGAMP = "22070"
CENSUS = FIXTURES / "census" / "base-cc-evol-struct-pop-2019-extrait.csv"


def billion_laughs(keys: str = "actors: *a9\nobjectives: *a9\n") -> str:
    """Nine levels of nine aliases: a billion strings once expanded, 1 kB on disk."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n" + keys


def run_cli(*args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(main, list(args))
    unexpected = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.output, unexpected


# -- the shared table reader (defect 5) --------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "words"), [
    ("vide.xlsx", b"", "classeur XLSX"),
    ("abime.xlsx", b"PK\x03\x04 not a zip at all" * 20, "classeur XLSX"),
    ("binaire.csv", bytes(range(256)) * 40, "tableau CSV"),
    ("long.csv", b"a;b\n1;" + b"x" * 140_000 + b"\n", "dépasse 100\u202f000 caractères"),
    ("nul.csv", b"a;b\n1;x\x00y\n", "NUL"),
])
def test_the_table_reader_refuses_a_bad_file_in_french(tmp_path, name, content, words) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbenchError) as raised:
        read_rows(path)
    assert words in str(raised.value) and name in str(raised.value)


def test_a_windows_1252_table_is_read_as_such(tmp_path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("nom;commune\nÉcole de Pédernec;Guingamp\n".encode("cp1252"))
    assert read_rows(path)[1] == ["École de Pédernec", "Guingamp"]


# -- import-rna (defect 5) ---------------------------------------------------------------------

def test_an_rna_file_whose_every_row_is_invalid_exits_1(tmp_path) -> None:
    path = write_rna(tmp_path / "rna.csv", [rna_row("X1", "A", GUINGAMP),
                                            rna_row("W221000001", "", GUINGAMP)])
    url = sqlite_url(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_DATABASE_URL", url)
        run_cli("db", "upgrade")
        code, output, unexpected = run_cli("associations", "import-rna", str(path))
    assert unexpected is None and code == 1, output
    assert "rna.csv : ses 2 lignes sont invalides" in output
    assert "ligne 2, colonne id" in output


def test_an_rna_row_with_a_nul_byte_or_an_endless_line_is_skipped(engine, tmp_path) -> None:
    from workbench.associations.rna import MAX_LINE, import_rna

    good = rna_row("W221000001", "Les Amis du Trieux", GUINGAMP)
    nul = rna_row("W221000002", "Nul\x00part", GUINGAMP)
    path = write_rna(tmp_path / "rna.csv", [good, nul, "x" * (3 * MAX_LINE), good])
    report = import_rna(path, engine)
    assert (report.new, report.read, report.bad_rows) == (1, 4, 2)
    assert "ligne 3, colonne titre" in report.errors[0] and "NUL" in report.errors[0]
    assert "ligne 4" in report.errors[1]


def test_an_rna_row_csv_cannot_read_is_reported_not_raised(engine, tmp_path) -> None:
    from workbench.associations.rna import import_rna

    good = rna_row("W221000001", "Les Amis du Trieux", GUINGAMP)
    runaway = ";".join(['"' + "x" * 140_000] + [""] * (len(COLUMNS) - 1))
    path = write_rna(tmp_path / "rna.csv", [good, runaway])
    report = import_rna(path, engine)
    assert report.new == 1 and report.bad_rows == 1


# -- YAML files (defect 5) ---------------------------------------------------------------------

def yaml_commands(path: Path) -> list[tuple[str, ...]]:
    return [("foresight", "mactor", str(path)), ("foresight", "morpho", str(path)),
            ("forms", "check", str(path)), ("associations", "committee-check", str(path))]


@pytest.mark.parametrize("index", range(4))
@pytest.mark.parametrize(("content", "words"), [
    pytest.param("title: Sondage élus\n".encode("latin-1"), "pas en UTF-8 (octet 16)",
                 id="latin-1"),
    pytest.param(billion_laughs().encode(), "alias", id="billion-laughs"),
])
def test_yaml_commands_refuse_other_encodings_and_alias_bombs(tmp_path, index, content,
                                                              words) -> None:
    path = tmp_path / "fichier.yaml"
    path.write_bytes(content)
    started = time.monotonic()
    code, output, unexpected = run_cli(*yaml_commands(path)[index])
    assert unexpected is None, unexpected
    assert code == 1 and words in output, output
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("content", [
    "a: 2026-02-30\n", "a: !!binary 'é'\n", "a: \x00\n", "[" * 5000 + "]" * 5000,
    "? [a, b]\n: c\n", "a: &x [*x]\n",
])
def test_yaml_values_that_cannot_be_read_are_french_errors(tmp_path, content) -> None:
    from workbench.yamlfile import YamlFileError, load_yaml

    path = tmp_path / "f.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(YamlFileError):
        load_yaml(path)


def test_an_evaluation_framework_in_latin_1_is_a_french_error(tmp_path) -> None:
    from workbench.evaluation.framework import load_framework
    from workbench.forms.issues import SpecError

    path = tmp_path / "cadre.yaml"
    path.write_bytes("titre: Évaluation\n".encode("latin-1"))
    with pytest.raises(SpecError, match="pas en UTF-8"):
        load_framework(path)


# -- numbers and text: one set of rules, both databases agree (defect 6) -----------------------

@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e29", "1e400", "1_000",
                                   "10000000000", "0x10"])
def test_amounts_must_be_finite_and_fit_the_money_columns(value) -> None:
    with pytest.raises(FieldError):
        parse_amount(value, "montant_demande")


def test_amounts_as_staff_type_them_still_read() -> None:
    assert parse_amount("1 500,50 €", "m") == 1500.5
    assert parse_amount("9999999999.99", "m") == 9_999_999_999.99
    assert parse_amount("1.5e3", "m") == 1500


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e12", "", "12 abc"])
def test_numbers_must_be_finite_and_within_bounds(value) -> None:
    from workbench.cells import parse_number

    with pytest.raises(FieldError):
        parse_number(value, "n", 0, 1e8)
    assert math.isclose(parse_number("1 234,5", "n", 0, 1e8), 1234.5)


def test_text_cells_refuse_nul_and_huge_values() -> None:
    from workbench.cells import text_problem

    assert text_problem("a\x00b") and text_problem("x" * 100_001)
    assert text_problem("École") is None


REQUEST = ("reference;association;annee;service;type;intitule;montant_demande;description\n"
           "S-1;Les Amis du Trieux;2026;culture;projet;Festival;{amount};{text}\n")


@pytest.mark.parametrize(("amount", "text"), [
    ("NaN", "x"), ("inf", "x"), ("1e29", "x"), ("1500", "nul\x00part"),
])
def test_a_bad_request_stores_nothing_on_either_database(engine, tmp_path, amount,
                                                         text) -> None:
    from workbench.associations.requests import import_requests

    path = tmp_path / "demandes.csv"
    path.write_text(REQUEST.format(amount=amount, text=text), encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"demandes\.csv, ligne 2, colonne"):
        import_requests(path, engine)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(subsidy_request)) == 0
        assert conn.scalar(select(func.count()).select_from(association)) == 0


def test_the_largest_amount_is_stored_alike_on_both_databases(engine, tmp_path) -> None:
    from workbench.associations.requests import import_requests

    path = tmp_path / "demandes.csv"
    path.write_text(REQUEST.format(amount="9999999999,99", text="x"), encoding="utf-8")
    assert import_requests(path, engine) == (1, 0)
    with engine.connect() as conn:
        assert conn.scalar(select(subsidy_request.c.amount_requested)) == 9_999_999_999.99


# -- the census (defects 6 and 10) -------------------------------------------------------------

@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A project home of its own (its communes), with no census file set."""
    folder = tmp_path / "projet"
    (folder / "data" / "territory").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "territory" / "communes.csv", folder / "data" / "territory")
    monkeypatch.setenv("WORKBENCH_HOME", str(folder))
    monkeypatch.delenv("WORKBENCH_CENSUS_FILE", raising=False)
    return folder


@pytest.mark.parametrize("value", ["-5", "NaN", "inf", "1e300"])
def test_census_counts_must_be_finite_and_not_negative(home, tmp_path, value) -> None:
    from workbench.evaluation.census import import_insee_structure

    lines = CENSUS.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(";")
    cells[-1] = value
    broken = tmp_path / "recensement.csv"
    broken.write_text("\n".join([lines[0], ";".join(cells), *lines[2:]]) + "\n",
                      encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"recensement\.csv, ligne 2, colonne"):
        import_insee_structure(broken)
    assert not list(home.rglob("census-structure.csv"))


def test_the_census_is_written_under_the_configured_home(home) -> None:
    from workbench.evaluation.census import import_insee_structure, load_census

    assert import_insee_structure(CENSUS) == ("2019", 3)
    assert (home / "data" / "runtime" / "census-structure.csv").is_file()
    assert not (home / "data" / "territory" / "census-structure.csv").exists()
    assert load_census().source.startswith("INSEE, recensement 2019")


def test_the_census_location_is_ignored_by_git_in_a_checkout() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q",
                              "data/runtime/census-structure.csv"], cwd=ROOT, check=False)
    assert ignored.returncode == 0


def test_a_census_imported_before_is_still_read(home) -> None:
    from workbench.evaluation.census import load_census

    (home / "data" / "territory" / "census-structure.csv").write_text(
        "code_insee,variable,modalite,effectif,source\n22070,sexe,Femme,10,Ancien\n",
        encoding="utf-8")
    assert load_census().source == "Ancien"


def test_header_only_rna_is_not_an_error(tmp_path, engine) -> None:
    from workbench.associations.rna import import_rna

    path = tmp_path / "vide.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    assert import_rna(path, engine).read == 0


# -- found by the fuzzing of tests/test_fuzz_entry_points.py -----------------------------------

@pytest.mark.parametrize(("args", "name", "content", "words"), [
    (("pb", "results"), "bp.pb", "META\nkey;value\nbudget;é\n".encode("latin-1"),
     "pas en UTF-8"),
    (("pb", "results"), "bp.pb", b'META\nkey;value\nbudget;"' + b"x" * 140_000 + b"\n",
     "illisible"),
    (("invitations", "create", "evaluation-transport", "--csv"), "gens.csv",
     bytes(range(256)), "tableau CSV"),
    (("forms", "check"), "f.yaml", b"date:\n", "champ inconnu « date »"),
    (("foresight", "morpho"), "m.yaml",
     b"components: {a: [x, y], b: [z]}\nexclusions: 2026-01-01 10:00:00\n",
     "« exclusions » doit être une liste"),
    (("foresight", "mactor"), "m.yaml", b"actors: true\nobjectives: 2026-01-01\n",
     "listes « actors » et « objectives » sont obligatoires"),
    (("foresight", "scoring-study", "etude", "--title", "Étude", "--from-matrix"), "m.csv",
     b"", "au moins deux variables"),
    (("associations", "committee-check"), "f.yaml", b"date:\n", "champ inconnu « date »"),
    (("council", "avis-import"), "avis.yaml",
     b"slug: a\ntitle: t\nkind: saisine\nadopted_on: 2026-01-01\nrecommendations: 1\n",
     "doit être une liste"),
    (("council", "draft"), "cr.yaml",
     b"type: avis\ntitre: x\ninstance: y\ndate: 2026-02-30x\n", "n'est pas une date"),
    (("council", "draft"), "cr.yaml",
     b'type: avis\ntitre: "a\\x19b"\ninstance: y\ndate: 2026-02-03\n', "U+0019"),
])
def test_hostile_files_found_by_fuzzing_exit_1_in_french(tmp_path, args, name, content,
                                                         words) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
        run_cli("db", "upgrade")
        run_cli("forms", "publish", "evaluation-transport")
        code, output, unexpected = run_cli(*args, str(path))
    assert unexpected is None, unexpected
    assert code == 1 and words in output, output


def test_a_long_draft_title_still_gives_a_word_file(tmp_path) -> None:
    path = tmp_path / "cr.yaml"
    path.write_text(f"type: avis\ntitre: {'Mobilités ' * 40}\ninstance: Conseil\n"
                    "date: 2026-02-03\n", encoding="utf-8")
    code, output, unexpected = run_cli("council", "draft", str(path), "--output",
                                       str(tmp_path / "sortie"))
    assert unexpected is None and code == 0, output
    assert (tmp_path / "sortie" / "cr.docx").is_file()


def test_a_paper_ballot_with_a_superscript_digit_is_refused(engine, tmp_path) -> None:
    from datetime import datetime

    from sqlalchemy import insert

    from workbench.budget.paper import import_paper_ballots
    from workbench.storage.schema import pb_edition, pb_project

    with engine.begin() as conn:
        edition = conn.execute(insert(pb_edition).values(
            slug="papier", title="Papier", budget=1000, ballot_kind="cumulative", points=5,
            max_points_per_project=3, created_at=datetime(2026, 1, 1))).inserted_primary_key[0]
        conn.execute(insert(pb_project).values(edition_id=edition, code="1", title="Projet",
                                               cost=100, status="recevable"))
    path = tmp_path / "papier.csv"
    path.write_text("projets;points\n1;²\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"ligne 2, colonne 2 \(points\)"):
        import_paper_ballots("papier", path, engine)


# -- amounts typed on the committee pages, envelopes of a committee edition (defect 6) --------

@pytest.mark.parametrize("amount", [math.nan, math.inf, -math.inf])
def test_a_proposed_or_voted_amount_must_be_finite_on_both_databases(engine, tmp_path,
                                                                     amount) -> None:
    from workbench.associations.requests import import_requests
    from workbench.associations.scoring import adjust, record_decision

    path = tmp_path / "demandes.csv"
    path.write_text(REQUEST.format(amount="1500", text="x"), encoding="utf-8")
    import_requests(path, engine)
    with engine.connect() as conn:
        request_id = conn.scalar(select(subsidy_request.c.id))
    with pytest.raises(WorkbenchError, match="entre 0 et le montant demandé"):
        adjust(request_id, amount, engine)
    with pytest.raises(WorkbenchError, match="entre 0 et le montant demandé"):
        record_decision(request_id, amount, "DEL-1", date(2026, 6, 1), engine)
    with engine.connect() as conn:
        row = conn.execute(select(subsidy_request.c.amount_proposed,
                                  subsidy_request.c.amount_voted)).one()
    assert tuple(row) == (None, None)


@pytest.mark.parametrize("value", [".inf", ".nan", "1e29"])
def test_a_committee_envelope_must_be_a_finite_amount(tmp_path, value) -> None:
    from workbench.associations.grid import load_edition
    from workbench.forms.issues import SpecError

    text = (ROOT / "data" / "associations" / "comites" / "comite-2026.yaml").read_text(
        encoding="utf-8")
    path = tmp_path / "comite-2026.yaml"
    path.write_text(text.replace("  sport: 90000", f"  sport: {value}"), encoding="utf-8")
    with pytest.raises(SpecError, match="envelopes"):
        load_edition(path)


def test_a_census_counting_no_one_in_a_dimension_is_refused(home, tmp_path) -> None:
    from workbench.evaluation.census import import_insee_structure

    lines = CENSUS.read_text(encoding="utf-8").splitlines()
    zero = [";".join(c if i == 0 or not h.startswith("C19_") else "0"
                     for i, (h, c) in enumerate(zip(lines[0].split(";"), row.split(";"),
                                                    strict=True)))
            for row in lines[1:]]
    path = tmp_path / "recensement.csv"
    path.write_text("\n".join([lines[0], *zero]) + "\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="csp"):
        import_insee_structure(path)
    assert not list(home.rglob("census-structure.csv"))


@pytest.mark.parametrize("count", ["nan", "-3", "x"])
def test_a_stored_census_with_bad_counts_is_a_french_error(home, count) -> None:
    from workbench.evaluation.census import load_census

    stored = home / "data" / "runtime" / "census-structure.csv"
    stored.parent.mkdir(parents=True)
    stored.write_text("code_insee,variable,modalite,effectif,source\n"
                      f"22070,sexe,Femme,{count},INSEE\n22070,sexe,Homme,5,INSEE\n",
                      encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"census-structure\.csv"):
        load_census()


@pytest.mark.parametrize(("old", "new"), [
    ("Dron z kamerą", "Dron\x00z kamerą"), ("budget;1070000", "budget;1e400"),
    ("currency;PLN", "currency;ZLOTYS"),
])
def test_a_pabulib_file_with_a_nul_byte_or_huge_budget_stores_nothing(engine, old,
                                                                      new) -> None:
    from workbench.budget import pabulib, store
    from workbench.storage.schema import pb_edition

    text = (FIXTURES / "pabulib" / "Poland_Swiecie_2023.pb").read_text(encoding="utf-8")
    with pytest.raises(WorkbenchError):
        store.import_pabulib(pabulib.loads(text.replace(old, new, 1)), "swiecie", engine)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(pb_edition)) == 0


# -- values that do not fit their column: PostgreSQL refuses them, SQLite stored them ---------

def test_an_rna_row_that_does_not_fit_its_columns_is_skipped(engine, tmp_path) -> None:
    from workbench.associations.rna import import_rna

    good = rna_row("W221000001", "Les Amis du Trieux", GUINGAMP)
    cells = rna_row("W221000002", "Trop long", GUINGAMP).split(";")
    cells[COLUMNS.index("adrs_codepostal")] = "22200 GUINGAMP CEDEX"
    report = import_rna(write_rna(tmp_path / "rna.csv", [good, ";".join(cells)]), engine)
    assert (report.new, report.bad_rows) == (1, 1)
    assert "ligne 3, colonne postcode" in report.errors[0]


def test_a_request_reference_longer_than_its_column_stores_nothing(engine, tmp_path) -> None:
    from workbench.associations.requests import import_requests

    path = tmp_path / "demandes.csv"
    path.write_text(REQUEST.format(amount="1500", text="x").replace("S-1", "S" * 40),
                    encoding="utf-8")
    with pytest.raises(WorkbenchError, match="dépasse 32 caractères"):
        import_requests(path, engine)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(subsidy_request)) == 0


def test_a_workbook_claiming_a_huge_sheet_stops_in_french(tmp_path, monkeypatch) -> None:
    """A small XLSX whose sheet claims A1:XFD1048576: openpyxl pads each row to 16,384
    cells; the reader stops at MAX_CELLS (lowered here) instead of filling the memory."""
    import zipfile

    from openpyxl import Workbook

    import workbench.tables

    path = tmp_path / "bombe.xlsx"
    book = Workbook()
    for n in range(5):
        book.active.append([n])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<dimension ref="A1:A5"/>',
                                        b'<dimension ref="A1:XFD1048576"/>')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    monkeypatch.setattr(workbench.tables, "MAX_CELLS", 50_000, raising=False)
    with pytest.raises(WorkbenchError, match="plus de 50"):
        read_rows(path)


@pytest.mark.parametrize("rules", ["[1, 2]", "{iqr_max: 1e400}", "{max_rounds: [1]}"])
def test_a_delphi_study_with_rules_of_the_wrong_kind_is_a_french_error(tmp_path,
                                                                       rules) -> None:
    from workbench.foresight.delphi import load_delphi

    (tmp_path / "etude.yaml").write_text(
        f"title: Étude\nitems: [{{id: a, statement: Bus}}]\nrules: {rules}\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="étude Delphi invalide"):
        load_delphi("etude", tmp_path)


def test_a_questionnaire_date_with_a_time_zone_is_read_as_paris_time(tmp_path) -> None:
    """Specs hold naive Paris times; an offset given in the file used to meet a naive date
    in the checks (TypeError: can't compare offset-naive and offset-aware datetimes)."""
    from datetime import datetime

    from workbench.forms.loader import load_spec_file

    text = (ROOT / "widgets" / "evaluation-transport.yaml").read_text(encoding="utf-8")
    path = tmp_path / "evaluation-transport.yaml"
    path.write_text(text.replace("opens_at: 2026-11-02", "opens_at: 2026-01-01T10:00:00+00:00")
                    .replace("closes_at: 2027-06-30", "closes_at: 2026-02-01"), encoding="utf-8")
    spec = load_spec_file(path)
    assert spec.opens_at == datetime(2026, 1, 1, 11, 0)
