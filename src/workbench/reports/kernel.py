"""The kernel manager of report runs: Unix sockets, not TCP ports.

jupyter_client picks five free TCP ports, then the kernel binds them: another process
starting a kernel at the same moment (a Voilà page, a second report run, a parallel test)
can take one in between, and the kernel dies before it starts ("Address already in use").
Over ``ipc`` transport the kernel's sockets are files, here under a name of its own in the
temporary folder (jupyter_client's default, ``kernel-ipc`` in the working folder, would be
shared by two kernels started there): nothing to race for.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

__all__ = ["ReportKernelManager"]


class ReportKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, over Unix sockets."""

    @default("transport")
    def _ipc(self) -> str:
        return "ipc"

    @default("ip")
    def _own_path(self) -> str:
        return os.path.join(tempfile.gettempdir(), f"workbench-kernel-{uuid.uuid4().hex}")
