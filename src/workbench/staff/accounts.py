"""Staff accounts: add, list, disable, roles, one-time password links, sign-in checks.

Passwords are argon2id hashes (``passwords``); nobody ever sees or sets another person's
password: an administrator prints a one-time link (``password_link``), valid 72 hours, with
which the person chooses it. After 5 wrong passwords in a row an account waits 1 minute,
then twice as long after each further failure (at most an hour); addresses are throttled
by the staff server as well (``workbench.web.staff_login``).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from workbench.i18n import _, ngettext
from workbench.staff import audit
from workbench.staff.acting import Actor, Refused, require
from workbench.staff.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from workbench.staff.roles import Permission, Role, role_label
from workbench.staff.sessions import digest, end_account_sessions, open_session
from workbench.storage import read_connection, write_transaction
from workbench.storage.conflicts import insert_new, lock
from workbench.storage.schema import staff_account, staff_password_link, staff_role

__all__ = ["Account", "BadLink", "accounts", "add_account", "disable_account", "lockout_delay",
           "password_link", "set_password", "set_roles", "sign_in"]

LINK_HOURS = 72
FREE_FAILURES = 5
MAX_LOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    roles: frozenset[Role]
    active: bool
    has_password: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    local, _at, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise Refused(_("'{email}' is not an e-mail address.").format(email=email))
    return email


def _roles(values: list[str] | tuple[str, ...]) -> list[Role]:
    known = {r.value: r for r in Role}
    unknown = [v for v in values if v not in known]
    if unknown or not values:
        raise Refused(_("Unknown role '{role}'. Roles: {roles}.").format(
            role=", ".join(unknown) or "—", roles=", ".join(known)))
    return sorted(set(known[v] for v in values))


def _describe(roles: list[Role] | frozenset[Role]) -> str:
    return ", ".join(role_label(r) for r in sorted(roles))


def accounts(engine=None) -> list[Account]:
    """Every account, by e-mail."""
    with read_connection(engine) as conn:
        roles: dict[int, set[Role]] = {}
        for account_id, role in conn.execute(select(staff_role.c.account_id, staff_role.c.role)):
            if role in Role._value2member_map_:
                roles.setdefault(account_id, set()).add(Role(role))
        return [Account(r.id, r.email, r.name, frozenset(roles.get(r.id, ())), r.active,
                        r.password_hash is not None)
                for r in conn.execute(select(staff_account).order_by(staff_account.c.email))]


def _account(conn, email: str):
    row = conn.execute(select(staff_account).where(
        staff_account.c.email == normalise_email(email))).first()
    if row is None:
        raise Refused(_("No staff account has the e-mail '{email}'.").format(email=email))
    return row


def _new_link(conn, account_id: int) -> str:
    secret = secrets.token_urlsafe(32)
    moment = _now()
    conn.execute(update(staff_password_link).where(
        staff_password_link.c.account_id == account_id,
        staff_password_link.c.used_at.is_(None)).values(used_at=moment))  # older links die
    conn.execute(staff_password_link.insert().values(
        token_sha256=digest(secret), account_id=account_id, created_at=moment,
        expires_at=moment + timedelta(hours=LINK_HOURS)))
    return secret


def add_account(email: str, name: str, roles: list[str], engine=None) -> str:
    """A new account (no password yet); the secret of its one-time password link."""
    require(Permission.ACCOUNTS, engine=engine)
    email, chosen, name = normalise_email(email), _roles(roles), " ".join(name.split())
    if not name:
        raise Refused(_("Give the person's name (--name)."))
    with write_transaction(engine) as conn:
        new = insert_new(conn, staff_account, {"email": email, "name": name, "active": True,
                                               "created_at": _now(), "failed_signins": 0},
                         keys=["email"])
        if new is None:
            raise Refused(_("An account with the e-mail '{email}' already exists.").format(
                email=email))
        account_id = new[0]
        conn.execute(staff_role.insert(), [{"account_id": account_id, "role": r.value}
                                           for r in chosen])
        audit.record(conn, "account.add", "staff_account", account_id,
                     _("Account created for {email} ({roles}).").format(
                         email=email, roles=_describe(chosen)),
                     after={"email": email, "name": name, "roles": [r.value for r in chosen]})
        return _new_link(conn, account_id)


def set_roles(email: str, roles: list[str], engine=None) -> None:
    """Replace the account's roles."""
    require(Permission.ACCOUNTS, engine=engine)
    chosen = _roles(roles)
    with write_transaction(engine) as conn:
        row = _account(conn, email)
        lock(conn, staff_account, staff_account.c.id == row.id)
        before = sorted(conn.scalars(select(staff_role.c.role)
                                     .where(staff_role.c.account_id == row.id)))
        conn.execute(delete(staff_role).where(staff_role.c.account_id == row.id))
        conn.execute(staff_role.insert(), [{"account_id": row.id, "role": r.value}
                                           for r in chosen])
        audit.record(conn, "account.roles", "staff_account", row.id,
                     _("Roles of {email}: {roles}.").format(email=row.email,
                                                             roles=_describe(chosen)),
                     before={"roles": before}, after={"roles": [r.value for r in chosen]})


def disable_account(email: str, engine=None) -> None:
    """The account can no longer sign in; its sessions end now (open pages stop acting)."""
    require(Permission.ACCOUNTS, engine=engine)
    with write_transaction(engine) as conn:
        row = _account(conn, email)
        conn.execute(update(staff_account).where(staff_account.c.id == row.id)
                     .values(active=False, disabled_at=_now()))
        end_account_sessions(conn, row.id)
        audit.record(conn, "account.disable", "staff_account", row.id,
                     _("Account of {email} disabled.").format(email=row.email),
                     before={"active": row.active}, after={"active": False})


def password_link(email: str, engine=None) -> str:
    """A new one-time password link for the account (earlier ones stop working); its secret.

    The current password keeps working until the link is used.
    """
    require(Permission.ACCOUNTS, engine=engine)
    with write_transaction(engine) as conn:
        row = _account(conn, email)
        if not row.active:
            raise Refused(_("The account of {email} is disabled.").format(email=row.email))
        secret = _new_link(conn, row.id)
        audit.record(conn, "account.password_link", "staff_account", row.id,
                     _("One-time password link made for {email}.").format(email=row.email))
        return secret


class BadLink(Refused):
    """A one-time link unknown, used, expired, or of a disabled account."""


def set_password(secret: str, password: str, confirmation: str, engine=None) -> str:
    """Use a one-time link: the account's new password (its sessions end); its e-mail."""
    refused = BadLink(_("This link is not valid any more: ask an administrator for a new one."))
    with write_transaction(engine) as conn:
        link = conn.execute(select(staff_password_link).where(
            staff_password_link.c.token_sha256 == digest(secret))).first()
        if link is None or link.used_at is not None or link.expires_at < _now():
            raise refused
        row = conn.execute(select(staff_account).where(
            staff_account.c.id == link.account_id)).one()
        if not row.active:
            raise refused
        check_new_password(password, confirmation, row.email)
        conn.execute(update(staff_password_link).where(staff_password_link.c.id == link.id)
                     .values(used_at=_now()))
        conn.execute(update(staff_account).where(staff_account.c.id == row.id).values(
            password_hash=hash_password(password), failed_signins=0, locked_until=None))
        end_account_sessions(conn, row.id)
        actor = Actor(label=row.email, account_id=row.id)
        audit.record(conn, "account.password_set", "staff_account", row.id,
                     _("{email} chose a new password.").format(email=row.email), actor=actor)
        return row.email


def lockout_delay(failures: int) -> timedelta:
    """How long an account (or address) waits after ``failures`` wrong passwords in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    # The exponent is capped before the power: 2**41 minutes overflowed timedelta, and the
    # lockout stopped working from the 46th failure (attacker's review).
    return min(MAX_LOCK, timedelta(minutes=2 ** min(failures - FREE_FAILURES, 7)))


_unknown: dict[str, tuple[int, datetime]] = {}  # e-mails without account: same behaviour
_unknown_lock = threading.Lock()


class LockedOut(Refused):
    """Too many wrong passwords: wait (``retry_after`` seconds)."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(ngettext("Too many failed sign-ins: wait {n} minute before trying "
                                  "again.", "Too many failed sign-ins: wait {n} minutes before "
                                  "trying again.", minutes).format(n=minutes))
        self.retry_after = retry_after


def sign_in(email: str, password: str, engine=None) -> str | None:
    """A new session's secret if the e-mail and password match an active account, else None.

    The same work and answer for an unknown e-mail as for a wrong password (argon2 runs in
    both cases); ``LockedOut`` while the account (known or not) must wait. Each attempt is
    counted as a failure *before* the password is checked, and forgiven if it matches:
    parallel attempts cannot all slip in before the first failure is counted.
    """
    try:
        email = normalise_email(email)
    except Refused:
        email = ""
    moment = _now()
    with read_connection(engine) as conn:
        row = conn.execute(select(staff_account).where(staff_account.c.email == email)).first() \
            if email else None
    if row is None:
        with _unknown_lock:
            failures, until = _unknown.get(email, (0, moment))
            if until > moment:
                raise LockedOut(int((until - moment).total_seconds()) + 1)
            if len(_unknown) > 10_000:
                _unknown.clear()
            _unknown[email] = (failures + 1, moment + lockout_delay(failures + 1))
        verify_password(None, password)
        return None
    with write_transaction(engine) as conn:
        failures = conn.scalar(
            update(staff_account)
            .where(staff_account.c.id == row.id,
                   (staff_account.c.locked_until.is_(None))
                   | (staff_account.c.locked_until <= moment))
            .values(failed_signins=staff_account.c.failed_signins + 1)
            .returning(staff_account.c.failed_signins))
        if failures is None:  # locked now (perhaps by a parallel attempt)
            until = conn.scalar(select(staff_account.c.locked_until)
                                .where(staff_account.c.id == row.id)) or moment
            raise LockedOut(int((until - moment).total_seconds()) + 1)
        if lockout_delay(failures):
            conn.execute(update(staff_account).where(staff_account.c.id == row.id)
                         .values(locked_until=moment + lockout_delay(failures)))
    if not verify_password(row.password_hash, password) or not row.active:
        return None  # argon2 ran outside any transaction; the failure is counted already
    with write_transaction(engine) as conn:
        values: dict[str, object] = {"failed_signins": 0, "locked_until": None}
        if needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password)
        conn.execute(update(staff_account).where(staff_account.c.id == row.id).values(**values))
        return open_session(conn, row.id)
