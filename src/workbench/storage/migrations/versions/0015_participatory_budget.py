"""Participatory budget: editions, projects, proposers' contacts, secret ballots, voter roll,
single-use voting codes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(12, 2, asdecimal=False)


def upgrade() -> None:
    op.create_table(
        "pb_edition",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("budget", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("proposals_open", sa.Date),
        sa.Column("proposals_close", sa.Date),
        sa.Column("vote_open", sa.Date),
        sa.Column("vote_close", sa.Date),
        sa.Column("ballot_kind", sa.String(12), nullable=False),
        sa.Column("max_projects", sa.Integer),
        sa.Column("max_cost", MONEY),
        sa.Column("points", sa.Integer),
        sa.Column("max_points_per_project", sa.Integer),
        sa.Column("eligibility", sa.String(12), nullable=False),
        sa.Column("min_age", sa.Integer),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("meta_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("slug", name=op.f("uq_pb_edition_slug")),
    )
    op.create_table(
        "pb_project",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition_id", sa.Integer,
                  sa.ForeignKey("pb_edition.id", ondelete="CASCADE",
                                name=op.f("fk_pb_project_edition_id_pb_edition")),
                  nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("commune", sa.String(5)),
        sa.Column("category", sa.String(40)),
        sa.Column("proposed_cost", MONEY),
        sa.Column("cost", MONEY),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("merged_into", sa.Integer,
                  sa.ForeignKey("pb_project.id",
                                name=op.f("fk_pb_project_merged_into_pb_project"))),
        sa.Column("refusal_category", sa.String(40)),
        sa.Column("refusal_text", sa.Text),
        sa.Column("service", sa.Text),
        sa.Column("selected", sa.Boolean),
        sa.Column("extra_json", sa.Text, nullable=False),
        sa.Column("created_on", sa.Date),
        sa.UniqueConstraint("edition_id", "code", name=op.f("uq_pb_project_edition_id")),
    )
    op.create_index(op.f("ix_pb_project_edition_id"), "pb_project", ["edition_id"])
    op.create_table(
        "pb_proposer",
        sa.Column("project_id", sa.Integer,
                  sa.ForeignKey("pb_project.id", ondelete="CASCADE",
                                name=op.f("fk_pb_proposer_project_id_pb_project")),
                  primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("phone", sa.Text),
        sa.Column("collected_on", sa.Date, nullable=False),
    )
    op.create_table(
        "pb_ballot",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition_id", sa.Integer,
                  sa.ForeignKey("pb_edition.id", ondelete="CASCADE",
                                name=op.f("fk_pb_ballot_edition_id_pb_edition")),
                  nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("voted_on", sa.Date),
        sa.Column("voting_method", sa.String(12), nullable=False),
        sa.Column("extra_json", sa.Text, nullable=False),
        sa.UniqueConstraint("edition_id", "code", name=op.f("uq_pb_ballot_edition_id")),
    )
    op.create_index(op.f("ix_pb_ballot_edition_id"), "pb_ballot", ["edition_id"])
    op.create_table(
        "pb_ballot_choice",
        sa.Column("ballot_id", sa.Integer,
                  sa.ForeignKey("pb_ballot.id", ondelete="CASCADE",
                                name=op.f("fk_pb_ballot_choice_ballot_id_pb_ballot")),
                  primary_key=True),
        sa.Column("project_id", sa.Integer,
                  sa.ForeignKey("pb_project.id", ondelete="CASCADE",
                                name=op.f("fk_pb_ballot_choice_project_id_pb_project")),
                  primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
    )
    op.create_table(
        "pb_voter_roll",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition_id", sa.Integer,
                  sa.ForeignKey("pb_edition.id", ondelete="CASCADE",
                                name=op.f("fk_pb_voter_roll_edition_id_pb_edition")),
                  nullable=False),
        sa.Column("identity_key", sa.String(64), nullable=False),
        sa.Column("commune", sa.String(5)),
        sa.Column("voted_on", sa.Date, nullable=False),
        sa.Column("flagged", sa.Boolean, nullable=False),
    )
    op.create_index(op.f("ix_pb_voter_roll_edition_id"), "pb_voter_roll", ["edition_id"])
    op.create_index(op.f("ix_pb_voter_roll_identity_key"), "pb_voter_roll", ["identity_key"])
    op.create_table(
        "pb_token",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition_id", sa.Integer,
                  sa.ForeignKey("pb_edition.id", ondelete="CASCADE",
                                name=op.f("fk_pb_token_edition_id_pb_edition")),
                  nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("commune", sa.String(5)),
        sa.Column("used_on", sa.Date),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_pb_token_token_sha256")),
    )
    op.create_index(op.f("ix_pb_token_edition_id"), "pb_token", ["edition_id"])


def downgrade() -> None:
    for table in ("pb_token", "pb_voter_roll", "pb_ballot_choice", "pb_ballot", "pb_proposer",
                  "pb_project", "pb_edition"):
        op.drop_table(table)
