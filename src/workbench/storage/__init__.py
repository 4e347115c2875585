"""Storage: the schema, the migrations and every query (SQLAlchemy Core).

SQLite by default (WAL, foreign keys, busy timeout, ``BEGIN IMMEDIATE`` for writes);
PostgreSQL with ``WORKBENCH_DATABASE_URL=postgresql+psycopg://…``.
"""

from workbench.storage.engine import get_engine, read_connection, write_transaction
from workbench.storage.errors import StorageError

__all__ = ["StorageError", "get_engine", "read_connection", "write_transaction"]
