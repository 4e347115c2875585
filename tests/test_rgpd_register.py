"""The processing catalogue and the register of processing activities (issue 19, part)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import Column, MetaData, String, Table

from workbench.cli import main
from workbench.forms.issues import SpecError
from workbench.rgpd.catalogue import catalogue_path, load_catalogue
from workbench.rgpd.register import register_markdown, unclassified, write_register_xlsx
from workbench.storage.schema import metadata


def test_every_column_of_the_schema_is_classified() -> None:
    """The drift test: a new table or column must say whether it holds personal data."""
    assert unclassified(load_catalogue()) == []


def _copy_with(table_name: str, column: str) -> MetaData:
    copy = MetaData()
    for table in metadata.sorted_tables:
        columns = [Column(c.name, c.type) for c in table.columns]
        if table.name == table_name:
            columns.append(Column(column, String))
        Table(table.name, copy, *columns)
    return copy


@pytest.mark.parametrize(("table", "column"), [
    ("council_member", "birth_date"),  # a table with personal data: every column classified
    ("pb_edition", "contact_email"),  # a table declared without: no column named like a person's
    ("workshop_session", "facilitator_phone"),
])
def test_a_new_personal_column_fails_the_drift_test(table: str, column: str) -> None:
    assert unclassified(load_catalogue(), _copy_with(table, column)) == [f"{table}.{column}"]


def test_a_new_table_fails_the_drift_test() -> None:
    copy = _copy_with("form", "x")
    Table("newsletter_subscriber", copy, Column("id", String), Column("email", String))
    missing = unclassified(load_catalogue(), copy)
    assert "newsletter_subscriber.id" in missing and "newsletter_subscriber.email" in missing


def test_catalogue_problems_are_french_with_file_and_line(tmp_path: Path) -> None:
    text = catalogue_path().read_text(encoding="utf-8")
    path = tmp_path / "traitements.yaml"

    def problems(old: str, new: str) -> tuple[int, list[str]]:
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(SpecError) as error:
            load_catalogue(path)
        return text[:text.index(old)].count("\n") + 1, error.value.lines()

    line, lines = problems("legal_basis: public_task", "legal_basis: bon-vouloir")
    assert lines[0].startswith(f"{path}:{line}: processings[0].legal_basis : ")
    assert "'public_task', 'legal_obligation', 'consent' ou 'contract'" in lines[0]
    assert "Input should" not in lines[0]
    line, lines = problems("recipient: invitations/destinataire",
                           "recipient: invitations/adresse")
    assert lines == [f"{path}:{line}: columns.invitation.recipient : « invitations/adresse » "
                     "n’est pas une catégorie du catalogue (écrivez « traitement/catégorie », "
                     "ou « - » pour une donnée qui n’est pas personnelle)"]


def test_the_register_names_every_processing_category_and_where_it_is_stored(
        tmp_path: Path) -> None:
    catalogue = load_catalogue()
    text = register_markdown(catalogue)
    assert text.startswith("# Registre des activités de traitement")
    for processing in catalogue.processings:
        assert f"## {processing.title}" in text
        for category in processing.categories:
            assert category.retention in text
    assert "`council_member.email`" in text and "mission d’intérêt public" in text
    path = tmp_path / "registre.xlsx"
    rows = write_register_xlsx(catalogue, path)
    sheet = load_workbook(path).active
    assert rows == sum(len(p.categories) for p in catalogue.processings) == sheet.max_row - 1
    assert sheet["A1"].value == "Traitement" and sheet["E1"].value == "Stockage"


def test_the_register_command(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["rgpd", "registre"])
    assert printed.exit_code == 0 and "Registre des activités de traitement" in printed.output
    refused = runner.invoke(main, ["rgpd", "registre", "--format", "xlsx"])
    assert refused.exit_code == 1 and "demande un fichier" in refused.output
    written = runner.invoke(main, ["rgpd", "registre", "--format", "xlsx", "--output",
                                   str(tmp_path / "r.xlsx")])
    assert written.exit_code == 0 and "Registre écrit" in written.output
