"""The reverse proxy of ``deploy/haproxy/haproxy.cfg``, started on this machine.

The deployment's HAProxy configuration reads every address from its environment; this
module builds that environment and the command line, so that the end-to-end tests and the
room benchmark run the very file the IT installs (docs/deploy.md).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from workbench.settings import project_home

__all__ = ["LocalProxy", "haproxy_binary", "self_signed_pem"]


def haproxy_binary() -> str:
    """Debian's haproxy (``apt-get install haproxy``)."""
    return shutil.which("haproxy") or "/usr/sbin/haproxy"


def self_signed_pem(folder: Path, host: str = "127.0.0.1") -> Path:
    """A throw-away certificate and key in one PEM file, as HAProxy wants them (tests only)."""
    key, cert, pem = folder / "key.pem", folder / "cert.pem", folder / "workbench.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={host}", "-addext", f"subjectAltName=IP:{host}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    return pem


@dataclass(frozen=True)
class LocalProxy:
    """``deploy/haproxy/haproxy.cfg`` on loopback ports, in front of local instances."""

    https_port: int
    http_port: int
    public: tuple[str, ...]  # host:port of each public instance (the config names two)
    staff: str
    pem: Path
    public_host: str = "127.0.0.1"
    staff_host: str = "localhost"

    @property
    def config(self) -> Path:
        return project_home() / "deploy" / "haproxy" / "haproxy.cfg"

    @property
    def url(self) -> str:
        return f"https://{self.public_host}:{self.https_port}"

    def environment(self) -> dict[str, str]:
        env = {
            "WORKBENCH_PUBLIC_HOST": self.public_host,
            "WORKBENCH_STAFF_HOST": self.staff_host,
            "WORKBENCH_TLS_PEM": str(self.pem),
            "WORKBENCH_HTTPS_BIND": f"127.0.0.1:{self.https_port}",
            "WORKBENCH_HTTP_BIND": f"127.0.0.1:{self.http_port}",
            "WORKBENCH_STAFF": self.staff,
            "WORKBENCH_HAPROXY_ERRORS": str(self.config.parent / "errors"),
        }
        env.update({f"WORKBENCH_PUBLIC_{i}": address
                    for i, address in enumerate(self.public, start=1)})
        return env

    def command(self) -> list[str]:
        """HAProxy in the foreground (``-db``), checking the configuration first."""
        return [haproxy_binary(), "-db", "-f", str(self.config)]
