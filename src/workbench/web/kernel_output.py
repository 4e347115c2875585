"""What a participant kernel tells its page: never Python's logs nor tracebacks.

ipykernel sends whatever the kernel writes to ``sys.stderr`` to every page connected to it,
and ``showtraceback`` sends tracebacks as ``error`` messages. Anyone can open a public page
and send its kernel hostile messages (an unknown comm target, a widget model that does not
exist, values a handler chokes on): the page then received tracebacks with the server's
paths. In the servers' kernels, logging and tracebacks go to the process's own standard
error, i.e. the server's log, which staff read; the page gets nothing.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

__all__ = ["keep_errors_in_the_server_log"]


def keep_errors_in_the_server_log(shell: Any) -> None:
    """Route logging and ``shell``'s tracebacks to the real standard error (the server log)."""
    server_log = sys.__stderr__
    handler = logging.StreamHandler(server_log)
    handler.setFormatter(logging.Formatter("[kernel] %(levelname)s | %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "stream", None) is not server_log]:
        root.removeHandler(old)
    root.addHandler(handler)
    logging.lastResort = handler

    def to_server_log(etype: Any, evalue: Any, stb: list[str]) -> None:
        print("\n".join(stb), file=server_log, flush=True)

    shell._showtraceback = to_server_log
