"""The deployment files are valid for the tools that read them, and agree with each other."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from workbench.web.proxy import LocalProxy, haproxy_binary, self_signed_pem

from .conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted(p for p in (DEPLOY / "systemd").glob("workbench*")
               if p.suffix in (".service", ".target", ".timer"))


def variables(config: str) -> set[str]:
    """The environment variables a configuration reads (comments aside)."""
    lines = [line for line in config.splitlines() if not line.lstrip().startswith("#")]
    return set(re.findall(r"\$\{(\w+)\}", "\n".join(lines)))


def test_the_proxy_configuration_is_valid_haproxy(tmp_path) -> None:
    proxy = LocalProxy(https_port=8443, http_port=8080, public=("127.0.0.1:8871", "127.0.0.1:8872"),
                       staff="127.0.0.1:8867", pem=tmp_path / "workbench.pem")
    self_signed_pem(tmp_path)  # a certificate is read at check time: any PEM pair will do
    checked = subprocess.run([haproxy_binary(), "-c", "-f", str(proxy.config)],
                             env={**os.environ, **proxy.environment()}, capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = proxy.config.read_text()
    # Every variable the configuration reads is one LocalProxy (and docs/deploy.md) sets.
    used = variables(text)
    assert used <= set(proxy.environment()), used - set(proxy.environment())
    documented = (ROOT / "docs" / "deploy.md").read_text()
    assert all(name in documented for name in used)
    for code in (502, 503, 504):
        page = (DEPLOY / "haproxy" / "errors" / f"{code}.http").read_bytes()
        assert page.startswith(f"HTTP/1.0 {code}".encode()) and b'lang="fr"' in page


def test_the_systemd_units_are_valid(tmp_path) -> None:
    assert {unit.name for unit in UNITS} == {
        "workbench-public@.service", "workbench-staff.service", "workbench.target",
        "workbench-backup.service", "workbench-backup.timer", "workbench-purge.service",
        "workbench-purge.timer"}
    workbench = Path(shutil.which("workbench") or ROOT / ".venv" / "bin" / "workbench")
    for unit in UNITS:  # the checkout stands for /opt/workbench
        text = unit.read_text().replace("/opt/workbench/.venv/bin/workbench", str(workbench))
        (tmp_path / unit.name).write_text(text.replace("/opt/workbench", str(ROOT)))
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no",
                              *[str(tmp_path / unit.name) for unit in UNITS]],
                             capture_output=True, text=True)
    problems = [line for line in (checked.stdout + checked.stderr).splitlines()
                if "workbench" in line]
    assert problems == []
    # Each command the units run is a real command of this version.
    for command in re.findall(r"^ExecStart=\S+/workbench (.+)$",
                              "\n".join(u.read_text() for u in UNITS), re.M):
        words = command.replace("%i", "1").split()
        path = list(itertools.takewhile(lambda w: not w.startswith("-"), words))
        helped = subprocess.run([str(workbench), *path, "--help"], capture_output=True)
        assert helped.returncode == 0, command
        options = {w for w in words if w.startswith("--")}
        assert options <= set(re.findall(r"--[a-z-]+", helped.stdout.decode())), command


def test_the_settings_file_names_only_settings_the_code_reads() -> None:
    example = (DEPLOY / "systemd" / "workbench.env.example").read_text()
    names = set(re.findall(r"^#?(WORKBENCH_\w+)=", example, re.M))
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "workbench").rglob("*.py"))
    assert names and all(f'"{name}"' in source for name in names), names


def test_the_compose_file_runs_the_same_commands_and_proxy_file() -> None:
    compose = yaml.safe_load((DEPLOY / "container" / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "migrate", "public1", "public2", "staff", "proxy"} <= set(services)
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["public2"]["command"][:2] == ["serve", "--public-only"]
    assert "../haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in (
        services["proxy"]["volumes"])
    proxy_env = services["proxy"]["environment"]
    config = (DEPLOY / "haproxy" / "haproxy.cfg").read_text()
    assert variables(config) <= set(proxy_env)
