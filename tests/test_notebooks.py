"""Every notebook under notebooks/ executes with papermill on demo data, and is committed clean;
its executed copy shows no personal data the catalogue does not allow on that page
(minimisation, RGPD issue 19)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import papermill
import pytest

from workbench.reports.kernel import ReportKernelManager
from workbench.storage import get_engine
from workbench.storage.migrate import upgrade

from .conftest import ROOT, sqlite_url
from .minimisation import leaks, personal_values, seed_personal_data

NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, dict[str, set[str]]]:
    """The demo (questionnaire, budget, council, associations) with one person of each other
    kind, seeded once: its file, and the personal values it holds per category."""
    folder = tmp_path_factory.mktemp("demo")
    engine = get_engine(sqlite_url(folder))
    upgrade(engine)
    seed_personal_data(engine)
    values = personal_values(engine)
    engine.dispose()
    return folder / "workbench.sqlite", values


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch, seeded) -> dict[str, set[str]]:
    shutil.copyfile(seeded[0], tmp_path / "workbench.sqlite")
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    return seeded[1]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_executes_on_demo_data(notebook: Path, tmp_path: Path, demo_database) -> None:
    output = tmp_path / notebook.name
    papermill.execute_notebook(str(notebook), str(output), cwd=str(notebook.parent),
                               kernel_name="python3", progress_bar=False,
                               kernel_manager_class=ReportKernelManager)
    executed = json.loads(output.read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    where = f"{notebook.parent.name}/{notebook.name}"
    found = leaks(output.read_text(encoding="utf-8"), where, demo_database)
    assert not found, f"personal data on {where} that the catalogue does not allow: {found[:5]}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_without_outputs(notebook: Path) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in cells if c["cell_type"] == "code")
