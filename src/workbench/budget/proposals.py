"""Proposing a project during the proposal phase of an edition.

What the page sends is checked here (French message per field, nothing written if one is
wrong): title, description, commune (an INSEE code of the territory, or none for the whole
Agglomération), category, estimated cost, and the proposer's contact: a name and an e-mail or
a phone number, stored apart (``pb_proposer``), never on a public page or in an export, and
deleted with the edition's other personal data (``docs/pb.md``); and, if ticked, the consent
to be told of the next consultations (``workbench.rgpd.consent``). One transaction; sending
twice (same browser submission id) gives back the first project's number.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from workbench.budget.voting import BallotError, find_edition
from workbench.i18n import _
from workbench.rgpd.consent import RECONTACT, give
from workbench.storage import write_transaction
from workbench.storage.conflicts import lock
from workbench.storage.schema import pb_edition, pb_project, pb_proposer
from workbench.territory.communes import commune_by_code

__all__ = ["CATEGORIES", "Proposal", "ProposalErrors", "category_label", "submit_proposal"]

CATEGORIES = ("environnement", "mobilite", "sport", "culture", "solidarite", "jeunesse",
              "autre")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9 .-]{10,20}")


def category_label(category: str) -> str:
    return {"environnement": _("environment"), "mobilite": _("mobility"), "sport": _("sport"),
            "culture": _("culture"), "solidarite": _("solidarity"), "jeunesse": _("youth"),
            "autre": _("other")}.get(category, category)


@dataclass(frozen=True)
class Proposal:
    title: str
    description: str
    commune: str | None  # INSEE code; None: the whole Agglomération
    category: str
    cost: float | None
    name: str
    email: str = ""
    phone: str = ""
    recontact: bool = False  # consents to be told of the next consultations (by e-mail)


class ProposalErrors(BallotError):
    """Field → French message, for every wrong field at once."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def check(proposal: Proposal) -> dict[str, str]:
    errors = {}
    if not 5 <= len(proposal.title.strip()) <= 120:
        errors["title"] = _("Give a title of 5 to 120 characters.")
    if not 20 <= len(proposal.description.strip()) <= 2000:
        errors["description"] = _("Describe the project in 20 to 2,000 characters.")
    if proposal.commune and commune_by_code(proposal.commune) is None:
        errors["commune"] = _("Choose a commune of the Agglomération.")
    if proposal.category not in CATEGORIES:
        errors["category"] = _("Choose a category.")
    if proposal.cost is None or not 100 <= proposal.cost <= 10_000_000:
        errors["cost"] = _("Give an estimate between 100 and 10,000,000 euros.")
    if not proposal.name.strip():
        errors["name"] = _("Give your name, so that the services can call you back.")
    if proposal.email.strip() and not EMAIL.fullmatch(proposal.email.strip()):
        errors["email"] = _("This e-mail address is not valid.")
    if proposal.phone.strip() and not PHONE.fullmatch(proposal.phone.strip()):
        errors["phone"] = _("This phone number is not valid.")
    if not proposal.email.strip() and not proposal.phone.strip():
        errors["email"] = _("Give an e-mail address or a phone number.")
    if proposal.recontact and not proposal.email.strip():
        errors["recontact"] = _("Give your e-mail address to be told of the next "
                                "consultations, or untick this box.")
    return errors


def submit_proposal(slug: str, proposal: Proposal, *, submission_id: str,
                    today: date | None = None, engine: Engine | None = None) -> str:
    """Store the proposal; its project number (the first one if sent twice)."""
    from workbench.territory.clock import local_today

    today = today or local_today()
    errors = check(proposal)
    if errors:
        raise ProposalErrors(errors)
    # Sent twice (a double tap, a reload): the same project. Another project from the same
    # phone (another title): a new one.
    key = hashlib.sha256(f"{submission_id}:{proposal.title.strip().casefold()}".encode()
                         ).hexdigest()
    with write_transaction(engine) as conn:
        edition = find_edition(conn, slug)
        lock(conn, pb_edition, pb_edition.c.id == edition.id)  # one project number at a time
        for row in conn.execute(select(pb_project.c.code, pb_project.c.extra_json).where(
                pb_project.c.edition_id == edition.id)):
            if json.loads(row.extra_json or "{}").get("submission") == key:
                return row.code
        if not (edition.proposals_open and edition.proposals_close
                and edition.proposals_open <= today <= edition.proposals_close):
            raise BallotError(_("Proposals are not open."))
        number = (conn.scalar(select(func.count()).select_from(pb_project).where(
            pb_project.c.edition_id == edition.id)) or 0) + 1
        while conn.scalar(select(pb_project.c.id).where(pb_project.c.edition_id == edition.id,
                                                        pb_project.c.code == str(number))):
            number += 1
        project = conn.execute(insert(pb_project).values(
            edition_id=edition.id, code=str(number), title=proposal.title.strip(),
            description=proposal.description.strip(), commune=proposal.commune or None,
            category=proposal.category, proposed_cost=proposal.cost, status="proposee",
            extra_json=json.dumps({"submission": key}), created_on=today)).inserted_primary_key[0]
        conn.execute(insert(pb_proposer).values(
            project_id=project, name=proposal.name.strip(),
            email=proposal.email.strip() or None, phone=proposal.phone.strip() or None,
            collected_on=today))
        if proposal.recontact:
            give(conn, RECONTACT, source="budget-participatif", email=proposal.email.strip(),
                 name=proposal.name)
    return str(number)
