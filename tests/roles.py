"""The role × action matrix's parts: one actor per role, and the check of one table row.

Each row of a matrix table names an action, the roles allowed to do it and a function doing
it (given a prepared database); the test runs it as every role and expects success for the
allowed roles and ``Refused`` (a French message) for the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from workbench.staff.acting import Actor, Refused, acting_as
from workbench.staff.roles import Role

ROLES = tuple(Role)
ADMIN = Role.ADMINISTRATEUR
A = Role.ANIMATEUR
AN = Role.ANALYSTE
I = Role.INSTRUCTION  # noqa: E741
AS = Role.ASSESSEUR
S = Role.SECRETARIAT
L = Role.LECTURE


def actor(role: Role, email: str = "") -> Actor:
    """A signed-in person with just ``role`` (no session: the roles are taken as given)."""
    return Actor(label=email or f"{role.value}@agglo.test", roles=frozenset({role}))


@dataclass(frozen=True)
class Row:
    action: str
    allowed: frozenset[Role]
    run: Callable[[], object]

    def __init__(self, action: str, allowed: set[Role] | frozenset[Role],
                 run: Callable[[], object]) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "allowed", frozenset(allowed) | {ADMIN})
        object.__setattr__(self, "run", run)


def check(row: Row, role: Role) -> None:
    """Run ``row`` as ``role``: done if allowed, else refused in French."""
    with acting_as(actor(role)):
        if role in row.allowed:
            row.run()
        else:
            with pytest.raises(Refused) as refused:
                row.run()
            assert "Vos rôles ne vous permettent pas cette action" in str(refused.value), row.action
