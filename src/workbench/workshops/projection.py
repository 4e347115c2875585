"""The page to project at the start of a session: a large QR code, the address and the code.

It counts people, not answers (``participants.count_participants``), and once the session is
closed it says so instead of inviting the room to scan, and stops polling.
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.i18n import _, ngettext
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.storage import get_engine, read_connection
from workbench.storage.workshops import find_session
from workbench.web.live import every
from workbench.web.markup import status as status_line
from workbench.web.urls import participant_session_url
from workbench.workshops.participants import count_participants
from workbench.workshops.qr import qr_svg
from workbench.workshops.styles import style_tag

__all__ = ["ProjectionPage", "participants_text"]

REFRESH_S = 2.0


def participants_text(people: int) -> str:
    """"7 participants have answered", with French plurals."""
    return ngettext("{n} participant has answered", "{n} participants have answered",
                    people).format(n=people)


class ProjectionPage:
    """QR code and short instructions for the room; the number of participants follows live."""

    def __init__(self, code: str | None, public_base: str) -> None:
        self.code = (code or "").strip().upper()
        self.public_base = public_base.rstrip("/")
        self.engine = get_engine()
        self.body = w.HTML()
        self.count = w.HTML()
        self.status: str | None = None
        self.closed = False
        self._task = None
        try:
            require(Permission.SESSIONS, engine=self.engine)
        except Refused as refused:  # the refusal is the page's only content
            self.root = w.VBox([w.HTML(status_line(str(refused), error=True))])
            return
        self.root = w.VBox([w.HTML(style_tag()), self.body, self.count])
        self.root.add_class("wb-projection")
        self.refresh()
        if not self.closed:
            self._task = every(REFRESH_S, self.refresh)

    def _body(self, session) -> str:
        if session is None:
            return "<h1>" + html.escape(_("Unknown session")) + "</h1>"
        title = f"<h1>{html.escape(session.title)}</h1>"
        if session.status == "closed":
            return title + ("<p class='wb-state wb-state-closed' role='status'>" + html.escape(
                _("Session closed: answers are no longer taken. Thank you for taking part!"))
                + "</p>")
        url = participant_session_url(self.public_base, session.code)
        qr = qr_svg(url, scale=16, fluid=True, label=_(
            "QR code that opens the questionnaire of the session {code}").format(
            code=session.code))
        how = _("Scan the code with your phone, or go to the address below and type the code.")
        return (title + "<div class='wb-join'>"
                f"<div class='wb-qr-large'>{qr}</div><div>"
                f"<p class='wb-big'>{html.escape(how)}</p>"
                f"<p class='wb-address'>{html.escape(self.public_base)}</p>"
                "<p class='wb-code-line'>" + html.escape(_("Code:"))
                + f" <strong class='wb-code'>{html.escape(session.code)}</strong></p>"
                "</div></div>")

    def refresh(self) -> None:
        """The number of participants so far; the closed state once the session is closed."""
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code) if self.code else None
            people = count_participants(conn, session.id) if session else 0
        status = session.status if session else None
        if status != self.status or not self.body.value:
            self.status = status
            self.body.value = self._body(session)
        self.count.value = ("<p class='wb-big wb-count'>" + html.escape(participants_text(people))
                            + "</p>")
        if status == "closed":
            self.closed = True
            if self._task is not None:
                self._task.cancel()
                self._task = None
