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
    where = sa.text("ended_at IS NULL")
    op.create_index("consent_current", "consent_record", ["purpose", "subject_key"],
                    unique=True, sqlite_where=where, postgresql_where=where)
    _existing_members()
    _audit_triggers(old_enough=True)


def _existing_members() -> None:
    """Members registered before consents had records: with consent, a record of unknown text
    version dated from their registration; without consent, their e-mail and phone, which
    were kept silently, are erased (they are convened by post)."""
    from workbench.rgpd.keys import person_key

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, email, phone, consent, created_at "
                                "FROM council_member")).all()
    for row in rows:
        if not (row.email or row.phone):
            continue
        if not row.consent:
            bind.execute(sa.text("UPDATE council_member SET email = NULL, phone = NULL "
                                 "WHERE id = :id"), {"id": row.id})
            continue
        bind.execute(sa.text(
            "INSERT INTO consent_record (purpose, subject_key, member_id, text_version, "
            "given_at, source) VALUES ('conseil-coordonnees', :key, :id, 'inconnue', :given, "
            "'migration-0018')"), {
                "key": person_key(row.email or f"membre:{row.id}"), "id": row.id,
                "given": row.created_at})


def downgrade() -> None:
    _audit_triggers(old_enough=False)
    op.drop_index("consent_current", "consent_record")
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
