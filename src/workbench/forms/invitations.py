"""Single-use invitations: tokens handed out once, stored only as hashes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from workbench.forms.access import AccessDenied
from workbench.i18n import _, ngettext
from workbench.staff import audit
from workbench.staff.acting import require
from workbench.staff.roles import Permission
from workbench.storage import get_engine, write_transaction
from workbench.storage.forms import latest_version
from workbench.storage.invitations import insert_invitations

__all__ = ["IssuedInvitation", "create_invitations"]


@dataclass(frozen=True)
class IssuedInvitation:
    """A token to give to one person (shown once, never stored in clear)."""

    token: str
    recipient: str | None


def create_invitations(
    slug: str, recipients: list[str | None], engine: Engine | None = None
) -> list[IssuedInvitation]:
    """One new token per recipient (``None`` for an unnamed invitation).

    Needs ``Permission.FORMS``; the count (never the tokens or recipients) is audited.
    """
    engine = engine or get_engine()
    require(Permission.FORMS, engine=engine)
    issued = [IssuedInvitation(secrets.token_urlsafe(16), r) for r in recipients]
    with write_transaction(engine) as conn:
        version = latest_version(conn, slug)
        if version is None:
            raise AccessDenied(_("This questionnaire does not exist or is not published."),
                               "unknown")
        insert_invitations(conn, version.form_id, [(i.token, i.recipient) for i in issued],
                           datetime.now(UTC).replace(tzinfo=None))
        audit.record(conn, "form.invitations", "form", slug,
                     ngettext("{n} invitation created for '{slug}'.",
                              "{n} invitations created for '{slug}'.", len(issued)).format(
                         n=len(issued), slug=slug),
                     after={"count": len(issued),
                            "named": sum(1 for i in issued if i.recipient)})
    return issued
