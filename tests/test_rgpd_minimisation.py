"""Minimisation (issue 19): every export command, run on a demo database that holds personal
data of every category, writes only what the catalogue allows in that export (``shown_in``
of each category). The executed notebooks are scanned in test_notebooks.py, the yearly
reports in test_reports.py, the servers' logs after every end-to-end run (tests/apps.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.demo.budget import EDITION
from workbench.demo.seed import DEMO_SLUG
from workbench.storage import get_engine
from workbench.storage.migrate import upgrade

from .conftest import sqlite_url
from .minimisation import RECIPIENT, leaks, personal_values, read_output, seed_personal_data

YEAR = date.today().year
# export name → the command (FILE: the output file it writes, else its standard output)
EXPORTS = {
    "responses": ["responses", "export", DEMO_SLUG, "--format", "xlsx", "--output", "FILE.xlsx"],
    "responses-csv": ["responses", "export", DEMO_SLUG, "--format", "csv", "--output",
                      "FILE.csv"],
    "council-members": ["council", "members", "export", "FILE.xlsx"],
    "composition": ["council", "composition", "--json"],
    "follow-up": ["council", "follow-up", "--year", str(YEAR), "--reminders", "FILE.csv"],
    "scdl": ["associations", "export-scdl", "--year", str(YEAR), "--output", "FILE.csv"],
    "committee-results": ["associations", "committee-results", "comite-2026", "--json"],
    "alerts": ["associations", "alerts"],
    "pabulib": ["pb", "export", "--edition", EDITION, "FILE.pb"],
    "recontact": ["rgpd", "recontact", "--output", "FILE.csv"],
    "registre": ["rgpd", "registre", "--format", "xlsx", "--output", "FILE.xlsx"],
}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> tuple[str, dict[str, set[str]]]:
    folder = tmp_path_factory.mktemp("minimisation")
    engine = get_engine(sqlite_url(folder))
    upgrade(engine)
    seed_personal_data(engine)
    return sqlite_url(folder), personal_values(engine)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_an_export_holds_only_the_personal_data_the_catalogue_allows(
        name: str, world, tmp_path: Path, monkeypatch) -> None:
    url, values = world
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    monkeypatch.setenv("WORKBENCH_HOME", str(Path(__file__).resolve().parents[1]))
    command = [str(tmp_path / arg) if arg.startswith("FILE") else arg for arg in EXPORTS[name]]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    written = [Path(arg) for arg in command if arg.startswith(str(tmp_path))]
    assert all(path.exists() for path in written), result.output
    content = result.output + "".join(read_output(path) for path in written)
    found = leaks(content, f"export:{name}", values)
    assert not found, f"personal data in export:{name} the catalogue does not allow: {found[:5]}"


def test_the_scan_finds_a_person_where_the_catalogue_does_not_allow_them(world) -> None:
    _url, values = world
    assert leaks(f"Envoyé à {RECIPIENT}", "export:responses", values) == [
        f"invitations/destinataire: {RECIPIENT}"]
    member = sorted(values["conseil-coordonnees/coordonnees"])[0]
    assert leaks(member, "staff/conseil.ipynb", values) == []
    assert leaks(member, "public/emargement.ipynb", values) != []
