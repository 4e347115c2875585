"""Starting the Voilà apps: the public one (participants, projected results) and the staff one.

Public: only ``notebooks/public/``, no overrides, no tracebacks. Staff: ``notebooks/staff/``
behind Jupyter server token authentication.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.settings import database_url, project_home
from workbench.web import room

__all__ = ["SECRET_VARIABLES", "SHARE_DIR", "public_app_command", "public_app_environment",
           "staff_app_command", "staff_app_environment", "staff_token"]

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
        # French sign-in and a logout that works on both apps, a throttle, a short session.
        "--Voila.identity_provider_class=workbench.web.staff_login.StaffIdentityProvider",
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
    """The Voilà command line for the staff app, which requires the staff token.

    The token is never on the command line (anyone on the machine reads those): the staff
    server reads it from ``JUPYTER_TOKEN`` in its own environment (``staff_app_environment``).
    """
    return [*_voila_command((root or project_home()) / "notebooks" / "staff", host, port,
                            module="workbench.web.voila_app"),
            "--WorkbenchVoila.home_page=False",
            "--Voila.auto_token=True"]  # i.e. the identity provider's: JUPYTER_TOKEN


MIN_TOKEN_LENGTH = 32
# Secrets of the staff side: never in the public server's environment, hence its kernels'.
SECRET_VARIABLES = ("WORKBENCH_STAFF_TOKEN", "JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")


def staff_token() -> tuple[str, bool]:
    """``WORKBENCH_STAFF_TOKEN``, else a new random token; and whether it was generated.

    A chosen token must be at least 32 characters, of at least 16 different ones (what
    ``secrets.token_urlsafe`` gives); a generated one has 43.
    """
    token = os.environ.get("WORKBENCH_STAFF_TOKEN", "").strip()
    if not token:
        return secrets.token_urlsafe(32), True
    if len(token) < MIN_TOKEN_LENGTH or len(set(token)) < 16:
        raise WorkbenchError(_(
            "WORKBENCH_STAFF_TOKEN is too easy to guess: it needs at least {n} characters, "
            "drawn at random (e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            "), or leave it empty and a token is generated at each start.").format(
                n=MIN_TOKEN_LENGTH))
    return token, False


def staff_app_environment(public: dict[str, str], token: str) -> dict[str, str]:
    """The staff server's environment: the public one plus its token."""
    return {**public, "JUPYTER_TOKEN": token}


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
    if public_url:
        env["WORKBENCH_PUBLIC_URL"] = public_url
    host = bind_host or (public_url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
                         if public_url else None)
    if host:
        # Kernels call back the server that started them (voila/query, kernel release).
        env["VOILA_APP_IP"] = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host
    return env
