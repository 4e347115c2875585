"""The report notebooks under ``notebooks/reports/``: names, parameters, descriptions.

Adding a report is dropping a notebook in that folder. Its ``parameters`` cell (read with
``papermill.inspect_notebook``) declares the parameters with type annotations, e.g.
``year: int = 2026``; its metadata ``workbench`` says what it is::

    {"description": "...", "title": "...", "yearly": true, "per_form": false}

``yearly`` reports run with ``--all --year``; ``per_form`` ones run once per questionnaire
answered that year (parameter ``form``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.settings import project_home

__all__ = ["Parameter", "ReportNotebook", "find_report", "report_notebooks", "reports_folder"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a report: name, type as annotated, default as written."""

    name: str
    type: str
    default: str
    help: str = ""

    @property
    def optional(self) -> bool:
        return "None" in self.type or self.default == "None"

    @property
    def base_type(self) -> str:
        for kind in ("int", "float", "bool", "str"):
            if kind in self.type.split("|")[0] or self.type.startswith(f"Optional[{kind}"):
                return kind
        return "str"


@dataclass(frozen=True)
class ReportNotebook:
    """A report notebook and what it declares."""

    name: str
    path: Path
    title: str
    description: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    yearly: bool = False
    per_form: bool = False


def reports_folder(root: Path | None = None) -> Path:
    return (root or project_home()) / "notebooks" / "reports"


def _read(path: Path) -> ReportNotebook:
    import papermill

    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("workbench", {})
    inspected = papermill.inspect_notebook(str(path))
    parameters = {name: Parameter(name, str(p.get("inferred_type_name") or "str"),
                                  str(p.get("default")), str(p.get("help") or ""))
                  for name, p in inspected.items()}
    return ReportNotebook(path.stem, path, meta.get("title", path.stem),
                          meta.get("description", ""), parameters,
                          bool(meta.get("yearly")), bool(meta.get("per_form")))


def report_notebooks(folder: Path | None = None) -> list[ReportNotebook]:
    """Every report notebook of the folder, by name."""
    folder = folder or reports_folder()
    return [_read(path) for path in sorted(folder.glob("*.ipynb"))
            if not path.name.startswith((".", "_"))]


def find_report(name: str, folder: Path | None = None) -> ReportNotebook:
    """The report called ``name``, or a French error listing the known ones."""
    folder = folder or reports_folder()
    path = folder / f"{name}.ipynb"
    if "/" in name or "\\" in name or not path.is_file():
        known = ", ".join(r.name for r in report_notebooks(folder)) or "—"
        raise WorkbenchError(_("Unknown report '{name}'. Known reports: {known}.").format(
            name=name, known=known))
    return _read(path)
