"""Consent records; the audit trail's entries may be deleted once past their 5 years.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

REFUSED = "audit_event is append-only"
YOUNG = "audit_event is append-only (an entry is kept 5 years)"


def upgrade() -> None:
    op.create_table(
        "consent_record",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("purpose", sa.String(64), nullable=False, index=True),
        sa.Column("subject_key", sa.String(16), nullable=False, index=True),
        sa.Column("member_id", sa.Integer,
                  sa.ForeignKey("council_member.id", ondelete="SET NULL"), index=True),
        sa.Column("email", sa.String(254)),
        sa.Column("name", sa.String(200)),
        sa.Column("text_version", sa.String(12), nullable=False),
        sa.Column("given_at", sa.DateTime, nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("ended_at", sa.DateTime),
        sa.Column("ended_how", sa.String(20)),
    )
    _audit_triggers(old_enough=True)


def downgrade() -> None:
    _audit_triggers(old_enough=False)
    op.drop_table("consent_record")


def _audit_triggers(old_enough: bool) -> None:
    """UPDATE is always refused; DELETE only of entries past 5 years when ``old_enough``
    (the retention purge), never otherwise."""
    if op.get_bind().dialect.name == "postgresql":
        delete_ok = ("IF TG_OP = 'DELETE' AND OLD.at < (now() AT TIME ZONE 'UTC') - "
                     "interval '5 years' THEN RETURN OLD; END IF;") if old_enough else ""
        op.execute(f"""
            CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN {delete_ok} RAISE EXCEPTION '{REFUSED}'; END $$ LANGUAGE plpgsql""")
        return
    op.execute("DROP TRIGGER audit_event_no_delete")
    young = " WHEN OLD.at >= datetime('now', '-5 years')" if old_enough else ""
    op.execute(f"""
        CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event{young}
        BEGIN SELECT RAISE(ABORT, '{YOUNG if old_enough else REFUSED}'); END""")
