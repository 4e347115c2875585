"""Roles and permissions of the staff: each role is a set of permissions, checked by the code
that acts (``workbench.staff.acting.require``), not only by which page is shown.

One table (``GRANTS``) says what each role may do; ``docs/security.md`` prints it.
"""

from __future__ import annotations

from enum import StrEnum

from workbench.i18n import _

__all__ = ["GRANTS", "Permission", "Role", "permission_label", "permissions_of", "role_label"]


class Permission(StrEnum):
    """What the code that acts checks."""

    ACCOUNTS = "accounts"  # staff accounts, settings, the audit trail
    FORMS = "forms"  # publish questionnaires, invitations
    SESSIONS = "sessions"  # live sessions: console, projection, conversations
    BUDGET = "budget"  # participatory budget: the services' review of proposals
    FORESIGHT = "foresight"  # foresight workshops: scenarios
    REPORTS = "reports"  # run reports, evaluation pages (findings, recommendations)
    EXPORT = "export"  # exports without direct identifiers (answers, results)
    PERSONAL_DATA = "personal_data"  # exports and views with names, e-mails, addresses
    ASSOCIATIONS = "associations"  # directory, subsidy requests, amounts and statuses
    COMMITTEE = "committee"  # committee set-up, results stored, votes (decisions)
    SCORE = "score"  # score the committee files assigned to oneself
    COUNCIL = "council"  # council registry, meetings, draws, avis, droit de suite
    READ = "read"  # read-only dashboards and reports


class Role(StrEnum):
    """The roles, by their French names (what staff call them)."""

    ADMINISTRATEUR = "administrateur"
    ANIMATEUR = "animateur"
    ANALYSTE = "analyste"
    INSTRUCTION = "instruction-vie-associative"
    ASSESSEUR = "assesseur"
    SECRETARIAT = "secretariat-conseil"
    LECTURE = "lecture"


P = Permission
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATEUR: frozenset(Permission),
    Role.ANIMATEUR: frozenset({P.FORMS, P.SESSIONS, P.BUDGET, P.FORESIGHT, P.READ}),
    Role.ANALYSTE: frozenset({P.REPORTS, P.EXPORT, P.READ}),
    Role.INSTRUCTION: frozenset({P.ASSOCIATIONS, P.COMMITTEE, P.READ}),
    Role.ASSESSEUR: frozenset({P.SCORE}),
    Role.SECRETARIAT: frozenset({P.COUNCIL, P.READ}),
    Role.LECTURE: frozenset({P.READ}),
}


def permissions_of(roles: frozenset[Role] | set[Role]) -> frozenset[Permission]:
    """Every permission the roles give together."""
    return frozenset().union(*(GRANTS[role] for role in roles))


def role_label(role: Role) -> str:
    """The role's French name as pages show it."""
    return {
        Role.ADMINISTRATEUR: _("administrator"),
        Role.ANIMATEUR: _("facilitator"),
        Role.ANALYSTE: _("analyst"),
        Role.INSTRUCTION: _("associations officer"),
        Role.ASSESSEUR: _("assessor"),
        Role.SECRETARIAT: _("council secretariat"),
        Role.LECTURE: _("read only"),
    }[role]


def permission_label(permission: Permission) -> str:
    """What the permission allows, in French (refusals and ``staff roles`` say it)."""
    return {
        P.ACCOUNTS: _("manage staff accounts and read the audit trail"),
        P.FORMS: _("publish questionnaires and send invitations"),
        P.SESSIONS: _("run live sessions"),
        P.BUDGET: _("review participatory budget proposals"),
        P.FORESIGHT: _("work on foresight scenarios"),
        P.REPORTS: _("run reports and work on evaluations"),
        P.EXPORT: _("export answers and results without direct identifiers"),
        P.PERSONAL_DATA: _("export or view personal data"),
        P.ASSOCIATIONS: _("handle associations and subsidy requests"),
        P.COMMITTEE: _("set up the allocation committee and record its decisions"),
        P.SCORE: _("score the committee files assigned to you"),
        P.COUNCIL: _("keep the council's registry, meetings, draws and avis"),
        P.READ: _("read dashboards and reports"),
    }[permission]
