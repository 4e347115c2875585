"""``workbench serve`` as an administrator stops it: nothing left running, no port taken."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.demo.seed import DEMO_SLUG, seed_demo
from workbench.storage import get_engine
from workbench.storage.migrate import upgrade
from workbench.web.urls import participant_url

from .apps import free_port, http_status
from .conftest import sqlite_url
from .test_e2e_forkserver import descendants

WORKBENCH = str(Path(sys.executable).parent / "workbench")

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def start_serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, list[int], Path]:
    url = sqlite_url(tmp_path)
    engine = get_engine(url)
    upgrade(engine)
    seed_demo(0, engine)
    ports = [free_port(), free_port()]
    env = {**os.environ, "WORKBENCH_DATABASE_URL": url}
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [WORKBENCH, "serve", "--port", str(ports[0]),
         "--staff-port", str(ports[1]), *args],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    return process, ports, log


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return True


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_stopping_serve_stops_every_server_and_kernel(tmp_path, signum) -> None:
    process, ports, log = start_serve(tmp_path)
    tree: dict[int, tuple[int, str]] = {}
    try:
        assert wait_until(lambda: all(map(listening, ports)), 60), log.read_text()
        # A participant page: its kernel runs, forked by the public server's fork server.
        url = participant_url(f"http://127.0.0.1:{ports[0]}", DEMO_SLUG)
        assert http_status(url) == 200
        tree = descendants(process.pid)
        assert any("ipykernel" in line or "forkserver" in line for _, line in tree.values())
        process.send_signal(signum)
        process.wait(timeout=60)
        assert wait_until(lambda: not any(map(alive, tree)), 30), [
            line[:90] for pid, (_, line) in tree.items() if alive(pid)]
        assert not any(map(listening, ports))
        sockets = [line.split()[-1] for _, line in tree.values() if "forkserver" in line]
        assert sockets and not any(Path(s).parent.exists() for s in sockets)
    finally:  # whatever failed, leave no server behind
        for pid in [process.pid, *tree, *(descendants(process.pid) if alive(process.pid) else ())]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_busy_port_is_an_error_not_another_port(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        url = sqlite_url(tmp_path)
        upgrade(get_engine(url))
        result = subprocess.run(
            [WORKBENCH, "serve", "--port", str(busy),
             "--staff-port", str(free_port())], capture_output=True, text=True, timeout=60,
            env={**os.environ, "WORKBENCH_DATABASE_URL": url, "LANG": "fr_FR.UTF-8"})
    assert result.returncode == 1
    assert f"Le port {busy} est déjà utilisé" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""  # nothing printed (no links, no token) before the refusal


def test_one_port_for_both_apps_is_refused_in_french(tmp_path) -> None:
    url = sqlite_url(tmp_path)
    upgrade(get_engine(url))
    port = str(free_port())
    result = subprocess.run([WORKBENCH, "serve", "--port", port, "--staff-port", port],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "WORKBENCH_DATABASE_URL": url})
    assert result.returncode == 1 and "deux ports différents" in result.stderr
