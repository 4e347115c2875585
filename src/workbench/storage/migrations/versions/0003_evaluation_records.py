"""Evaluation findings and recommendations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_finding",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("evaluation", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_evaluation_finding"),
    )
    op.create_index("ix_evaluation_finding_evaluation", "evaluation_finding", ["evaluation"])
    op.create_table(
        "evaluation_recommendation",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("evaluation", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("addressee", sa.Text, nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_evaluation_recommendation"),
    )
    op.create_index("ix_evaluation_recommendation_evaluation", "evaluation_recommendation",
                    ["evaluation"])


def downgrade() -> None:
    op.drop_table("evaluation_recommendation")
    op.drop_table("evaluation_finding")
