"""Demo staff accounts: an administrator, one account per role, the demo committee's assessors.

All share one password, drawn again at each run and printed by ``workbench demo staff`` (the
demo is for trying the app on one's machine; real accounts get one-time links instead).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update

from workbench.errors import WorkbenchError
from workbench.staff.accounts import add_account, normalise_email, password_link, set_password
from workbench.staff.roles import Role
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import staff_account

__all__ = ["ADMIN", "demo_accounts", "seed_staff"]

ADMIN = "admin@demo.agglo.test"
DOMAIN = "demo.agglo.test"


def demo_accounts() -> list[tuple[str, str, Role]]:
    """(e-mail, name, role) of every demo account."""
    from workbench.associations.grid import load_edition

    people = [(ADMIN, "Administratrice de démonstration", Role.ADMINISTRATEUR)]
    people += [(f"{role.value}@{DOMAIN}", f"Démo {role.value}", role) for role in Role
               if role not in (Role.ADMINISTRATEUR, Role.ASSESSEUR)]
    try:
        edition = load_edition("comite-2026")
    except WorkbenchError:  # no demo committee in this project folder
        return people
    return people + [(a.email, a.name, Role.ASSESSEUR) for a in edition.assessors if a.email]


def seed_staff(engine=None) -> tuple[str, str]:
    """Create the demo accounts (or give them a new password); the admin's e-mail and the
    shared password."""
    password = secrets.token_urlsafe(12)
    for email, name, role in demo_accounts():
        with read_connection(engine) as conn:
            known = conn.scalar(select(staff_account.c.id).where(
                staff_account.c.email == normalise_email(email)))
        if known is None:
            link = add_account(email, name, [role.value], engine=engine)
        else:
            with write_transaction(engine) as conn:  # a demo account disabled in a trial
                conn.execute(update(staff_account).where(staff_account.c.id == known)
                             .values(active=True, disabled_at=None))
            link = password_link(email, engine=engine)
        set_password(link, password, password, engine=engine)
    return ADMIN, password
