"""Who may do what in the associations' domain: the checks the code that acts makes.

``require_any`` allows an action to any of several permissions (the SCDL export: EXPORT or
ASSOCIATIONS; the staff page: ASSOCIATIONS or COMMITTEE). ``require_assessor`` ties a score
to the signed-in person: a signed-in actor scores only as the edition's assessor whose e-mail
is theirs, whatever name or file a page (or a crafted widget message) sends; the command line
(CLI, demo, tests) names the assessor.
"""

from __future__ import annotations

from workbench.associations.grid import Assessor, Edition
from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.staff.acting import Actor, Refused, require
from workbench.staff.roles import Permission

__all__ = ["not_an_assessor", "require_any", "require_assessor"]


def require_any(*permissions: Permission, engine=None) -> Actor:
    """The actor, if it holds one of ``permissions``; else ``Refused`` (the last one's
    French message)."""
    for permission in permissions[:-1]:
        try:
            return require(permission, engine=engine)
        except Refused:
            pass
    return require(permissions[-1], engine=engine)


def not_an_assessor(email: str) -> Refused:
    return Refused(_("You are not an assessor of this committee: your e-mail ({email}) is not "
                     "among its assessors'.").format(email=email))


def require_assessor(edition: Edition, assessor: str, engine=None) -> Assessor:
    """The assessor ``assessor`` of ``edition``, if the actor may score as them (see module
    doc); else ``Refused``, or ``WorkbenchError`` for a name the edition does not list."""
    actor = require(Permission.SCORE, engine=engine)
    person = edition.assessor(assessor)
    if not actor.command_line:
        mine = edition.assessor_by_email(actor.label)
        if mine is None:
            raise not_an_assessor(actor.label)
        if person is None or person.name != mine.name:
            raise Refused(_("You can only see and score the files assigned to you."))
    if person is None:
        raise WorkbenchError(_("'{name}' is not an assessor of this committee.").format(
            name=assessor))
    return person
