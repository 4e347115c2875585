"""Writes that stay right when two transactions run at once, on SQLite and PostgreSQL.

Updating then inserting (or reading then inserting) races on PostgreSQL: two transactions
both find no row and both insert, and the second fails on the unique key. One
``INSERT … ON CONFLICT`` statement lets the database settle it. Where a number is read then
used (the next project number), ``lock`` serialises the writers on a parent row (SQLite's
``BEGIN IMMEDIATE`` already does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import ColumnElement, Connection, Row, Table, select
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["insert_new", "lock", "upsert"]


def _insert(conn: Connection, table: Table, values: Mapping[str, object]):
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).values(**values)


def upsert(conn: Connection, table: Table, values: Mapping[str, object],
           keys: Iterable[str], update: Iterable[str] | None = None) -> None:
    """Insert ``values``, or where a row has the same ``keys`` (a unique key or the primary
    key), set its ``update`` columns (default: every column not in ``keys``)."""
    keys = list(keys)
    update = list(update) if update is not None else [c for c in values if c not in keys]
    statement = _insert(conn, table, values)
    conn.execute(statement.on_conflict_do_update(
        index_elements=keys, set_={c: statement.excluded[c] for c in update}))


def insert_new(conn: Connection, table: Table, values: Mapping[str, object],
               keys: Iterable[str]) -> Row | None:
    """Insert ``values`` unless a row has the same ``keys``: the new row's primary key, or
    None if there was one already."""
    statement = (_insert(conn, table, values).on_conflict_do_nothing(index_elements=list(keys))
                 .returning(*table.primary_key.columns))
    return conn.execute(statement).first()  # (rowcount is -1 with RETURNING)


def lock(conn: Connection, table: Table, *where: ColumnElement[bool]) -> None:
    """Hold the matching rows until the transaction ends (``SELECT … FOR UPDATE``; SQLite
    write transactions are serialised already)."""
    conn.execute(select(*table.primary_key.columns).where(*where).with_for_update())
