"""No live formula in any CSV or XLSX the workbench writes (issue 17, defect 4)."""

from __future__ import annotations

import ast
import csv
import io
from datetime import date
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from workbench.spreadsheets import Workbook, csv_cell, csv_text, read_csv_cell, write_csv

from .conftest import ROOT

HOSTILE_NAME = '=HYPERLINK("http://x","y")'
PHONE = "+33 6 12 34 56 78"
SOURCES = ROOT / "src" / "workbench"
# The one module writing CSV and XLSX; pabulib's ``.pb`` is a text format for PB tools, not a
# spreadsheet file: a ``'`` there would change the data those tools read.
ALLOWED = {"spreadsheets.py": "the neutralising writer", "budget/pabulib.py": "not a spreadsheet"}


@pytest.mark.parametrize(("value", "expected"), [
    (HOSTILE_NAME, "'" + HOSTILE_NAME), (PHONE, "'" + PHONE), ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("'déjà", "''déjà"),
    ("Anne", "Anne"), ("", ""), (None, ""), (-3, -3), (2.5, 2.5), (date(2026, 1, 2),
                                                                   "2026-01-02")])
def test_csv_cells_are_neutralised_and_read_back(value, expected) -> None:
    assert csv_cell(value) == expected
    if isinstance(value, str):
        assert read_csv_cell(csv_cell(value)) == value


def test_xlsx_keeps_numbers_and_writes_text_as_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.sheet("feuille")
    sheet.append([HOSTILE_NAME, PHONE, -3, 2.5, None, "bip\x07", date(2026, 1, 2),
                  Fraction(1, 4), np.int64(7)])
    book.save(tmp_path / "t.xlsx")
    cells = next(load_workbook(tmp_path / "t.xlsx").active.iter_rows())
    assert [c.data_type for c in cells[:4]] == ["s", "s", "n", "n"]
    assert [c.value for c in cells[:5]] == [HOSTILE_NAME, PHONE, -3, 2.5, None]
    assert cells[0].quotePrefix and cells[1].quotePrefix and cells[5].value == "bip"
    assert [c.value for c in cells[7:]] == [0.25, 7]


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    def rows():
        yield ["a"]
        raise RuntimeError("interrompu")

    with pytest.raises(RuntimeError):
        write_csv(tmp_path / "x.csv", rows())
    assert list(tmp_path.iterdir()) == []


def _member_fields() -> dict[str, str]:
    from .test_council_meetings import FIELDS

    return {**FIELDS, "nom": HOSTILE_NAME, "telephone": PHONE}


def _no_formula(path: Path) -> list:
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells]


def test_the_members_export_has_no_live_formula(sqlite_engine, tmp_path: Path) -> None:
    from workbench.council.registry import export_members, members_csv, save_member

    save_member(_member_fields(), engine=sqlite_engine)
    export_members(tmp_path / "membres.xlsx", sqlite_engine)
    values = _no_formula(tmp_path / "membres.xlsx")
    assert HOSTILE_NAME in values and PHONE in values
    export_members(tmp_path / "membres.csv", sqlite_engine)
    for data in ((tmp_path / "membres.csv").read_bytes(), members_csv(sqlite_engine)):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert rows[1][:3] == ["'" + HOSTILE_NAME, "claire@exemple.invalid", "'" + PHONE]


def test_the_scdl_export_has_no_live_formula(engine, tmp_path: Path) -> None:
    from workbench.associations.requests import import_requests
    from workbench.associations.scdl import export_scdl, read_scdl
    from workbench.associations.scoring import record_decision, results

    from .test_associations_subsidies import EDITION_FILE, ROWS, load_edition, requests_file

    row = ROWS[0].replace("Bagad de Paimpol", '"=HYPERLINK(""http://x"",""y"")"')
    row = row.replace("Fest-noz des écoles", PHONE)
    import_requests(requests_file(tmp_path, row), engine)
    request = results(load_edition(EDITION_FILE), engine).requests[0]
    record_decision(request.request_id, 3500, "DEL-2026-042", date(2026, 6, 26), engine)
    path = tmp_path / "subventions.csv"
    assert export_scdl(2026, path, engine) == 1
    _header, rows = read_scdl(path)
    assert rows[0]["nomBeneficiaire"] == "'" + HOSTILE_NAME
    assert rows[0]["objet"] == "'" + PHONE
    assert rows[0]["montant"] == "3500"


def _writes_directly(tree: ast.AST) -> list[str]:
    """Calls and imports that write CSV or XLSX without the neutralising writer."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if (node.attr in ("to_csv", "to_excel", "ExcelWriter")
                    or (owner, node.attr) in (("csv", "writer"), ("csv", "DictWriter"),
                                              ("openpyxl", "Workbook"))):
                found.append(f"{node.lineno}: {owner}.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                "openpyxl", "xlsxwriter", "csv"):
            names = {a.name for a in node.names}
            if names & {"Workbook", "writer", "DictWriter"} or node.module == "xlsxwriter":
                found.append(f"{node.lineno}: from {node.module} import {', '.join(names)}")
        elif isinstance(node, ast.Import) and any(a.name == "xlsxwriter" for a in node.names):
            found.append(f"{node.lineno}: import xlsxwriter")
    return found


def test_only_the_spreadsheets_module_writes_csv_or_xlsx() -> None:
    offenders = {}
    for path in sorted(SOURCES.rglob("*.py")):
        name = path.relative_to(SOURCES).as_posix()
        found = _writes_directly(ast.parse(path.read_text(encoding="utf-8")))
        if found and name not in ALLOWED:
            offenders[name] = found
    assert offenders == {}
    assert _writes_directly(ast.parse("import csv\nw = csv.writer(f)\n"))  # the scan sees it
    assert _writes_directly(ast.parse("from openpyxl import Workbook\ndf.to_excel(p)\n"))
    assert not _writes_directly(ast.parse("from openpyxl import load_workbook\n"
                                          "book = spreadsheets.Workbook()\n"))


def test_csv_text_neutralises_headers_too() -> None:
    assert csv_text([["=x", 1]], delimiter=",", lineterminator="\n") == "'=x,1\n"


def test_a_protected_csv_reads_back_as_written(tmp_path: Path) -> None:
    """The shared table reader removes the ' the writer put, and only that one."""
    from workbench.tables import read_rows

    cells = [HOSTILE_NAME, PHONE, "'quoted", "'Ti Kêr", "-5 €", "plain"]
    write_csv(tmp_path / "t.csv", [cells])
    assert read_rows(tmp_path / "t.csv") == [cells]
