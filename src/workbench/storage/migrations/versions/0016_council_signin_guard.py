"""Meeting sign-in guard: when a member signed in by QR code, and every attempt (no address).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("council_attendance") as batch:
        batch.add_column(sa.Column("signed_in_at", sa.DateTime))
    op.create_table(
        "council_signin_attempt",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("council_meeting.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("attempted_at", sa.DateTime, nullable=False),
        sa.Column("recognised", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("council_signin_attempt")
    with op.batch_alter_table("council_attendance") as batch:
        batch.drop_column("signed_in_at")
