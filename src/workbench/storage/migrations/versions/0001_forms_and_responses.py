"""Forms, published versions, responses, answers, invitations.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_form"),
        sa.UniqueConstraint("slug", name="uq_form_slug"),
    )
    op.create_table(
        "form_version",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("form_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("spec_json", sa.Text, nullable=False),
        sa.Column("spec_sha256", sa.String(64), nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_form_version"),
        sa.ForeignKeyConstraint(["form_id"], ["form.id"], name="fk_form_version_form_id_form"),
        sa.UniqueConstraint("form_id", "version", name="uq_form_version_form_id_version"),
    )
    op.create_table(
        "response",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("form_version_id", sa.Integer, nullable=False),
        sa.Column("submission_id", sa.String(64), nullable=False),
        sa.Column("receipt", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("is_synthetic", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_response"),
        sa.ForeignKeyConstraint(
            ["form_version_id"], ["form_version.id"],
            name="fk_response_form_version_id_form_version",
        ),
        sa.UniqueConstraint("submission_id", name="uq_response_submission_id"),
        sa.UniqueConstraint("receipt", name="uq_response_receipt"),
    )
    op.create_index("ix_response_form_version_id", "response", ["form_version_id"])
    op.create_table(
        "answer",
        sa.Column("response_id", sa.Integer, nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("value_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("response_id", "question_id", name="pk_answer"),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name="fk_answer_response_id_response",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("form_id", sa.Integer, nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("recipient", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("used_on", sa.Date),
        sa.PrimaryKeyConstraint("id", name="pk_invitation"),
        sa.ForeignKeyConstraint(["form_id"], ["form.id"], name="fk_invitation_form_id_form"),
        sa.UniqueConstraint("token_sha256", name="uq_invitation_token_sha256"),
    )
    op.create_index("ix_invitation_form_id", "invitation", ["form_id"])
    op.create_table(
        "response_identity",
        sa.Column("response_id", sa.Integer, nullable=False),
        sa.Column("invitation_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("response_id", name="pk_response_identity"),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"],
            name="fk_response_identity_response_id_response", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"], ["invitation.id"],
            name="fk_response_identity_invitation_id_invitation",
        ),
        sa.UniqueConstraint("invitation_id", name="uq_response_identity_invitation_id"),
    )


def downgrade() -> None:
    for table in ("response_identity", "invitation", "answer", "response", "form_version",
                  "form"):
        op.drop_table(table)
