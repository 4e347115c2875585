"""Alembic environment: run migrations on the connection handed over by ``migrate.py``."""

from alembic import context

from workbench.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
