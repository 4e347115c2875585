"""Associations, subsidy requests and the allocation committee's scores.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(12, 2, asdecimal=False)


def upgrade() -> None:
    op.create_table(
        "association",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("rna", sa.String(10)),
        sa.Column("id_ex", sa.String(20)),
        sa.Column("siret", sa.String(14)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("short_title", sa.Text),
        sa.Column("object", sa.Text),
        sa.Column("waldec", sa.String(6)),
        sa.Column("waldec2", sa.String(6)),
        sa.Column("commune", sa.String(5)),
        sa.Column("postcode", sa.String(5)),
        sa.Column("address", sa.Text),
        sa.Column("created_on", sa.Date),
        sa.Column("published_on", sa.Date),
        sa.Column("dissolved_on", sa.Date),
        sa.Column("position", sa.String(1), nullable=False),
        sa.Column("rna_updated", sa.String(32)),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_association"),
        sa.UniqueConstraint("rna", name="uq_association_rna"),
    )
    op.create_index("ix_association_commune", "association", ["commune"])
    op.create_table(
        "subsidy_request",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("association_id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("renewal", sa.Boolean, nullable=False),
        sa.Column("multi_year", sa.Boolean, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("objectives", sa.Text, nullable=False),
        sa.Column("public", sa.Text, nullable=False),
        sa.Column("start_on", sa.Date),
        sa.Column("end_on", sa.Date),
        sa.Column("budget_total", MONEY),
        sa.Column("amount_requested", MONEY, nullable=False),
        sa.Column("other_funders", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
        sa.Column("edition", sa.String(64)),
        sa.Column("amount_proposed", MONEY),
        sa.Column("amount_voted", MONEY),
        sa.Column("decision_ref", sa.Text),
        sa.Column("decision_on", sa.Date),
        sa.Column("convention_on", sa.Date),
        sa.Column("paid_on", sa.Date),
        sa.Column("report_received_on", sa.Date),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subsidy_request"),
        sa.UniqueConstraint("reference", name="uq_subsidy_request_reference"),
        sa.ForeignKeyConstraint(["association_id"], ["association.id"],
                                name="fk_subsidy_request_association_id_association"),
    )
    op.create_index("ix_subsidy_request_association_id", "subsidy_request", ["association_id"])
    op.create_index("ix_subsidy_request_year", "subsidy_request", ["year"])
    for name, extra in (("committee_score", [sa.Column("criterion", sa.String(64),
                                                       nullable=False),
                                             sa.Column("score", sa.Integer, nullable=False)]),
                        ("committee_review", [sa.Column("comment", sa.Text, nullable=False),
                                              sa.Column("completed_at", sa.DateTime)])):
        key = ["edition", "request_id", "assessor"] + (
            ["criterion"] if name == "committee_score" else [])
        op.create_table(
            name,
            sa.Column("edition", sa.String(64), nullable=False),
            sa.Column("request_id", sa.Integer, nullable=False),
            sa.Column("assessor", sa.String(80), nullable=False),
            *extra,
            sa.PrimaryKeyConstraint(*key, name=f"pk_{name}"),
            sa.ForeignKeyConstraint(["request_id"], ["subsidy_request.id"], ondelete="CASCADE",
                                    name=f"fk_{name}_request_id_subsidy_request"),
        )


def downgrade() -> None:
    op.drop_table("committee_review")
    op.drop_table("committee_score")
    op.drop_table("subsidy_request")
    op.drop_table("association")
