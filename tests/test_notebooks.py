"""Every notebook under notebooks/ executes with papermill on demo data, and is committed clean."""

from __future__ import annotations

import json
from pathlib import Path

import papermill
import pytest

from workbench.demo.budget import seed_budget
from workbench.demo.seed import seed_demo
from workbench.reports.kernel import ReportKernelManager

from .conftest import ROOT, sqlite_url

NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch, sqlite_engine) -> None:
    seed_demo(20, sqlite_engine)
    seed_budget(sqlite_engine)  # budget.ipynb shows the demo ballot
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))


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


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_without_outputs(notebook: Path) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in cells if c["cell_type"] == "code")
