"""Starting the Voilà apps: the public one (participants, projected results) and the staff one.

Public: only ``notebooks/public/``, no overrides, no tracebacks. Staff: ``notebooks/staff/``
behind personal accounts with roles (``workbench.web.staff_login``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workbench.settings import database_url, project_home
from workbench.staff.acting import SESSION_VARIABLE, SIDE_VARIABLE
from workbench.web import room

__all__ = ["SECRET_VARIABLES", "SHARE_DIR", "public_app_command", "public_app_environment",
           "staff_app_command", "staff_app_environment"]

SHARE_DIR = Path(__file__).parent / "share" / "jupyter"


def _voila_command(folder: Path, host: str, port: int, module: str = "voila") -> list[str]:
    return [
        sys.executable, "-m", module, str(folder),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        "--template=workbench",
        "--theme=light",
        "--VoilaExporter.language_code=fr",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--Voila.log_level=WARN",
        "--Voila.port_retries=0",  # a busy port is an error, never another port
    ]


PREHEATED = "questionnaire.ipynb"  # the only page worth a warm pool (participants arrive together)


def public_app_command(host: str, port: int, root: Path | None = None, expect: int = 0,
                       fill_delay: float = 2.0, max_kernels: int | None = None,
                       instance: str = "") -> list[str]:
    """The Voilà command line for the public app (no authentication).

    Voilà with the room's additions (``workbench.web.voila_app``): beyond ``max_kernels``
    live kernels (default: ``room.max_kernels()``; 0 = no cap) people get a waiting page, and
    participant kernels are released once their answer is confirmed.

    ``expect`` > 0 keeps that many participant kernels preheated for the questionnaire page
    (no other page is preheated); ``fill_delay`` paces the refill so that
    starting kernels never starves the cores during the rush. Idle kernels whose page is gone
    are culled after 30 minutes; a kernel whose page is still connected never is.
    ``instance`` names this server among several behind a proxy (``/healthz`` reports it).
    """
    cap = room.max_kernels() if max_kernels is None else max_kernels
    command = [
        *_voila_command((root or project_home()) / "notebooks" / "public", host, port,
                        module="workbench.web.voila_app"),
        f"--WorkbenchVoila.max_kernels={cap}",
        f"--MappingKernelManager.cull_idle_timeout={room.cull_idle_seconds()}",
        f"--MappingKernelManager.cull_interval={min(60, room.cull_idle_seconds())}",
        "--MappingKernelManager.cull_connected=False",
        *([f"--WorkbenchVoila.instance_name={instance}"] if instance else []),
    ]
    if expect > 0:
        command += ["--preheat_kernel=True", f"--pool_size={expect}",
                    f"--VoilaKernelManager.fill_delay={fill_delay}"]
        # Only the questionnaire is preheated (results, MICMAC scoring… are not).
        folder = (root or project_home()) / "notebooks" / "public"
        command += [f"--VoilaKernelManager.preheat_denylist={path.name}"
                    for path in sorted(folder.glob("*.ipynb")) if path.name != PREHEATED]
    return command


def staff_app_command(host: str, port: int, root: Path | None = None) -> list[str]:
    """The Voilà command line for the staff app: personal accounts and roles
    (``workbench.web.staff_login``, ``workbench.staff``)."""
    return [*_voila_command((root or project_home()) / "notebooks" / "staff", host, port,
                            module="workbench.web.voila_app"),
            "--WorkbenchVoila.home_page=False",
            "--WorkbenchVoila.staff=True",
            "--Voila.identity_provider_class=workbench.web.staff_login.StaffIdentityProvider",
            "--Voila.authorizer_class=workbench.web.staff_login.StaffAuthorizer"]


# Secrets that must never reach a server's environment, hence its kernels' (the staff token
# of earlier versions included: a deployment may still define it).
SECRET_VARIABLES = ("WORKBENCH_STAFF_TOKEN", "JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")


def staff_app_environment(public: dict[str, str]) -> dict[str, str]:
    """The staff server's environment: the public one, its kernels on the staff side."""
    return {**public, SIDE_VARIABLE: "staff"}


def public_app_environment(root: Path | None = None, public_url: str | None = None,
                           bind_host: str | None = None) -> dict[str, str]:
    """The environment for Voilà and its kernels: our template, the absolute database URL.

    ``public_url`` is the address people use (behind a proxy: the proxy's); ``bind_host`` the
    address the server listens on, which its own kernels call back (default: the public
    URL's host).
    """
    env = {name: value for name, value in os.environ.items() if name not in SECRET_VARIABLES}
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(SHARE_DIR), env.get("JUPYTER_PATH", "")) if p)
    env["WORKBENCH_HOME"] = str(root or project_home())
    env["WORKBENCH_DATABASE_URL"] = database_url()
    # Each kernel connects to PostgreSQL for each transaction instead of keeping a pool.
    env.setdefault("WORKBENCH_DB_POOL", "none")
    # Participant kernels are forked from a pre-imported server (workbench.web.forkserver).
    env.setdefault("JUPYTER_DEFAULT_PROVISIONER_NAME", "workbench-fork")
    # Kernels of public pages never act as staff (workbench.staff.acting).
    env[SIDE_VARIABLE] = "public"
    env.pop(SESSION_VARIABLE, None)
    if public_url:
        env["WORKBENCH_PUBLIC_URL"] = public_url
    host = bind_host or (public_url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
                         if public_url else None)
    if host:
        # Kernels call back the server that started them (voila/query, kernel release).
        env["VOILA_APP_IP"] = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host
    return env
