"""Passwords: argon2id (argon2-cffi's defaults, RFC 9106's second recommended set), a length
rule, and a verification that costs the same whether or not the account exists."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from workbench.i18n import _
from workbench.staff.acting import Refused

__all__ = ["MIN_LENGTH", "check_new_password", "hash_password", "needs_rehash",
           "verify_password"]

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()  # argon2id
# Verified when the e-mail is unknown, so that both answers take the same time.
_DUMMY = _hasher.hash("the account does not exist")


def check_new_password(password: str, confirmation: str, email: str = "") -> None:
    """``Refused`` with a French message unless the new password is acceptable."""
    if password != confirmation:
        raise Refused(_("The two passwords differ."))
    if len(password) < MIN_LENGTH:
        raise Refused(_("The password needs at least {n} characters (a sentence is easier "
                        "to remember than a jumble).").format(n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise Refused(_("The password is too long ({n} characters at most).").format(
            n=MAX_LENGTH))
    if len(set(password)) < 5 or (email and email.split("@")[0].lower() in password.lower()):
        raise Refused(_("This password is too easy to guess: choose another one."))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (``None``: no account or no password yet)."""
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
