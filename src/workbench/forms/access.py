"""Who may answer what, when: open/close dates and single-use invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from workbench.errors import WorkbenchError
from workbench.forms.loader import spec_from_dict
from workbench.forms.spec import FormSpec, end_of, start_of
from workbench.i18n import _
from workbench.storage.forms import PublishedVersion, get_version, latest_version
from workbench.storage.invitations import find_invitation
from workbench.storage.workshops import find_session
from workbench.territory.clock import local_now

__all__ = ["AccessDenied", "FormAccess", "check_access", "check_session", "invitation_used",
           "local_now"]

class AccessDenied(WorkbenchError):
    """The participant may not answer; ``reason`` says why (a French sentence)."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason, code)
        self.reason, self.code = reason, code

    def message(self) -> str:
        return self.reason


@dataclass(frozen=True)
class FormAccess:
    """What a participant is allowed to answer: the exact version and their invitation.

    In a live session, ``session_id`` is set and ``only`` lists the released questions
    (``None``: the whole questionnaire).
    """

    version: PublishedVersion
    spec: FormSpec
    invitation_id: int | None
    session_id: int | None = None
    only: tuple[str, ...] | None = None


def invitation_used() -> AccessDenied:
    """The polite refusal of an invitation link that has already served."""
    return AccessDenied(_("This invitation link has already been used: the answer sent with it "
                          "is recorded. Thank you for taking part!"), "token_used")


def check_session(conn: Connection, code: str) -> FormAccess:
    """What a participant may answer in the live session ``code`` right now."""
    session = find_session(conn, code) if code else None
    if session is None:
        raise AccessDenied(_("This workshop session does not exist. Please check the code or "
                             "scan the QR code again."), "unknown")
    if session.status == "draft":
        raise AccessDenied(_("The session has not started yet: this page will be ready as soon "
                             "as the facilitator opens it. Reload it in a moment."), "not_open")
    if session.status == "closed":
        raise AccessDenied(_("The session is over. Thank you for taking part!"), "closed")
    version = get_version(conn, session.form_version_id)
    assert version is not None
    return FormAccess(version, spec_from_dict(session.spec), None, session.id,
                      session.released if session.paced else None)


def _day(moment: datetime | date) -> str:
    return moment.strftime("%d/%m/%Y à %Hh%M" if isinstance(moment, datetime) else "%d/%m/%Y")


def check_access(
    conn: Connection, slug: str, token: str | None, now: datetime | None = None
) -> FormAccess:
    """The form a participant may answer now, or ``AccessDenied`` with a polite reason."""
    version = latest_version(conn, slug)
    if version is None:
        raise AccessDenied(_("This questionnaire does not exist or is not published."),
                           "unknown")
    spec = spec_from_dict(version.spec)
    now = now or local_now()
    if spec.opens_at and now < start_of(spec.opens_at):
        raise AccessDenied(_("This questionnaire is not open yet: it opens on {day}.").format(
            day=_day(spec.opens_at)), "not_open")
    if spec.closes_at and now > end_of(spec.closes_at):
        raise AccessDenied(_("This questionnaire closed on {day}. Thank you for your "
                             "interest.").format(day=_day(spec.closes_at)), "closed")
    invitation_id = None
    if token:
        invitation = find_invitation(conn, version.form_id, token)
        if invitation is None:
            raise AccessDenied(_("This invitation link is not valid. Please check that you "
                                 "copied it whole."), "token_invalid")
        if invitation.used_on is not None:
            raise invitation_used()
        invitation_id = invitation.id
    elif spec.access == "token":
        raise AccessDenied(_("This questionnaire is for invited people only: please use the "
                             "personal link you received."), "token_required")
    return FormAccess(version, spec, invitation_id)
