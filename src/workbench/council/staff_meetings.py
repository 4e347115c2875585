"""Staff tab: plan a meeting (invitations, documents, the room's sign-in QR code), mark its
sign-in sheet, and the year's attendance (rates per body, members absent three times in a
row). Personal data: staff app only."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from workbench.council.meetings import (
    BODY_KINDS,
    Meeting,
    attendance_sheet,
    attendance_stats,
    create_body,
    list_bodies,
    list_meetings,
    plan_meeting,
    record_attendance,
    signin_activity,
)
from workbench.council.members import active_members
from workbench.errors import WorkbenchError
from workbench.french import french_date, french_number
from workbench.i18n import _
from workbench.territory.clock import local_time, local_today
from workbench.web.choices import set_options
from workbench.web.date_input import FrenchDate
from workbench.web.grid import DataGrid
from workbench.web.markup import status, table
from workbench.web.urls import signin_url
from workbench.workshops.qr import qr_svg

__all__ = ["MeetingsTab"]

NEW_BODY = 0


class MeetingsTab:
    def __init__(self, public_base: str) -> None:
        self.public_base = public_base
        self.members = active_members()
        self.meetings: dict[int, Meeting] = {}
        self.boxes: list[tuple[int, w.Checkbox]] = []
        field = {"style": {"description_width": "10em"}, "layout": {"width": "36em"}}
        self.body = w.Dropdown(description=_("Body"), **field)
        self.new_body = w.Text(description=_("New body"), **field)
        self.kind = w.Dropdown(options=list(BODY_KINDS), description=_("Kind"), **field)
        self.held_on = FrenchDate(description=_("Date"), value=local_today(), **field)
        self.place = w.Text(description=_("Place"), **field)
        self.agenda = w.Textarea(description=_("Agenda"), **field)
        self.documents = w.Textarea(description=_("Documents"),
                                    placeholder=_("One per line: title or address"), **field)
        self.invited = w.SelectMultiple(
            description=_("Invited"), options=[(m.name, m.id) for m in self.members],
            rows=10, **field)
        self.body.observe(lambda _c: self._safely(self._default_invitations), "value")
        plan = w.Button(description=_("Plan the meeting"), button_style="primary")
        plan.on_click(lambda _b: self._plan())
        self.meeting = w.Dropdown(description=_("Meeting"), layout={"width": "40em"})
        self.meeting.observe(lambda _c: self._safely(self._show_meeting), "value")
        self.details = w.HTML()
        self.sheet = w.VBox()
        save = w.Button(description=_("Save the sign-in sheet"), button_style="primary")
        save.on_click(lambda _b: self._save_sheet())
        self.year = w.BoundedIntText(description=_("Year"), value=date.today().year,
                                     min=2000, max=2100)
        self.year.observe(lambda _c: self._draw_stats(), "value")
        self.stats = w.HTML()
        self.by_member = DataGrid((_("Member"), _("Invitations"), _("Attendance rate (%)")),
                                  caption=_("Attendance by member"), numeric=(1, 2))
        self.message = w.HTML()
        self.root = w.VBox([
            w.HTML("<h2>" + html.escape(_("Plan a meeting")) + "</h2>"),
            self.body, self.new_body, self.kind, self.held_on, self.place, self.agenda,
            self.documents, self.invited, plan,
            w.HTML("<h2>" + html.escape(_("Sign-in sheet")) + "</h2>"),
            self.meeting, self.details, self.sheet, save, self.message,
            w.HTML("<h2>" + html.escape(_("Attendance")) + "</h2>"), self.year, self.stats,
            self.by_member.widget])
        self.root.add_class("wb-meetings")
        self._refresh()

    def _safely(self, show) -> None:
        """Redraw on a choice; a refusal (the session ended meanwhile) says why, in French."""
        try:
            show()
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)

    def _refresh(self, keep: int | None = None) -> None:
        self.bodies = list_bodies()
        self.meetings = {m.id: m for m in list_meetings()}
        set_options(self.body, [(_("— New body —"), NEW_BODY)] + [
            (name, body) for body, name, _kind in self.bodies], self.body.value)
        set_options(self.meeting, [(f"{french_date(m.held_on)} · {m.body} · {m.place}", m.id)
                                   for m in self.meetings.values()], keep)
        self._default_invitations()
        self._show_meeting()
        self._draw_stats()

    def _default_invitations(self) -> None:
        """Invite those invited to the body's last meeting, else every member in office."""
        body = next((name for b, name, _k in self.bodies if b == self.body.value), None)
        last = next((m for m in self.meetings.values() if m.body == body), None)
        seated = {m.id for m in self.members}
        chosen = ({member for member, _n, _p in attendance_sheet(last.id)} & seated
                  if last else seated)
        self.invited.value = tuple(m.id for m in self.members if m.id in chosen)

    def _plan(self) -> None:
        try:
            if self.held_on.day is None:
                raise WorkbenchError(_("Give the date of the meeting."))
            body = self.body.value
            if body == NEW_BODY:
                if not self.new_body.value.strip():
                    raise WorkbenchError(_("Choose a body or name a new one."))
                body = create_body(self.new_body.value.strip(), self.kind.value)
            meeting = plan_meeting(body, self.held_on.day, self.place.value,
                                   self.agenda.value, self.documents.value, self.invited.value)
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        self._refresh(keep=meeting)
        self.message.value = status(_("Meeting planned: {n} members invited.").format(
            n=len(self.invited.value)))

    def _show_meeting(self) -> None:
        meeting: Meeting | None = self.meetings.get(self.meeting.value)
        if meeting is None:
            self.details.value, self.sheet.children = "", ()
            return
        parts = [f"<p>{html.escape(meeting.agenda)}</p>" if meeting.agenda else ""]
        if meeting.documents:
            parts.append("<p>" + html.escape(_("Documents:")) + "</p><ul>" + "".join(
                f"<li>{html.escape(d)}</li>" for d in meeting.documents) + "</ul>")
        if meeting.signin_code and meeting.held_on >= local_today():
            url = signin_url(self.public_base, meeting.id, meeting.signin_code)
            parts.append(
                "<div class='wb-signin-code'><p>" + html.escape(
                    _("Members sign in on the day with their phone (their e-mail address):"))
                + f" <a href='{html.escape(url)}'>{html.escape(url)}</a></p>{qr_svg(url)}</div>")
        parts.append(self._signin_activity(meeting.id))
        self.details.value = "".join(parts)
        self.boxes = [(member, w.Checkbox(description=name, value=bool(present),
                                          indent=False))
                      for member, name, present in attendance_sheet(meeting.id)]
        self.sheet.children = [box for _m, box in self.boxes]

    @staticmethod
    def _signin_activity(meeting_id: int) -> str:
        """Who signed in by phone and when; unrecognised addresses, flagged when many."""
        activity = signin_activity(meeting_id)
        if not activity.attempts:
            return ""
        lines = ["<h3>" + html.escape(_("Sign-in by phone")) + "</h3>"]
        if activity.signed:
            lines.append("<p>" + html.escape(_("Signed in by phone: {entries}.").format(
                entries=", ".join(f"{name} ({local_time(at)})"
                                  for name, at in activity.signed))) + "</p>")
        text = _("Attempts: {attempts} out of {limit}, then the sign-in by phone closes; "
                 "addresses not recognised: {n}.").format(
                     attempts=activity.attempts, limit=activity.limit, n=activity.unrecognised)
        if activity.closed:
            text += " " + _("It is closed: check the sheet at the entrance.")
        elif activity.unusual:
            text += " " + _("Unusual: someone may be trying addresses with the room's code; "
                            "check the sign-ins above against the room.")
        lines.append(status(text, error=activity.closed or activity.unusual))
        return "".join(lines)

    def _save_sheet(self) -> None:
        if self.meeting.value is None:
            self.message.value = status(_("Choose a meeting."), error=True)
            return
        try:
            record_attendance(self.meeting.value, {m: box.value for m, box in self.boxes})
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        present = sum(box.value for _m, box in self.boxes)
        self._refresh(keep=self.meeting.value)
        self.message.value = status(_("Meeting saved: {present} present out of {invited}.")
                                    .format(present=present, invited=len(self.boxes)))

    def _draw_stats(self) -> None:
        stats = attendance_stats(self.year.value)
        self.by_member.update((m, n, r) for m, n, r in stats.by_member)
        if not stats.meetings:
            self.stats.value = "<p>" + html.escape(_("No meeting this year.")) + "</p>"
            return
        flagged = ("<p>" + html.escape(_("Absent from three meetings in a row: {names}.")
                                       .format(names=", ".join(stats.flagged))) + "</p>"
                   if stats.flagged else "")
        self.stats.value = (
            table((_("Body"), _("Meetings"), _("Attendance rate (%)")),
                  [(b, n, french_number(r)) for b, n, r in stats.by_body], (1, 2))
            + flagged)
