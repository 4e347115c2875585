"""Kernel provisioner of the public app: participant kernels forked from ``forkserver``.

Registered as the ``workbench-fork`` entry point of ``jupyter_client.kernel_provisioners``;
the public app selects it with ``JUPYTER_DEFAULT_PROVISIONER_NAME``. The fork server is
started with the first kernel, as a child of the Voilà server, and leaves with it. Any
command it cannot fork (another kernel) starts as an ordinary process.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

__all__ = ["ForkProvisioner", "ForkedProcess"]

_server: dict[str, Any] = {}
_starting = threading.Lock()
_sized: set[int] = set()


class ForkedProcess:
    """The part of ``Popen`` the local provisioner uses, for a kernel forked elsewhere.

    The fork server is the kernel's parent and reaps it; here a vanished pid means "ended".
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired([str(self.pid)], timeout or 0)
            time.sleep(0.05)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _socket_path() -> str | None:
    """The running fork server's socket, started on first use (None if it cannot start)."""
    with _starting:
        return _start_server()


def _start_server() -> str | None:
    process = _server.get("process")
    if process is not None and process.poll() is None:
        return _server["path"]
    path = str(Path(tempfile.mkdtemp(prefix="workbench-fork-")) / "kernels.sock")
    process = subprocess.Popen([sys.executable, "-m", "workbench.web.forkserver", path],
                               stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not os.path.exists(path):
        if process.poll() is not None or time.monotonic() > deadline:
            return None
        time.sleep(0.05)
    _server.update(process=process, path=path)
    return path


def _fork(argv: list[str], env: dict[str, str], cwd: str) -> int | None:
    path = _socket_path()
    if path is None:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(30)
        client.connect(path)
        with client.makefile("rwb") as stream:
            stream.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            stream.flush()
            return json.loads(stream.readline())["pid"]


def _allow_many_sockets(context: Any) -> None:
    """Let the server's ZeroMQ context hold the sockets of hundreds of kernels.

    Each kernel costs the Voilà server about five ZeroMQ sockets; the context's default cap
    (1,023) refused kernels past ~200 ("Too many open files"). The cap can only be raised
    before the context's first socket, i.e. before the first kernel: done here, at its launch.
    """
    import resource

    import zmq

    if id(context) in _sized:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    limit = 65536 if soft == resource.RLIM_INFINITY else soft
    context.set(zmq.MAX_SOCKETS, max(1024, min(limit // 2, 65536)))
    _sized.add(id(context))


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Launch ipykernel by forking the pre-imported server; anything else as usual."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        context = getattr(self.parent, "context", None)
        if context is not None:
            _allow_many_sockets(context)
        return await super().pre_launch(**kwargs)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        env = {key: str(value) for key, value in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            pid = await asyncio.get_running_loop().run_in_executor(None, _fork, cmd, env, cwd)
        except (OSError, ValueError, KeyError):
            pid = None
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)
        self.pid = pid
        self.pgid = pid  # the child called setsid(): signals reach its own subprocesses too
        self.cwd = cwd
        return self.connection_info
