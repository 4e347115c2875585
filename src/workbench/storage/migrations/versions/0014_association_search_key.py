"""Associations: a folded search key (accents, case, ligatures, punctuation aside).

The key is computed in Python by ``workbench.associations.directory.fold`` (the function that
folds the words typed), so that search behaves the same on SQLite and PostgreSQL; the rows
that exist already get theirs here. Should ``fold`` change, a later migration computes the
keys again the same way.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


ASSOCIATION = sa.table("association", sa.column("id", sa.Integer), sa.column("title", sa.Text),
                       sa.column("short_title", sa.Text), sa.column("object", sa.Text),
                       sa.column("commune", sa.String), sa.column("search_key", sa.Text))


def upgrade() -> None:
    from workbench.associations.directory import row_search_key

    with op.batch_alter_table("association") as batch:
        batch.add_column(sa.Column("search_key", sa.Text))
    conn = op.get_bind()
    keys = [{"row_id": row["id"], "key": row_search_key(row)} for row in conn.execute(
        sa.select(ASSOCIATION.c.id, ASSOCIATION.c.title, ASSOCIATION.c.short_title,
                  ASSOCIATION.c.object, ASSOCIATION.c.commune)).mappings()]
    if keys:
        conn.execute(sa.update(ASSOCIATION).where(ASSOCIATION.c.id == sa.bindparam("row_id"))
                     .values(search_key=sa.bindparam("key")), keys)


def downgrade() -> None:
    with op.batch_alter_table("association") as batch:
        batch.drop_column("search_key")
