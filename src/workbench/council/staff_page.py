"""The council's staff page: record a meeting's attendance (sign-in sheet) and the official
answers to recommendations. Personal data (members' names) stays on this staff page."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as w

from workbench.council.avis import load_ledger, record_answer
from workbench.council.follow_up import POSITIONS
from workbench.council.meetings import BODY_KINDS, add_meeting, create_body
from workbench.council.members import active_members
from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["CouncilPage"]


class CouncilPage:
    def __init__(self) -> None:
        self.message = w.HTML()
        self.body = w.Text(description=_("Body"), value="Assemblée plénière")
        self.kind = w.Dropdown(options=list(BODY_KINDS), description=_("Kind"))
        self.held_on = w.DatePicker(description=_("Date"), value=date.today())
        self.place = w.Text(description=_("Place"))
        self.members = active_members()
        self.present = [w.Checkbox(description=m.name, value=False, indent=False)
                        for m in self.members]
        save_meeting = w.Button(description=_("Save the meeting"), button_style="primary")
        save_meeting.on_click(lambda _b: self._save_meeting())
        pending = [e for e in load_ledger() if e.answered_on is None]
        self.recommendation = w.Dropdown(
            options=[(f"{e.id}. {e.text[:80]}", e.id) for e in pending],
            description=_("Recommendation"), layout={"width": "48em"})
        self.position = w.Dropdown(options=list(POSITIONS), description=_("Position"))
        self.answered_on = w.DatePicker(description=_("Date"), value=date.today())
        self.answer = w.Textarea(placeholder=_("Text of the answer."))
        save_answer = w.Button(description=_("Save the answer"), button_style="primary")
        save_answer.on_click(lambda _b: self._save_answer())
        self.root = w.VBox([
            w.HTML("<h1>" + html.escape(_("Council: meetings and answers")) + "</h1><h2>"
                   + html.escape(_("Sign-in sheet")) + "</h2>"),
            self.body, self.kind, self.held_on, self.place, w.VBox(self.present),
            save_meeting,
            w.HTML("<h2>" + html.escape(_("Official answers")) + "</h2>"),
            self.recommendation, self.position, self.answered_on, self.answer, save_answer,
            self.message])

    def _done(self, text: str) -> None:
        self.message.value = "<p role='status'>" + html.escape(text) + "</p>"

    def _failed(self, error: WorkbenchError) -> None:
        self.message.value = f"<p class='wb-error'>{html.escape(str(error))}</p>"

    def _save_meeting(self) -> None:
        try:
            if self.held_on.value is None:
                raise WorkbenchError(_("Give the date of the meeting."))
            body = create_body(self.body.value.strip() or "Assemblée plénière", self.kind.value)
            add_meeting(body, self.held_on.value, self.place.value, "",
                        {m.id: box.value for m, box in zip(self.members, self.present,
                                                           strict=True)})
        except WorkbenchError as error:
            self._failed(error)
            return
        present = sum(box.value for box in self.present)
        self._done(_("Meeting saved: {present} present out of {invited}.").format(
            present=present, invited=len(self.present)))

    def _save_answer(self) -> None:
        try:
            if self.recommendation.value is None or self.answered_on.value is None:
                raise WorkbenchError(_("Choose a recommendation and a date."))
            record_answer(self.recommendation.value, self.answered_on.value,
                          self.position.value, self.answer.value)
        except WorkbenchError as error:
            self._failed(error)
            return
        self._done(_("Answer recorded."))
