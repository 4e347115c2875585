"""Council draws: the audit file (canonical inputs, versions, lottery) to re-run a draw.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("council_draw") as batch:
        batch.add_column(sa.Column("audit_json", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("council_draw") as batch:
        batch.drop_column("audit_json")
