"""Engines and the two transaction shapes: reads, and writes that start ``BEGIN IMMEDIATE``.

Many Voilà kernels are separate processes writing to the same SQLite file at once: WAL lets
readers go on during a write, ``busy_timeout`` makes writers queue, and starting every write
transaction with ``BEGIN IMMEDIATE`` avoids the lock upgrade that fails with "database is
locked" under contention.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from workbench.settings import database_url

__all__ = ["get_engine", "read_connection", "write_transaction"]

BUSY_TIMEOUT_MS = 60_000


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the configured database), one per URL and process."""
    return _engine_for(url or database_url())


@cache
def _engine_for(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if os.environ.get("WORKBENCH_DB_POOL") == "none":
            # One process per participant page: a pool in each would hold hundreds of idle
            # server connections (PostgreSQL refuses past max_connections, 100 by default).
            return create_engine(url, poolclass=NullPool)
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred and late).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # FULL: a commit is on disk (the WAL synced) before a receipt is shown. NORMAL could lose
    # the last answers at a power cut, after their receipts (cost: docs/benchmarks.md).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def write_transaction(engine: Engine | None = None) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back whole on any error."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


@contextmanager
def read_connection(engine: Engine | None = None) -> Iterator[Connection]:
    """A connection for reads (a deferred transaction, rolled back at the end)."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        yield conn
