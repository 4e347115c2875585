"""The servers' processes: they die with ``workbench serve``, and never move to another port.

``workbench serve`` starts the two Voilà servers; each starts a fork server, which forks the
participant kernels. Whatever ends ``serve`` (Ctrl+C, SIGTERM, SIGHUP, even SIGKILL), nothing
must keep answering on the printed ports:

- each Voilà server is started with ``PR_SET_PDEATHSIG`` (Linux): the kernel sends it SIGTERM
  when ``serve`` dies, and Voilà then shuts its kernels down;
- the fork server leaves when its parent does (``workbench.web.forkserver``), and each kernel
  when its parent, the fork server, does (ipykernel's parent poller).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import signal
import socket

__all__ = ["die_with_parent", "port_in_use"]

PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int = signal.SIGTERM):
    """A ``preexec_fn`` for ``Popen``: the child gets ``signum`` when its parent dies.

    Must be created in the parent (its pid is read there) and the ``Popen`` called from the
    main thread: the signal follows the *thread* that forked.
    """
    parent = os.getpid()
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: nobody will signal
            os.kill(os.getpid(), signum)

    return preexec


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port`` (so a server could not bind it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As Tornado binds (SO_REUSEADDR): a port in TIME_WAIT is free, a listening one not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False
