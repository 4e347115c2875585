"""The associations' staff page: directory (with addresses and identifiers), subsidy requests
and alerts, the allocation committee's results; one tab each.

It opens to the ASSOCIATIONS or the COMMITTEE permission (else a French refusal is its only
content); the requests tab needs ASSOCIATIONS, the committee tab COMMITTEE."""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.associations.access import require_any
from workbench.associations.directory_page import DirectoryView
from workbench.associations.staff_committee import CommitteeTab
from workbench.associations.staff_requests import RequestsTab
from workbench.i18n import _
from workbench.staff.acting import Refused
from workbench.staff.roles import Permission
from workbench.web.markup import status
from workbench.web.tabs import LazyTabs

__all__ = ["AssociationsPage"]


class AssociationsPage:
    def __init__(self) -> None:
        try:
            require_any(Permission.COMMITTEE, Permission.ASSOCIATIONS)
        except Refused as refused:
            self.root = w.VBox([w.HTML(status(str(refused), error=True))])
            return
        # The requests and committee tabs are built when first shown.
        self.tabs = LazyTabs((_("Directory"), _("Requests"), _("Committee")),
                             (lambda: DirectoryView(staff=True), RequestsTab, CommitteeTab))
        self.directory = self.tabs.tab(0)
        self.root = w.VBox([w.HTML("<h1>" + html.escape(_("Associations")) + "</h1>"),
                            self.tabs.widget])
        self.root.add_class("wb-associations")

    @property
    def requests(self) -> RequestsTab:
        return self.tabs.tab(1)

    @property
    def committee(self) -> CommitteeTab:
        return self.tabs.tab(2)
