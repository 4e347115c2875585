"""Council bodies, meetings and attendance.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "council_body",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_council_body"),
        sa.UniqueConstraint("name", name="uq_council_body_name"),
    )
    op.create_table(
        "council_meeting",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("body_id", sa.Integer, nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_council_meeting"),
        sa.ForeignKeyConstraint(["body_id"], ["council_body.id"], ondelete="CASCADE",
                                name="fk_council_meeting_body_id_council_body"),
    )
    op.create_index("ix_council_meeting_body_id", "council_meeting", ["body_id"])
    op.create_table(
        "council_attendance",
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.Column("member_id", sa.Integer, nullable=False),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "member_id", name="pk_council_attendance"),
        sa.ForeignKeyConstraint(["meeting_id"], ["council_meeting.id"], ondelete="CASCADE",
                                name="fk_council_attendance_meeting_id_council_meeting"),
        sa.ForeignKeyConstraint(["member_id"], ["council_member.id"], ondelete="CASCADE",
                                name="fk_council_attendance_member_id_council_member"),
    )


def downgrade() -> None:
    op.drop_table("council_attendance")
    op.drop_table("council_meeting")
    op.drop_table("council_body")
