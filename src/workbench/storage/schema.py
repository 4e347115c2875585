"""The database schema (SQLAlchemy Core). Alembic migrations build exactly this.

Anonymity by construction: ``response`` and ``answer`` hold no reference to ``invitation``.
The link exists only in ``response_identity``, written for forms in identified mode.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

__all__ = [
    "answer",
    "association",
    "audit_event",
    "avis_milestone",
    "avis_recommendation",
    "committee_review",
    "committee_score",
    "consent_record",
    "council_attendance",
    "council_avis",
    "council_body",
    "council_draw",
    "council_meeting",
    "council_member",
    "council_signin_attempt",
    "delphi_answer",
    "delphi_panelist",
    "delphi_round",
    "evaluation_finding",
    "evaluation_recommendation",
    "foresight_scenario",
    "form",
    "form_version",
    "invitation",
    "metadata",
    "micmac_group",
    "micmac_score",
    "micmac_study",
    "pb_ballot",
    "pb_ballot_choice",
    "pb_edition",
    "pb_project",
    "pb_proposer",
    "pb_token",
    "pb_voter_roll",
    "response",
    "response_identity",
    "session_presence",
    "session_release",
    "staff_account",
    "staff_password_link",
    "staff_role",
    "staff_session",
    "subsidy_request",
    "workshop_session",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

form = Table(
    "form",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

form_version = Table(
    "form_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_id", ForeignKey("form.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("spec_json", Text, nullable=False),
    Column("spec_sha256", String(64), nullable=False),
    Column("published_at", DateTime, nullable=False),
    UniqueConstraint("form_id", "version", name="uq_form_version_form_id_version"),
)

response = Table(
    "response",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_version_id", ForeignKey("form_version.id"), nullable=False, index=True),
    Column("submission_id", String(64), nullable=False, unique=True),
    Column("receipt", String(16), nullable=False, unique=True),
    Column("submitted_at", DateTime, nullable=False),
    Column("is_synthetic", Boolean, nullable=False, default=False),
    Column("session_id", ForeignKey("workshop_session.id"), index=True),
)

answer = Table(
    "answer",
    metadata,
    Column("response_id", ForeignKey("response.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("value_json", Text, nullable=False),
)

invitation = Table(
    "invitation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_id", ForeignKey("form.id"), nullable=False, index=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("recipient", Text),
    Column("created_at", DateTime, nullable=False),
    # A day, not a time: in anonymous mode a timestamp would let one match it to an answer.
    Column("used_on", Date),
)

response_identity = Table(
    "response_identity",
    metadata,
    Column("response_id", ForeignKey("response.id", ondelete="CASCADE"), primary_key=True),
    Column("invitation_id", ForeignKey("invitation.id"), nullable=False, unique=True),
)

workshop_session = Table(
    "workshop_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("form_version_id", ForeignKey("form_version.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("paced", Boolean, nullable=False),
    Column("status", String(10), nullable=False),
    Column("frozen", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("opened_at", DateTime),
    Column("closed_at", DateTime),
)

session_release = Table(
    "session_release",
    metadata,
    Column("session_id", ForeignKey("workshop_session.id", ondelete="CASCADE"),
           primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("released_at", DateTime, nullable=False),
)

# Who has a participant page open now (a random id per page, no link to any answer).
session_presence = Table(
    "session_presence",
    metadata,
    Column("session_id", ForeignKey("workshop_session.id", ondelete="CASCADE"),
           primary_key=True),
    Column("presence_id", String(32), primary_key=True),
    Column("last_seen", DateTime, nullable=False),
)

# Evaluations: what staff conclude (findings per evaluative question) and recommend.
evaluation_finding = Table(
    "evaluation_finding",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("evaluation", String(64), nullable=False, index=True),
    Column("question_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

evaluation_recommendation = Table(
    "evaluation_recommendation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("evaluation", String(64), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("addressee", Text, nullable=False),
    Column("priority", String(10), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# MICMAC scoring in workshops: a study's variables, groups assigned rows, scores per pair.
micmac_study = Table(
    "micmac_study",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("variables_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

micmac_group = Table(
    "micmac_group",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("study_id", ForeignKey("micmac_study.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("rows_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

micmac_score = Table(
    "micmac_score",
    metadata,
    Column("group_id", ForeignKey("micmac_group.id", ondelete="CASCADE"), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("target", String(64), primary_key=True),
    Column("value", String(1), nullable=False),
    Column("scored_at", DateTime, nullable=False),
)

# Delphi studies: a panel (personal links, stored hashed), rounds, answers per round.
delphi_panelist = Table(
    "delphi_panelist",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("study", String(64), nullable=False, index=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

delphi_round = Table(
    "delphi_round",
    metadata,
    Column("study", String(64), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("status", String(10), nullable=False),
    Column("opened_at", DateTime, nullable=False),
)

delphi_answer = Table(
    "delphi_answer",
    metadata,
    Column("study", String(64), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("panelist_id", ForeignKey("delphi_panelist.id", ondelete="CASCADE"),
           primary_key=True),
    Column("item_id", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
    Column("justification", Text, nullable=False, default=""),
    Column("answered_at", DateTime, nullable=False),
)

# Scenarios a group picked and named in a morphological space.
foresight_scenario = Table(
    "foresight_scenario",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("study", String(64), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("choices_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("study", "name"),
)

# Council seat draws, recorded so that anyone can re-run and verify them.
council_draw = Table(
    "council_draw",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("drawn_at", DateTime, nullable=False),
    Column("inputs_sha256", String(64), nullable=False),
    Column("algorithm", String(20), nullable=False),
    Column("seed", Integer, nullable=False),
    Column("seats", Integer, nullable=False),
    Column("panel_json", Text, nullable=False),
    Column("probabilities_json", Text, nullable=False),
    # the audit file (inputs, versions, lottery, result) to re-run the draw (migration 0013)
    Column("audit_json", Text),
)

# Members of the citizen council (personal data: staff pages and exports only).
council_member = Table(
    "council_member",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("email", Text),
    Column("phone", Text),
    Column("commune", String(5)),
    Column("sex", String(1), nullable=False),
    Column("age_band", String(20), nullable=False),
    Column("college", String(64), nullable=False),
    Column("community_councillor", Boolean, nullable=False, default=False),
    Column("entry_date", Date, nullable=False),
    Column("exit_date", Date),
    Column("consent", Boolean, nullable=False),
    Column("retention_until", Date),
    Column("created_at", DateTime, nullable=False),
)

# Avis of the council, their recommendations, official answers and follow-up milestones.
council_avis = Table(
    "council_avis",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("kind", String(20), nullable=False),  # saisine | auto-saisine
    Column("adopted_on", Date, nullable=False),
    Column("text", Text, nullable=False, default=""),
)

avis_recommendation = Table(
    "avis_recommendation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("avis_id", ForeignKey("council_avis.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("text", Text, nullable=False),
    Column("addressee", Text, nullable=False),
    Column("due_on", Date),
    Column("answered_on", Date),
    Column("position", String(30)),
    Column("answer", Text),
)

avis_milestone = Table(
    "avis_milestone",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recommendation_id", ForeignKey("avis_recommendation.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("on_date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("evidence", Text, nullable=False, default=""),
)

# Bodies of the council, their meetings and who attended.
council_body = Table(
    "council_body",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("kind", String(30), nullable=False),
)

council_meeting = Table(
    "council_meeting",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", ForeignKey("council_body.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("held_on", Date, nullable=False),
    Column("place", Text, nullable=False, default=""),
    Column("agenda", Text, nullable=False, default=""),
    Column("documents", Text, nullable=False, default="", server_default=""),  # a line each
    Column("signin_code", String(32)),  # shown in the room as a QR code, for members to sign
)

council_attendance = Table(
    "council_attendance",
    metadata,
    Column("meeting_id", ForeignKey("council_meeting.id", ondelete="CASCADE"),
           primary_key=True),
    Column("member_id", ForeignKey("council_member.id", ondelete="CASCADE"), primary_key=True),
    Column("present", Boolean),  # NULL: invited, not marked yet (absent once the day is over)
    Column("signed_in_at", DateTime),  # when the member signed in with the room's QR code
)

# An attempt to sign in by phone: when, and whether the address was an invited member's
# (the address itself is not kept).
council_signin_attempt = Table(
    "council_signin_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("council_meeting.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("attempted_at", DateTime, nullable=False),
    Column("recognised", Boolean, nullable=False),
)


def _association_search_key(context) -> str:
    """The folded search key of an association row being inserted (names, object, commune)."""
    from workbench.associations.directory import row_search_key  # lazy: it imports storage

    return row_search_key(context.get_current_parameters())


# Associations of the territory: the national register (RNA) and those entered by staff.
association = Table(
    "association",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rna", String(10), unique=True),  # W + 9 digits; None for those not in the RNA
    Column("id_ex", String(20)),
    Column("siret", String(14)),
    Column("title", Text, nullable=False),
    Column("short_title", Text),
    Column("object", Text),
    Column("waldec", String(6)),  # social object (WALDEC nomenclature)
    Column("waldec2", String(6)),
    Column("commune", String(5), index=True),
    Column("postcode", String(5)),
    Column("address", Text),  # registered office: staff pages only
    Column("created_on", Date),
    Column("published_on", Date),
    Column("dissolved_on", Date),
    Column("position", String(1), nullable=False, default="A"),  # A active, D dissolved, S deleted
    Column("rna_updated", String(32)),
    Column("source", String(12), nullable=False),  # rna | saisie | synthetique
    Column("imported_at", DateTime, nullable=False),
    # fold(title, short title, object, commune name): accent- and case-insensitive search,
    # the same on SQLite and PostgreSQL; set on insert, and by whoever updates those columns
    Column("search_key", Text, default=_association_search_key),
)

Money = Numeric(12, 2, asdecimal=False)

# Subsidy requests (CERFA n°12156 essentials) and what became of them.
subsidy_request = Table(
    "subsidy_request",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("association_id", ForeignKey("association.id"), nullable=False, index=True),
    Column("year", Integer, nullable=False, index=True),
    Column("service", String(40), nullable=False),
    Column("kind", String(20), nullable=False),  # fonctionnement | projet
    Column("renewal", Boolean, nullable=False),
    Column("multi_year", Boolean, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("objectives", Text, nullable=False, default=""),
    Column("public", Text, nullable=False, default=""),
    Column("start_on", Date),
    Column("end_on", Date),
    Column("budget_total", Money),
    Column("amount_requested", Money, nullable=False),
    Column("other_funders", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("documents", Text, nullable=False, default=""),  # received, one code per line
    Column("edition", String(64)),  # the allocation committee that examines it
    Column("amount_proposed", Money),
    Column("amount_voted", Money),
    Column("decision_ref", Text),
    Column("decision_on", Date),
    Column("convention_on", Date),
    Column("paid_on", Date),
    Column("report_received_on", Date),
    Column("updated_at", DateTime, nullable=False),
)

# Allocation committee: each assessor's score per criterion, and their review's state.
committee_score = Table(
    "committee_score",
    metadata,
    Column("edition", String(64), primary_key=True),
    Column("request_id", ForeignKey("subsidy_request.id", ondelete="CASCADE"),
           primary_key=True),
    Column("assessor", String(80), primary_key=True),
    Column("criterion", String(64), primary_key=True),
    Column("score", Integer, nullable=False),
)

committee_review = Table(
    "committee_review",
    metadata,
    Column("edition", String(64), primary_key=True),
    Column("request_id", ForeignKey("subsidy_request.id", ondelete="CASCADE"),
           primary_key=True),
    Column("assessor", String(80), primary_key=True),
    Column("comment", Text, nullable=False, default=""),
    Column("completed_at", DateTime),
)


# Participatory budget (budget participatif): one edition per year, its projects, the ballots.
# Ballot secrecy by construction: pb_ballot and pb_ballot_choice hold no reference to a person
# (no invitation, no roll entry) and no time finer than the day; the roll of those who voted
# (pb_voter_roll: keyed hash of name, birth year and commune in declared mode) has no
# reference to a ballot. The proposer's contact (pb_proposer) is never on a public page.
pb_edition = Table(
    "pb_edition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("budget", Money, nullable=False),
    Column("currency", String(3), nullable=False, default="EUR"),
    Column("proposals_open", Date),
    Column("proposals_close", Date),
    Column("vote_open", Date),
    Column("vote_close", Date),
    Column("ballot_kind", String(12), nullable=False, default="approval"),  # or cumulative
    Column("max_projects", Integer),  # approval: at most this many projects
    Column("max_cost", Money),  # approval: ticked projects cost at most this (knapsack)
    Column("points", Integer),  # cumulative: points to share
    Column("max_points_per_project", Integer),
    Column("eligibility", String(12), nullable=False, default="token"),  # or declared
    Column("min_age", Integer),
    Column("rule", String(40), nullable=False, default="equalshares/add1-comparison"),
    Column("source", String(12), nullable=False, default="saisie"),  # saisie|pabulib|synthetique
    Column("meta_json", Text, nullable=False, default="{}"),  # other pabulib META fields
    Column("created_at", DateTime, nullable=False),
)

pb_project = Table(
    "pb_project",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", ForeignKey("pb_edition.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("code", String(64), nullable=False),  # pabulib project_id
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("commune", String(5)),  # INSEE code; None: toute l'Agglomération
    Column("category", String(40)),
    Column("proposed_cost", Money),  # the proposer's estimate
    Column("cost", Money),  # the services' estimate, which replaces it once reviewed
    Column("status", String(16), nullable=False, default="proposee"),
    Column("merged_into", ForeignKey("pb_project.id")),
    Column("refusal_category", String(40)),
    Column("refusal_text", Text),
    Column("service", Text),  # reviewing service
    Column("selected", Boolean),  # official winner (from a pabulib file's selected column)
    Column("extra_json", Text, nullable=False, default="{}"),  # other pabulib columns
    Column("created_on", Date),
    UniqueConstraint("edition_id", "code"),
)

pb_proposer = Table(
    "pb_proposer",
    metadata,
    Column("project_id", ForeignKey("pb_project.id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, nullable=False),
    Column("email", Text),
    Column("phone", Text),
    Column("collected_on", Date, nullable=False),
)

pb_ballot = Table(
    "pb_ballot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", ForeignKey("pb_edition.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("code", String(64), nullable=False),  # pabulib voter_id: a number, never a person
    Column("voted_on", Date),  # the day, never the time
    Column("voting_method", String(12), nullable=False, default="internet"),  # or paper
    Column("extra_json", Text, nullable=False, default="{}"),  # other pabulib vote columns
    UniqueConstraint("edition_id", "code"),
)

pb_ballot_choice = Table(
    "pb_ballot_choice",
    metadata,
    Column("ballot_id", ForeignKey("pb_ballot.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("pb_project.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),  # order on the ballot (pabulib keeps it)
    Column("points", Integer, nullable=False, default=1),
)

pb_voter_roll = Table(
    "pb_voter_roll",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", ForeignKey("pb_edition.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("identity_key", String(64), nullable=False, index=True),  # keyed hash, never clear
    Column("commune", String(5)),
    Column("voted_on", Date, nullable=False),
    Column("flagged", Boolean, nullable=False, default=False),  # possible duplicate: review
)

pb_token = Table(
    "pb_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", ForeignKey("pb_edition.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("commune", String(5)),  # where the letter went: turnout per commune, no ballot link
    Column("used_on", Date),  # the day it was used, never the time; no link to the ballot
    Column("created_at", DateTime, nullable=False),
)


# Staff accounts (workbench.staff): who may do what on the staff app, and who did what.
staff_account = Table(
    "staff_account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),  # lower case
    Column("name", String(200), nullable=False),
    Column("password_hash", Text),  # argon2id; none until the person chooses one
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    Column("disabled_at", DateTime),
    Column("failed_signins", Integer, nullable=False, default=0),  # since the last success
    Column("locked_until", DateTime),
)

staff_role = Table(
    "staff_role",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("staff_account.id"), nullable=False, index=True),
    Column("role", String(40), nullable=False),
    UniqueConstraint("account_id", "role"),
)

staff_session = Table(
    "staff_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),  # the cookie, hashed
    Column("account_id", ForeignKey("staff_account.id"), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
)

staff_password_link = Table(
    "staff_password_link",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("account_id", ForeignKey("staff_account.id"), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
)

# Append-only: database triggers refuse UPDATE, and DELETE of an entry younger than its
# 5 years' retention (migrations 0017, 0018).
audit_event = Table(
    "audit_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("account_id", ForeignKey("staff_account.id"), index=True),  # none: command line
    Column("actor", String(254), nullable=False),  # e-mail, or the command line's user
    Column("action", String(60), nullable=False, index=True),
    Column("object_type", String(60), nullable=False),
    Column("object_id", String(120), nullable=False),
    Column("summary", Text, nullable=False),  # French
    Column("before", Text),  # JSON
    Column("after", Text),  # JSON
)

# Consents (RGPD art. 7): who agreed to which text version, when, from where, and how it
# ended (withdrawn, expired, erased). At the end the e-mail and name are erased: the proof
# keeps the hash of the address (``subject_key``) and the dates (migration 0018).
consent_record = Table(
    "consent_record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("purpose", String(64), nullable=False, index=True),
    Column("subject_key", String(16), nullable=False, index=True),
    Column("member_id", ForeignKey("council_member.id", ondelete="SET NULL"), index=True),
    Column("email", String(254)),
    Column("name", String(200)),
    Column("text_version", String(12), nullable=False),
    Column("given_at", DateTime, nullable=False),
    Column("source", String(40), nullable=False),
    Column("ended_at", DateTime),
    Column("ended_how", String(20)),  # retrait, expiration, effacement, nouvelle-version
    # one current consent per person and purpose
    Index("consent_current", "purpose", "subject_key", unique=True,
          sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
)
