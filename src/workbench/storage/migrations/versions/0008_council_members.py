"""Members of the citizen council.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "council_member",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("phone", sa.Text),
        sa.Column("commune", sa.String(5)),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("age_band", sa.String(20), nullable=False),
        sa.Column("college", sa.String(64), nullable=False),
        sa.Column("community_councillor", sa.Boolean, nullable=False),
        sa.Column("entry_date", sa.Date, nullable=False),
        sa.Column("exit_date", sa.Date),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("retention_until", sa.Date),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_council_member"),
    )


def downgrade() -> None:
    op.drop_table("council_member")
