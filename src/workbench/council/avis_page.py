"""The public page of the council's avis and where each recommendation stands.

No personal data: avis, recommendations, addressees (offices), answers' positions and the
follow-up status. Everything is escaped. Light imports (public app).
"""

from __future__ import annotations

import html

import ipywidgets as w
from sqlalchemy import select

from workbench.council.avis import load_ledger
from workbench.i18n import _
from workbench.storage import read_connection
from workbench.storage.schema import council_avis
from workbench.web.markup import table

__all__ = ["AvisPage"]

def _status(status: str) -> str:
    """Where a recommendation stands, for the public."""
    return {"sans réponse": _("Awaiting an answer"), "répondue": _("Answer received"),
            "engagée": _("Implementation under way"), "réalisée": _("Implemented"),
            "abandonnée": _("Abandoned")}.get(status, status)


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


class AvisPage:
    def __init__(self) -> None:
        with read_connection() as conn:
            avis = conn.execute(select(council_avis).order_by(
                council_avis.c.adopted_on.desc())).all()
        ledger = load_ledger()
        parts = ["<h1>" + html.escape(_("The council's avis and their follow-up")) + "</h1>"]
        if not avis:
            parts.append("<p>" + html.escape(_("No avis published yet.")) + "</p>")
        head = (_("Recommendation"), _("Addressed to"), _("Answer"), _("Where it stands"))
        for item in avis:
            rows = [(e.text, e.addressee,
                     f"{e.position} ({_day(e.answered_on)})" if e.position else "—",
                     _status(e.status)) for e in ledger if e.avis == item.slug]
            kind = _("referral") if item.kind == "saisine" else _("own initiative")
            parts.append(
                f"<section class='wb-avis'><h2>{html.escape(item.title)}</h2><p>"
                + html.escape(_("Adopted on {date} ({kind}).").format(
                    date=_day(item.adopted_on), kind=kind))
                + "</p>" + table(head, rows) + "</section>")
        self.root = w.VBox([w.HTML("".join(parts))])
        self.root.add_class("wb-page")
