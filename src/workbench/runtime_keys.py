"""Secret keys drawn once per installation and kept in ``data/runtime/secrets/`` (git-ignored,
readable by their owner only), or given by an environment variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from workbench.settings import project_home

__all__ = ["runtime_key"]


def runtime_key(name: str, env: str) -> bytes:
    """The key ``$env``, else the one kept in ``data/runtime/secrets/<name>`` (drawn the first
    time: written whole under another name, then linked into place, so that two processes
    never read half a key and the first key written is the one kept). ``b""`` if too short."""
    if os.environ.get(env):
        return os.environ[env].encode()
    path = project_home() / "data" / "runtime" / "secrets" / name
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = Path(path).read_text().strip()
    return key.encode() if len(key) >= 32 else b""
