"""The staff app's pages and the permissions that open them.

The staff server refuses a page to whoever has none of its permissions before starting a
kernel (``web.voila_app.StaffPageHandler``); the page's own code checks again in its kernel,
and each action checks its own permission where it acts.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.i18n import _
from workbench.staff.acting import Actor
from workbench.staff.roles import Permission as P

__all__ = ["STAFF_PAGES", "StaffPage", "may_open", "pages_for"]


@dataclass(frozen=True)
class StaffPage:
    notebook: str
    opens_with: frozenset[P]  # any of these
    query: str = ""  # the default parameters of the link on the staff home page

    @property
    def title(self) -> str:
        return {
            "console.ipynb": _("Facilitator console (live sessions)"),
            "projection.ipynb": _("Projected page of a session"),
            "associations.ipynb": _("Associations: directory, requests, committee"),
            "commission.ipynb": _("Scoring the committee's files"),
            "conseil.ipynb": _("Citizen council: members, meetings, avis"),
            "evaluation.ipynb": _("Participatory evaluation"),
            "scenarios.ipynb": _("Foresight scenarios"),
            "budget.ipynb": _("Participatory budget: review of the proposals"),
            "journal.ipynb": _("Audit trail"),
            "donnees.ipynb": _("Personal data: purge, register, a person's records"),
        }[self.notebook]


STAFF_PAGES: dict[str, StaffPage] = {page.notebook: page for page in (
    StaffPage("console.ipynb", frozenset({P.SESSIONS})),
    StaffPage("conseil.ipynb", frozenset({P.COUNCIL})),
    StaffPage("associations.ipynb", frozenset({P.ASSOCIATIONS, P.COMMITTEE})),
    StaffPage("commission.ipynb", frozenset({P.SCORE}), "edition=comite-2026"),
    StaffPage("budget.ipynb", frozenset({P.BUDGET}), "edition=bp-demo"),
    StaffPage("evaluation.ipynb", frozenset({P.REPORTS, P.READ}),
              "evaluation=evaluation-transport"),
    StaffPage("scenarios.ipynb", frozenset({P.FORESIGHT}), "study=mobilite-2040"),
    StaffPage("journal.ipynb", frozenset({P.ACCOUNTS})),
    StaffPage("donnees.ipynb", frozenset({P.PERSONAL_DATA})),
    StaffPage("projection.ipynb", frozenset({P.SESSIONS})),
)}


def may_open(actor: Actor, notebook: str) -> bool:
    page = STAFF_PAGES.get(notebook)
    return page is not None and any(actor.can(p) for p in page.opens_with)


def pages_for(actor: Actor) -> list[StaffPage]:
    """The pages the person may open, for the staff home page (projection: from the console)."""
    return [page for page in STAFF_PAGES.values()
            if page.notebook != "projection.ipynb" and may_open(actor, page.notebook)]
