"""Council seat draws (audit records).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "council_draw",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("drawn_at", sa.DateTime, nullable=False),
        sa.Column("inputs_sha256", sa.String(64), nullable=False),
        sa.Column("algorithm", sa.String(20), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("panel_json", sa.Text, nullable=False),
        sa.Column("probabilities_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_council_draw"),
    )


def downgrade() -> None:
    op.drop_table("council_draw")
