"""MICMAC scoring in workshops: studies, groups and their scores.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "micmac_study",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("variables_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_micmac_study"),
        sa.UniqueConstraint("slug", name="uq_micmac_study_slug"),
    )
    op.create_table(
        "micmac_group",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("rows_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_micmac_group"),
        sa.ForeignKeyConstraint(["study_id"], ["micmac_study.id"], ondelete="CASCADE",
                                name="fk_micmac_group_study_id_micmac_study"),
        sa.UniqueConstraint("code", name="uq_micmac_group_code"),
    )
    op.create_index("ix_micmac_group_study_id", "micmac_group", ["study_id"])
    op.create_table(
        "micmac_score",
        sa.Column("group_id", sa.Integer, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("value", sa.String(1), nullable=False),
        sa.Column("scored_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("group_id", "source", "target", name="pk_micmac_score"),
        sa.ForeignKeyConstraint(["group_id"], ["micmac_group.id"], ondelete="CASCADE",
                                name="fk_micmac_score_group_id_micmac_group"),
    )


def downgrade() -> None:
    op.drop_table("micmac_score")
    op.drop_table("micmac_group")
    op.drop_table("micmac_study")
