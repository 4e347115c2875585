"""Publishing a spec file: a versioned copy in the database that answers will refer to."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from workbench.forms.loader import load_spec_file
from workbench.storage import get_engine, write_transaction
from workbench.storage.forms import PublishedVersion, publish_version

__all__ = ["publish_spec_file"]


def publish_spec_file(
    path: str | Path, engine: Engine | None = None
) -> tuple[PublishedVersion, bool]:
    """Validate and publish ``path``; an unchanged spec keeps its version (created=False)."""
    spec = load_spec_file(path)
    with write_transaction(engine or get_engine()) as conn:
        return publish_version(conn, spec.slug, spec.model_dump(mode="json", by_alias=True))
