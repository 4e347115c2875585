"""Delphi studies: panel, rounds, answers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delphi_panelist",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("study", sa.String(64), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_delphi_panelist"),
        sa.UniqueConstraint("token_sha256", name="uq_delphi_panelist_token_sha256"),
    )
    op.create_index("ix_delphi_panelist_study", "delphi_panelist", ["study"])
    op.create_table(
        "delphi_round",
        sa.Column("study", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("study", "round", name="pk_delphi_round"),
    )
    op.create_table(
        "delphi_answer",
        sa.Column("study", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("panelist_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("justification", sa.Text, nullable=False),
        sa.Column("answered_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("study", "round", "panelist_id", "item_id",
                                name="pk_delphi_answer"),
        sa.ForeignKeyConstraint(["panelist_id"], ["delphi_panelist.id"], ondelete="CASCADE",
                                name="fk_delphi_answer_panelist_id_delphi_panelist"),
    )


def downgrade() -> None:
    op.drop_table("delphi_answer")
    op.drop_table("delphi_round")
    op.drop_table("delphi_panelist")
