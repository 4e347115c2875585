"""The run record beside each report: what was run, on which data, with which software."""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import datetime
from importlib import metadata
from pathlib import Path

from workbench.documents.document import Document
from workbench.settings import project_home

__all__ = ["PACKAGES", "write_manifest"]

PACKAGES = ("workbench", "papermill", "ipykernel", "pandas", "altair", "vl-convert-python",
            "python-docx", "openpyxl", "mistune", "SQLAlchemy")


def _versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit(folder: Path | None = None) -> str | None:
    """The checkout's commit (with ``+modifications`` when the tree is not clean), or None."""
    folder = folder or project_home()
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=folder, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+modifications" if dirty.strip() else "")


def write_manifest(path: Path, *, report: str, notebook: Path, parameters: dict,
                   document: Document | None, started: datetime, ended: datetime,
                   outputs: list[str], error: str | None = None) -> dict:
    """Write ``manifest.json`` and return its content."""
    manifest = {
        "report": report,
        "notebook": str(notebook.relative_to(project_home()))
        if notebook.is_relative_to(project_home()) else str(notebook),
        "parameters": parameters,
        "inputs": document.inputs if document else [],
        "outputs": outputs,
        "status": "ok" if error is None else "failed",
        "error": error,
        "versions": _versions(),
        "git_commit": git_commit(),
        "started_at": started.isoformat(timespec="seconds"),
        "ended_at": ended.isoformat(timespec="seconds"),
        "duration_s": round((ended - started).total_seconds(), 2),
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
