"""The sign-in page of a council meeting (public app): members scan the room's QR code and
give their e-mail address, on the meeting's day. Nothing personal is shown back. Light imports.

``?reunion=ID&code=CODE``.
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.council.meetings import SignIn, sign_in, signin_meeting
from workbench.forms.render import message_panel
from workbench.i18n import _
from workbench.territory.clock import local_today
from workbench.web.field import Field

__all__ = ["MAX_ATTEMPTS", "SignInPage"]

MAX_ATTEMPTS = 3  # sign-ins from one page (a phone lent to a neighbour or two)


def _meeting_id(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class SignInPage:
    def __init__(self, meeting: str | None, code: str | None) -> None:
        self.meeting, self.code = _meeting_id(meeting), code
        self.root = w.VBox()
        self.root.add_class("wb-page")
        found = signin_meeting(self.meeting, code)
        if found is None:
            self.root.children = [message_panel(
                _("Link not recognised"),
                _("Scan the QR code shown in the meeting room."), "stop")]
            return
        body, held_on, place = found
        heading = w.HTML(
            "<h1>" + html.escape(_("Sign-in")) + "</h1><p>" + html.escape(
                _("{body}, {date}{place}").format(
                    body=body, date=held_on.strftime("%d/%m/%Y"),
                    place=f", {place}" if place else "")) + "</p>")
        if held_on != local_today():
            self.root.children = [heading, message_panel(
                _("Sign-in closed"), _("Sign-in is open on the day of the meeting only."),
                "info")]
            return
        self.email = Field("email", _("Your e-mail"), heading_level=2, props={
            "autocomplete": "email", "placeholder": "prenom.nom@exemple.fr", "maxlength": 254})
        self.email.add_class("wb-email")
        button = w.Button(description=_("I am present"), button_style="primary")
        button.on_click(lambda _b: self._sign())
        self.status = w.HTML()
        self.attempts = 0
        from workbench.rgpd.notice import notice_html

        self.root.children = self.form = [heading, w.HTML("<p>" + html.escape(
            _("Give the e-mail address the council knows you by. Without one, sign the sheet at "
              "the entrance.")) + "</p>"), self.email, button, self.status,
            w.HTML(notice_html("conseil-registre", ("presences",),
                               also=(("conseil-coordonnees", ()),)))]

    def _sign(self) -> None:
        address = (self.email.value or "").strip()
        if "@" not in address:
            text = _("Give your e-mail address (it contains @).")
            self.status.value = f"<p class='wb-error' role='alert'>{html.escape(text)}</p>"
            self.email.error = text
            self.email.request_focus()
            return
        if self.attempts >= MAX_ATTEMPTS:  # the button is hidden then, but the kernel decides
            self._finish(_("Sign-in by phone closed"), _(
                "Please sign the sheet at the entrance."), "stop")
            return
        self.attempts += 1
        outcome = sign_in(self.meeting, self.code, address, local_today())
        if outcome in (SignIn.SIGNED, SignIn.ALREADY, SignIn.NOT_INVITED):
            # The same answer for every address: the room's code does not tell who is invited.
            self._finish(_("Thank you"), _(
                "If this address is that of a member invited to this meeting, their attendance "
                "is recorded. If you are not sure, sign the sheet at the entrance."), "info")
        elif outcome == SignIn.LIMITED:
            self._finish(_("Sign-in by phone closed"), _(
                "Too many attempts for this meeting: please sign the sheet at the entrance."),
                "stop")
        elif outcome == SignIn.CLOSED:
            self._finish(_("Sign-in closed"),
                         _("Sign-in is open on the day of the meeting only."), "info")
        else:
            self._finish(_("Link not recognised"),
                         _("Scan the QR code shown in the meeting room."), "stop")

    def _finish(self, title: str, text: str, kind: str) -> None:
        """The page's last state; a page that has signed someone in offers another sign-in.

        At most ``MAX_ATTEMPTS`` sign-ins from one page: then the sheet at the entrance.
        """
        children = [self.root.children[0], message_panel(title, text, kind)]
        if kind == "info" and self.attempts < MAX_ATTEMPTS:
            again = w.Button(description=_("Sign in another member"))
            again.on_click(lambda _b: self._reset())
            children.append(again)
        self.root.children = children

    def _reset(self) -> None:
        self.email.value = ""
        self.status.value = ""
        self.root.children = self.form
