"""Exports: one column per question (and option), labels sheet, and a faithful round trip."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbench.demo.seed import seed_demo
from workbench.forms.export import read_export, write_csv, write_xlsx
from workbench.forms.loader import spec_from_dict
from workbench.storage import read_connection
from workbench.storage.forms import latest_version
from workbench.storage.responses import iter_responses

SLUG = "evaluation-transport"


@pytest.fixture
def seeded(sqlite_engine):
    seed_demo(60, sqlite_engine)
    with read_connection(sqlite_engine) as conn:
        version = latest_version(conn, SLUG)
        stored = list(iter_responses(conn, SLUG))
    return spec_from_dict(version.spec), stored, version


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_read_back_equals_the_stored_answers(seeded, tmp_path: Path, fmt) -> None:
    spec, stored, version = seeded
    path = tmp_path / f"export.{fmt}"
    if fmt == "csv":
        assert write_csv(spec, stored, path) == 60
    else:
        assert write_xlsx(spec, stored, path, version.version) == 60
    assert read_export(spec, path) == {r.receipt: r.answers for r in stored}


def test_xlsx_has_one_row_per_response_and_explains_its_columns(seeded, tmp_path) -> None:
    spec, stored, version = seeded
    path = tmp_path / "export.xlsx"
    write_xlsx(spec, stored, path, version.version)
    book = load_workbook(path)
    assert book.sheetnames == ["Réponses", "Libellés", "À propos"]
    rows = list(book["Réponses"].iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 61
    assert header[:4] == ("recu", "soumis_le_utc", "version", "synthetique")
    assert "modes__voiture" in header and "modes__autre_texte" in header
    assert "commune__nom" in header and "budget__lignes_regulieres" in header
    labels = {r[0]: r for r in book["Libellés"].iter_rows(values_only=True) if r[1]}
    assert labels["modes__voiture"][4] == "1 = cochée, 0 = non cochée : Voiture"
    assert labels["satisfaction"][1] == ("Dans l'ensemble, quelle note donnez-vous au réseau "
                                         "de transport ?")
    codes = [r for r in book["Libellés"].iter_rows(values_only=True) if r[0] == "tad_rural"]
    assert ("tad_rural", None, None, "NSP", "Ne se prononce pas") in codes
    about = dict(book["À propos"].iter_rows(values_only=True))
    assert about["Réponses"] == 60


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_participant_text_never_becomes_a_spreadsheet_formula(sqlite_engine, tmp_path,
                                                              fmt) -> None:
    from workbench.forms.submission import submit_response

    from .test_forms_answers import valid_answers

    seed_demo(0, sqlite_engine)
    payloads = ['=HYPERLINK("http://evil.example","clic")', "+33 6 00", "-2", "@SUM(A1)",
                "'déjà cité"]
    for i, text in enumerate(payloads):
        submit_response(SLUG, f"inj-{i}", valid_answers(suggestions=text), engine=sqlite_engine,
                        now=datetime(2026, 12, 1, 10))
    with read_connection(sqlite_engine) as conn:
        spec = spec_from_dict(latest_version(conn, SLUG).spec)
        stored = list(iter_responses(conn, SLUG))
    path = tmp_path / f"export.{fmt}"
    if fmt == "csv":
        write_csv(spec, stored, path)
        raw = path.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK(" in raw and ";'@SUM(A1)" in raw and ";''déjà cité" in raw
    else:
        write_xlsx(spec, stored, path, 1)
        sheet = load_workbook(path).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    back = read_export(spec, path)
    assert sorted(a["suggestions"] for a in back.values()) == sorted(payloads)
