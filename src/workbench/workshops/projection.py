"""The page to project at the start of a session: a large QR code, the address and the code."""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.i18n import _, ngettext
from workbench.storage import get_engine, read_connection
from workbench.storage.workshops import answer_counts, find_session
from workbench.web.live import every
from workbench.web.urls import participant_session_url
from workbench.workshops.qr import qr_svg

__all__ = ["ProjectionPage"]


class ProjectionPage:
    """QR code and short instructions for the room; the number of answers follows live."""

    def __init__(self, code: str | None, public_base: str) -> None:
        self.code = (code or "").strip().upper()
        self.public_base = public_base.rstrip("/")
        self.engine = get_engine()
        self.count = w.HTML()
        self.root = w.VBox([w.HTML(self._body()), self.count])
        self.root.add_class("wb-projection")
        every(2.0, self.refresh)

    def _body(self) -> str:
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code) if self.code else None
        if session is None:
            return "<h1>" + html.escape(_("Unknown session")) + "</h1>"
        url = participant_session_url(self.public_base, session.code)
        how = _("Scan the code with your phone, or go to {site} and type the code {code}.")
        return (f"<h1>{html.escape(session.title)}</h1>"
                f"<div class='wb-qr-large'>{qr_svg(url, scale=16)}</div>"
                f"<p class='wb-big'>{html.escape(how.format(site=self.public_base, code=''))}"
                f"<strong class='wb-code'>{html.escape(session.code)}</strong></p>")

    def refresh(self) -> None:
        """The number of answers received so far."""
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code) if self.code else None
            total = sum(answer_counts(conn, session.id).values()) if session else 0
        self.count.value = "<p class='wb-big'>" + html.escape(ngettext(
            "{n} answer received", "{n} answers received", total).format(n=total)) + "</p>"
