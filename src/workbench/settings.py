"""Where the workbench finds its files and database (environment first, then defaults)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["TERRITORY_NAME", "database_url", "project_home", "reports_dir", "runtime_data"]

TERRITORY_NAME = "Guingamp-Paimpol Agglomération"


def project_home() -> Path:
    """The project folder: ``WORKBENCH_HOME``, else the nearest parent with ``widgets/``.

    Falls back to the source checkout, which is where an editable install lives.
    """
    env = os.environ.get("WORKBENCH_HOME")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    checkout = Path(__file__).resolve().parents[2]  # editable install: the source tree
    for folder in (here, *here.parents, checkout):
        if (folder / "widgets").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return here


def database_url() -> str:
    """``WORKBENCH_DATABASE_URL``, else the SQLite file ``data/workbench.sqlite``."""
    url = os.environ.get("WORKBENCH_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{project_home() / 'data' / 'workbench.sqlite'}"


def reports_dir() -> Path:
    """Where reports and exports go by default: ``WORKBENCH_REPORTS_DIR``, else
    ``<project>/reports``."""
    env = os.environ.get("WORKBENCH_REPORTS_DIR")
    return Path(env) if env else project_home() / "reports"


def runtime_data() -> Path:
    """Where the workbench writes what it imports or makes while it runs (the census, keys):
    ``<project>/data/runtime``, under ``WORKBENCH_HOME`` when set; git-ignored, so that an
    import never changes the source checkout."""
    return project_home() / "data" / "runtime"
