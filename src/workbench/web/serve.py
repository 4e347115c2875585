"""Starting the public Voilà app: only ``notebooks/public/``, no overrides, no tracebacks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workbench.settings import database_url, project_home

__all__ = ["SHARE_DIR", "public_app_command", "public_app_environment"]

SHARE_DIR = Path(__file__).parent / "share" / "jupyter"


def public_app_command(host: str, port: int, root: Path | None = None) -> list[str]:
    """The Voilà command line for the public app."""
    folder = (root or project_home()) / "notebooks" / "public"
    return [
        sys.executable, "-m", "voila", str(folder),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        "--template=workbench",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaExporter.language_code=fr",
        "--Voila.log_level=WARN",
    ]


def public_app_environment(root: Path | None = None) -> dict[str, str]:
    """The environment for Voilà and its kernels: our template, the absolute database URL."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(SHARE_DIR), env.get("JUPYTER_PATH", "")) if p)
    env["WORKBENCH_HOME"] = str(root or project_home())
    env["WORKBENCH_DATABASE_URL"] = database_url()
    return env
