"""Live workshop sessions: released questions, presence, responses tied to a session.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_session",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("form_version_id", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("paced", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("frozen", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("opened_at", sa.DateTime),
        sa.Column("closed_at", sa.DateTime),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_session"),
        sa.ForeignKeyConstraint(["form_version_id"], ["form_version.id"],
                                name="fk_workshop_session_form_version_id_form_version"),
        sa.UniqueConstraint("code", name="uq_workshop_session_code"),
    )
    op.create_table(
        "session_release",
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("released_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("session_id", "question_id", name="pk_session_release"),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_session.id"], ondelete="CASCADE",
                                name="fk_session_release_session_id_workshop_session"),
    )
    op.create_table(
        "session_presence",
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("presence_id", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("session_id", "presence_id", name="pk_session_presence"),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_session.id"], ondelete="CASCADE",
                                name="fk_session_presence_session_id_workshop_session"),
    )
    with op.batch_alter_table("response") as batch:
        batch.add_column(sa.Column("session_id", sa.Integer))
        batch.create_foreign_key("fk_response_session_id_workshop_session", "workshop_session",
                                 ["session_id"], ["id"])
        batch.create_index("ix_response_session_id", ["session_id"])


def downgrade() -> None:
    with op.batch_alter_table("response") as batch:
        batch.drop_index("ix_response_session_id")
        batch.drop_constraint("fk_response_session_id_workshop_session", type_="foreignkey")
        batch.drop_column("session_id")
    for table in ("session_presence", "session_release", "workshop_session"):
        op.drop_table(table)
