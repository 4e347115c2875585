"""The council's staff page: members and composition, meetings and attendance, avis and their
follow-up, one tab each. Personal data (members' names, contacts) stays on this staff page."""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.council.staff_avis import AvisTab
from workbench.council.staff_meetings import MeetingsTab
from workbench.council.staff_members import MembersTab
from workbench.i18n import _
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.web.markup import status

__all__ = ["CouncilPage"]


class CouncilPage:
    def __init__(self, public_base: str) -> None:
        try:
            require(Permission.COUNCIL)
        except Refused as refused:  # the refusal is the page's only content
            self.root = w.VBox([w.HTML(status(str(refused), error=True))])
            return
        self.members = MembersTab()
        self.meetings = MeetingsTab(public_base)
        self.avis = AvisTab()
        tabs = w.Tab(children=[self.members.root, self.meetings.root, self.avis.root])
        for index, title in enumerate((_("Members"), _("Meetings"), _("Avis"))):
            tabs.set_title(index, title)
        self.root = w.VBox([
            w.HTML("<h1>" + html.escape(_("Conseil de développement")) + "</h1>"), tabs])
        self.root.add_class("wb-council")
