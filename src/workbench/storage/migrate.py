"""Applying and checking migrations (Alembic, driven from code: no alembic.ini)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from workbench.storage.engine import get_engine
from workbench.storage.errors import DatabaseUnavailable

__all__ = ["SchemaStatus", "head_revision", "schema_status", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database's schema stands against the code's migrations."""

    url: str
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine | None = None) -> SchemaStatus:
    """Bring the database to the latest revision (idempotent)."""
    engine = engine or get_engine()
    config = _config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except OperationalError as error:
        raise DatabaseUnavailable(_safe_url(engine), str(error.orig)) from error
    return schema_status(engine)


def head_revision() -> str:
    """The revision this code expects (the last migration)."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def schema_status(engine: Engine | None = None) -> SchemaStatus:
    """The current and expected revisions."""
    engine = engine or get_engine()
    head = head_revision()
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as error:
        raise DatabaseUnavailable(_safe_url(engine), str(error.orig)) from error
    return SchemaStatus(_safe_url(engine), current, head)


def _safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
