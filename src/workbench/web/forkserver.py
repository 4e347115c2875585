"""A fork server for participant kernels: start-up paid once, not once per participant.

Voilà starts one kernel per page view. A fresh ``python -m ipykernel_launcher`` spends most of
its start-up importing (IPython, ipykernel, ipywidgets, SQLAlchemy, the form models): ~0.6 s of
CPU and ~60 MiB per kernel, which saturates two cores when a room scans the QR code at once.
This server imports all of that once, then forks one child per kernel; the child only binds
its sockets and runs. Memory pages of the imported modules are shared copy-on-write.

Protocol (Unix socket, one JSON line each way): ``{"argv", "env", "cwd"}`` → ``{"pid"}``.
Only the standard ipykernel command line is accepted; anything else is refused and the
provisioner (``workbench.web.provisioner``) falls back to an ordinary process.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import sys

__all__ = ["PRELOAD", "kernel_arguments", "serve"]

# What every participant kernel needs: the kernel itself and the questionnaire page's modules
# (never pandas/altair: the results page imports those after the fork, in its own kernel).
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm",
    "IPython.core.interactiveshell", "ipywidgets", "anywidget", "sqlalchemy.dialects.sqlite",
    "workbench.forms.page", "workbench.workshops.sessions", "workbench.web.release",
    "workbench.web.params", "workbench.web.kernel_output",
)


def kernel_arguments(argv: list[str]) -> list[str] | None:
    """The arguments after ``python -m ipykernel_launcher``, or None for any other command."""
    if len(argv) >= 3 and argv[1:3] == ["-m", "ipykernel_launcher"]:
        return argv[3:]
    return None


def _reap(_signum: int, _frame: object) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _run_kernel(arguments: list[str], env: dict[str, str], cwd: str) -> None:
    """In the forked child: become the kernel (never returns)."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the server's clean-up is not the kernel's
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()
        random.seed()
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.argv = ["ipykernel_launcher", *arguments]
        from ipykernel import kernelapp

        # As jupyter_client's launcher does with JPY_PARENT_PID (a trait default read at
        # import, i.e. in this server): the kernel leaves when its parent, this server, does.
        sys.argv.append(f"--IPKernelApp.parent_handle={os.getppid()}")
        # What the process writes to its file descriptors 1 and 2 (C libraries, and Python's
        # logs and tracebacks, see workbench.web.kernel_output) goes to the server's log, not
        # to the page: ipykernel would forward it to every page connected to the kernel.
        sys.argv.append("--IPKernelApp.capture_fd_output=False")
        app = kernelapp.IPKernelApp.instance()
        app.initialize()
        # ipywidgets registers its comm targets at import only when a kernel is running:
        # imported here before any kernel existed, it must be told now.
        import ipywidgets

        ipywidgets.register_comm_target()
        from workbench.web.kernel_output import keep_errors_in_the_server_log

        keep_errors_in_the_server_log(app.shell)
        app.start()
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _answer(connection: socket.socket) -> None:
    with connection, connection.makefile("rwb") as stream:
        request = json.loads(stream.readline())
        arguments = kernel_arguments(request["argv"])
        if arguments is None:
            stream.write(b'{"pid": null}\n')
            return
        pid = os.fork()
        if pid == 0:
            _run_kernel(arguments, request["env"], request["cwd"])
        stream.write(json.dumps({"pid": pid}).encode() + b"\n")


def serve(path: str) -> None:
    """Import the kernel's modules, then fork a kernel for each request on ``path``."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    if os.environ.get("WORKBENCH_DATABASE_URL", "").startswith("postgresql"):
        importlib.import_module("sqlalchemy.dialects.postgresql.psycopg")
    signal.signal(signal.SIGCHLD, _reap)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    os.rename(path + ".tmp", path)  # appears only once the modules are imported
    listener.listen(256)
    listener.settimeout(2)
    parent = os.getppid()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))  # to clean up below
    try:
        # No threads here: a fork copies only the calling thread. Leave with the Voilà server.
        while os.getppid() == parent:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(10)
            try:
                _answer(connection)
            except (OSError, ValueError, KeyError):
                continue
    finally:  # the socket and its private folder go with the server
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(path)
        with contextlib.suppress(OSError):
            os.rmdir(os.path.dirname(path))


if __name__ == "__main__":
    serve(sys.argv[1])
