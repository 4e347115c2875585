"""How many preheated participant kernels wait for a page ("salle prête : N places").

Each preheated kernel leaves a small file (its pid) in the runtime folder while it waits for
its request; the facilitator console counts the files whose process is alive. Both apps run
on the same machine, so no database write is needed on the participant path.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["mark_ready", "mark_taken", "ready_count", "runtime_dir"]


def runtime_dir() -> Path:
    """``WORKBENCH_RUNTIME_DIR``, else ``<project>/data/runtime/pool``."""
    folder = os.environ.get("WORKBENCH_RUNTIME_DIR")
    if folder:
        return Path(folder)
    from workbench.settings import project_home

    return project_home() / "data" / "runtime" / "pool"


def _mark() -> Path:
    return runtime_dir() / f"{os.getpid()}.ready"


def mark_ready() -> None:
    """This kernel waits for a participant."""
    try:
        runtime_dir().mkdir(parents=True, exist_ok=True)
        _mark().write_text(str(os.getpid()))
    except OSError:
        pass  # counting places is a convenience, never a reason to fail the page


def mark_taken() -> None:
    """This kernel now serves a participant."""
    _mark().unlink(missing_ok=True)


def ready_count() -> int:
    """Preheated kernels alive and waiting (stale marks of dead kernels are removed)."""
    folder = runtime_dir()
    count = 0
    for mark in folder.glob("*.ready") if folder.is_dir() else ():
        try:
            os.kill(int(mark.stem), 0)
        except (ValueError, ProcessLookupError):
            mark.unlink(missing_ok=True)
            continue
        except PermissionError:
            pass
        count += 1
    return count
