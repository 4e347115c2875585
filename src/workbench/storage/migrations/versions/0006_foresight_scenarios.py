"""Named scenarios of a morphological space.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "foresight_scenario",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("study", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("choices_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_foresight_scenario"),
        sa.UniqueConstraint("study", "name", name="uq_foresight_scenario_study"),
    )
    op.create_index("ix_foresight_scenario_study", "foresight_scenario", ["study"])


def downgrade() -> None:
    op.drop_table("foresight_scenario")
