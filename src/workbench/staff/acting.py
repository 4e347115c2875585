"""Who acts in this process, and the permission check every staff action makes.

- A staff page's kernel is started by the staff server with the page's session
  (``WORKBENCH_STAFF_SESSION``, set by the server from the sign-in cookie: the browser cannot
  write a kernel's environment) and ``WORKBENCH_KERNEL_SIDE=staff``. Its actor is the signed-in
  person, read again from the database at each check: a sign-out, an expired session or a
  disabled account stops the page's next action.
- A public page's kernel (``WORKBENCH_KERNEL_SIDE=public``) has no actor: every staff action
  is refused there.
- Anything else (the ``workbench`` command, papermill reports, tests) runs as the command
  line: whoever has a shell on the server already holds the database. Its audit entries name
  the system user.

``acting_as`` sets the actor for a block (tests, and the matrix in ``tests/test_roles.py``).
"""

from __future__ import annotations

import contextvars
import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.staff.roles import Permission, Role, permission_label, permissions_of

__all__ = ["SESSION_VARIABLE", "SIDE_VARIABLE", "Actor", "Refused", "acting_as", "current",
           "require"]

SESSION_VARIABLE = "WORKBENCH_STAFF_SESSION"
SIDE_VARIABLE = "WORKBENCH_KERNEL_SIDE"


class Refused(WorkbenchError):
    """A staff action the person may not do (French message)."""


@dataclass(frozen=True)
class Actor:
    """A person (or the command line) acting; ``session`` is the sign-in's secret, if any."""

    label: str  # e-mail, or "ligne de commande (user)"
    roles: frozenset[Role] = frozenset()
    account_id: int | None = None
    name: str = ""
    session: str = field(default="", repr=False)
    command_line: bool = False

    @property
    def permissions(self) -> frozenset[Permission]:
        return frozenset(Permission) if self.command_line else permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


NOBODY = Actor(label="")
_acting: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("workbench_actor",
                                                                      default=None)


def _command_line() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return Actor(label=_("command line ({user})").format(user=user), command_line=True)


def _from_environment(engine=None) -> Actor:
    side = os.environ.get(SIDE_VARIABLE, "")
    if side == "public":
        return NOBODY
    if side == "staff":
        token = os.environ.get(SESSION_VARIABLE, "")
        if not token:
            return NOBODY
        from workbench.staff.sessions import session_actor  # storage: not at import

        return session_actor(token, engine) or NOBODY  # read from the database now
    return _command_line()


def current() -> Actor:
    """The actor of this block (``acting_as``), else of this process (see module doc)."""
    actor = _acting.get()
    return actor if actor is not None else _from_environment()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Run the block as ``actor``."""
    token = _acting.set(actor)
    try:
        yield actor
    finally:
        _acting.reset(token)


def require(permission: Permission, actor: Actor | None = None, engine=None) -> Actor:
    """The actor, if it may ``permission`` now; else ``Refused`` with a French message.

    A signed-in person's session and roles are read again from the database.
    """
    actor = actor or _acting.get()
    if actor is None:
        actor = _from_environment(engine)
    elif actor.session:
        from workbench.staff.sessions import session_actor

        actor = session_actor(actor.session, engine) or NOBODY
    if not actor.label:
        raise Refused(_("You are not signed in, or your session has ended: sign in again on "
                        "the staff app."))
    if not actor.can(permission):
        raise Refused(_("Your roles do not allow you to {what}. Ask an administrator if "
                        "your work needs it.").format(what=permission_label(permission)))
    return actor
