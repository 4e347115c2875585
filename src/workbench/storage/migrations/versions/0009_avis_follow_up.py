"""Avis, recommendations, official answers and follow-up milestones (droit de suite).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "council_avis",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("adopted_on", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_council_avis"),
        sa.UniqueConstraint("slug", name="uq_council_avis_slug"),
    )
    op.create_table(
        "avis_recommendation",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("avis_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("addressee", sa.Text, nullable=False),
        sa.Column("due_on", sa.Date),
        sa.Column("answered_on", sa.Date),
        sa.Column("position", sa.String(30)),
        sa.Column("answer", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_avis_recommendation"),
        sa.ForeignKeyConstraint(["avis_id"], ["council_avis.id"], ondelete="CASCADE",
                                name="fk_avis_recommendation_avis_id_council_avis"),
    )
    op.create_index("ix_avis_recommendation_avis_id", "avis_recommendation", ["avis_id"])
    op.create_table(
        "avis_milestone",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("recommendation_id", sa.Integer, nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_avis_milestone"),
        sa.ForeignKeyConstraint(
            ["recommendation_id"], ["avis_recommendation.id"], ondelete="CASCADE",
            name="fk_avis_milestone_recommendation_id_avis_recommendation"),
    )
    op.create_index("ix_avis_milestone_recommendation_id",
                    "avis_milestone", ["recommendation_id"])


def downgrade() -> None:
    op.drop_table("avis_milestone")
    op.drop_table("avis_recommendation")
    op.drop_table("council_avis")
