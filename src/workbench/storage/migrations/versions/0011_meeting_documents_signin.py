"""Council meetings: documents, the sign-in code of the room, attendance not yet marked.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("council_meeting") as batch:
        batch.add_column(sa.Column("documents", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("signin_code", sa.String(32)))
    # Invited members not yet marked (a planned meeting, sign-in under way): NULL.
    with op.batch_alter_table("council_attendance") as batch:
        batch.alter_column("present", existing_type=sa.Boolean, nullable=True)


def downgrade() -> None:
    op.execute("UPDATE council_attendance SET present = FALSE WHERE present IS NULL")
    with op.batch_alter_table("council_attendance") as batch:
        batch.alter_column("present", existing_type=sa.Boolean, nullable=False)
    with op.batch_alter_table("council_meeting") as batch:
        batch.drop_column("signin_code")
        batch.drop_column("documents")
