"""The council's staff page: members and composition, meetings and attendance, avis and their
follow-up, one tab each (the meetings and avis tabs built when first shown). Personal data
(members' names, contacts) stays on this staff page."""

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
from workbench.web.tabs import LazyTabs

__all__ = ["CouncilPage"]


class CouncilPage:
    def __init__(self, public_base: str) -> None:
        try:
            require(Permission.COUNCIL)
        except Refused as refused:  # the refusal is the page's only content
            self.root = w.VBox([w.HTML(status(str(refused), error=True))])
            return
        self.tabs = LazyTabs((_("Members"), _("Meetings"), _("Avis")),
                             (MembersTab, lambda: MeetingsTab(public_base), AvisTab))
        self.members = self.tabs.tab(0)
        self.root = w.VBox([
            w.HTML("<h1>" + html.escape(_("Conseil de développement")) + "</h1>"),
            self.tabs.widget])
        self.root.add_class("wb-council")

    @property
    def meetings(self) -> MeetingsTab:
        return self.tabs.tab(1)

    @property
    def avis(self) -> AvisTab:
        return self.tabs.tab(2)
