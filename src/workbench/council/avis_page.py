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

__all__ = ["AvisPage"]

STATUS = {"sans réponse": "En attente de réponse", "répondue": "Réponse reçue",
          "engagée": "Mise en œuvre engagée", "réalisée": "Réalisée",
          "abandonnée": "Abandonnée"}


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
        head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in (
            _("Recommendation"), _("Addressed to"), _("Answer"), _("Where it stands")))
        for item in avis:
            rows = "".join(
                f"<tr><td>{html.escape(e.text)}</td><td>{html.escape(e.addressee)}</td>"
                f"<td>{html.escape(e.position or '—')} ({_day(e.answered_on)})</td>"
                f"<td>{html.escape(STATUS.get(e.status, e.status))}</td></tr>"
                for e in ledger if e.avis == item.slug)
            kind = _("referral") if item.kind == "saisine" else _("own initiative")
            parts.append(
                f"<section class='wb-avis'><h2>{html.escape(item.title)}</h2><p>"
                + html.escape(_("Adopted on {date} ({kind}).").format(
                    date=_day(item.adopted_on), kind=kind))
                + f"</p><table class='wb-table'><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table></section>")
        self.root = w.VBox([w.HTML("".join(parts))])
        self.root.add_class("wb-page")
