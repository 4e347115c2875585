"""The facilitator console (staff app): create, open, pace, freeze, close (confirmed) and
reopen a session (within its window); closed sessions stay listed, with their export and
report, which runs in the background with its progress and a cancel button."""

from __future__ import annotations

import base64
import html
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.forms.loader import spec_from_dict
from workbench.i18n import _, ngettext
from workbench.staff.acting import Refused, require
from workbench.staff.roles import Permission
from workbench.storage import get_engine, read_connection
from workbench.storage.forms import published_titles
from workbench.storage.workshops import answer_counts, count_present, find_session, list_sessions
from workbench.web.background import BackgroundJob
from workbench.web.live import every
from workbench.web.markup import download_link
from workbench.web.markup import status as status_line
from workbench.web.urls import participant_session_url, results_url
from workbench.workshops import sessions
from workbench.workshops.qr import qr_svg

__all__ = ["FacilitatorConsole"]

REFRESH_S = 2.0

def _status(status: str) -> str:
    return {"draft": _("not opened yet"), "open": _("open"), "closed": _("closed")}[status]


SHOWN = {"current": ("draft", "open"), "closed": ("closed",), "all": ("draft", "open", "closed")}


def _session_label(session) -> str:
    label = _("{title} — {code} ({status})").format(
        title=session.title or _("untitled"), code=session.code, status=_status(session.status))
    if session.closed_at is not None and session.status == "closed":
        label += " — " + _("closed on {day}").format(day=session.closed_at.strftime(
            "%d/%m/%Y %H:%M"))
    return label


class FacilitatorConsole:
    """The console's widgets; ``public_base`` is the public app's address (for links and QR)."""

    def __init__(self, public_base: str, report=None) -> None:
        """``report(slug, code)``: the session report's documents by extension (the page
        gives ``workbench.reports.session.session_report``)."""
        self.public_base = public_base.rstrip("/")
        self.report = report
        self.engine = get_engine()
        self.code: str | None = None
        try:
            actor = require(Permission.SESSIONS, engine=self.engine)
        except Refused as refused:  # the refusal is the page's only content
            self.root = w.VBox([w.HTML(status_line(str(refused), error=True))])
            return
        self.message = w.HTML()
        self.message.add_class("wb-status")
        # Creating a session.
        self.form_choice = w.Dropdown(description=_("Questionnaire"), options=[])
        self.form_choice.observe(lambda c: setattr(self.form_choice, "tooltip",
                                                   c["new"] or ""), names="value")
        self.title = w.Text(description=_("Session title"),
                            placeholder=_("e.g. Workshop of 12 March, Paimpol"))
        self.paced = w.Checkbox(value=True, indent=False,
                                description=_("Release the questions one at a time"))
        self.create_button = w.Button(description=_("Create the session"), button_style="primary")
        self.create_button.on_click(lambda _b: self._act(self._create, needs_session=False))
        # Choosing and running a session.
        self.shown = w.Dropdown(options=[(_("Current and coming"), "current"),
                                         (_("Closed sessions"), "closed"),
                                         (_("Every session"), "all")],
                                value="current", description=_("Show"))
        self.shown.observe(lambda _c: self._load_choices(select=self.code), names="value")
        self.session_choice = w.Dropdown(description=_("Session"), options=[])
        self.session_choice.observe(lambda c: self._select(c["new"]), names="value")
        self.open_button = w.Button(description=_("Open the session"), button_style="success")
        self.close_button = w.Button(description=_("Close the session…"),
                                     button_style="danger",
                                     tooltip=_("Asks for a confirmation"))
        self.freeze_button = w.ToggleButton(description=_("Freeze the results"), value=False)
        self.open_button.on_click(lambda _b: self._open())
        self.close_button.on_click(lambda _b: self._ask_close())
        self.confirm_text = w.HTML()
        self.confirm_button = w.Button(description=_("Yes, close the session"),
                                       button_style="danger")
        self.confirm_button.on_click(lambda _b: self._close())
        keep = w.Button(description=_("No, keep it open"))
        keep.on_click(lambda _b: self._hide_confirm())
        self.confirm_box = w.VBox([self.confirm_text, w.HBox([self.confirm_button, keep])])
        self.confirm_box.add_class("wb-confirm")
        self.confirm_box.layout.display = "none"
        self.freeze_button.observe(lambda c: self._act(
            lambda: sessions.freeze_session(self.code, c["new"], self.engine)), names="value")
        self.export_button = w.Button(description=_("Export the answers (xlsx)"))
        self.export_button.on_click(lambda _b: self._act(self._export))
        if not actor.can(Permission.EXPORT):  # the answers' export is the analysts' (EXPORT)
            self.export_button.layout.display = "none"
        self.report_button = w.Button(description=_("Session report"),
                                      tooltip=_("Report of this session's answers: HTML, Word, "
                                                "Excel (about ten seconds)."))
        self.report_button.on_click(lambda _b: self._act(self._report))
        self.job = BackgroundJob(_("The session report"))
        self.status = w.HTML()
        self.links = w.HTML()
        self.counts = w.HTML()
        self.download = w.HTML()
        self.releases = w.VBox()
        actions = w.HBox([self.open_button, self.freeze_button, self.close_button])
        actions.add_class("wb-actions")
        documents = w.HBox([self.report_button, self.export_button])
        documents.add_class("wb-actions")
        self.session_box = w.VBox([
            self.status, actions, self.confirm_box, self.links, self.counts, self.releases,
            w.HTML("<h3>" + html.escape(_("Documents")) + "</h3>"), documents, self.job.root,
            self.download])
        self.root = w.VBox([
            w.HTML("<h1>" + html.escape(_("Facilitator console")) + "</h1>"),
            w.HTML("<h2>" + html.escape(_("Sessions")) + "</h2>"),
            self.shown, self.session_choice, self.message, self.session_box,
            w.HTML("<h2>" + html.escape(_("New session")) + "</h2>"),
            self.form_choice, self.title, self.paced, self.create_button])
        self.root.add_class("wb-console")
        for field in (self.shown, self.form_choice, self.title, self.session_choice):
            field.style.description_width = "11em"
            field.layout.width = "40em"
        self._load_choices()
        every(REFRESH_S, self.refresh)

    # Actions ---------------------------------------------------------------------------

    def _act(self, action, needs_session: bool = True, relabel: bool = False) -> None:
        """Run a staff action; its error becomes a French message, never a traceback."""
        if self.code is None and needs_session:
            self.message.value = html.escape(_("Choose or create a session first."))
            return
        try:
            action()
            self.message.value = ""
        except WorkbenchError as error:
            self.message.value = f"<span class='wb-error'>{html.escape(str(error))}</span>"
        if relabel:  # the session's status shows in the list
            self._load_choices(select=self.code)
        self.refresh()

    def _create(self) -> None:
        if not self.form_choice.value:
            raise WorkbenchError(_("Choose a published questionnaire first."))
        session = sessions.create_session(self.form_choice.value, self.title.value,
                                          self.paced.value, self.engine)
        self.title.value = ""
        self.shown.value = "current"
        self._load_choices(select=session.code)

    def _export(self) -> None:
        from workbench.forms.export import export_responses

        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"seance-{session.code}.xlsx"
            count = export_responses(session.slug, path, "xlsx", session.code, self.engine)
            payload = base64.b64encode(path.read_bytes()).decode()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        label = ngettext("Download ({n} response)", "Download ({n} responses)", count).format(
            n=count)
        self.download.value = (f"<a download='seance-{session.code}.xlsx' "
                               f"href='data:{mime};base64,{payload}'>{html.escape(label)}</a>")

    def _report(self) -> None:
        """Run the session's report (given by the page) in the background; offer its
        documents when it ends. The page stays usable meanwhile."""
        if self.report is None:
            raise WorkbenchError(_("Reports are not available on this page."))
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code)
        self.download.value = ""
        self.report_button.disabled = True
        self.job.start(lambda progress: self.report(session.slug, session.code, progress),
                       lambda documents: self._offer(session.code, documents),
                       self._report_failed)

    def _report_failed(self, message: str) -> None:
        self.report_button.disabled = False
        self.download.value = status_line(message, error=True)

    def _offer(self, code: str, documents: dict) -> None:
        self.report_button.disabled = False
        links = [download_link(f"rapport-seance-{code}.{extension}", path.read_bytes())
                 for extension, path in documents.items()]
        folder = next(iter(documents.values())).parent
        self.download.value = (html.escape(_("Report ready (also in {folder}):").format(
            folder=folder)) + " " + " · ".join(links))

    def _ask_close(self) -> None:
        if self.code is None:
            return
        self.confirm_text.value = "<p>" + html.escape(_(
            "Close session {code}? Participants can no longer answer; its answers, export "
            "and report stay. You can reopen it within {hours} hours.").format(
                code=self.code, hours=round(sessions.reopen_hours()))) + "</p>"
        self.confirm_box.layout.display = None

    def _hide_confirm(self) -> None:
        self.confirm_box.layout.display = "none"

    def _open(self) -> None:
        """Open, or reopen a closed session: it stays chosen, whatever the list shows."""
        if self.shown.value == "closed":
            self.shown.value = "all"
        self._act(lambda: sessions.open_session(self.code, self.engine), relabel=True)

    def _close(self) -> None:
        """Close (confirmed); the session stays chosen, with its documents and reopening."""
        self._hide_confirm()
        if self.shown.value == "current":
            self.shown.value = "all"
        self._act(lambda: sessions.close_session(self.code, self.engine), relabel=True)

    def _release(self, question_id: str, released: bool) -> None:
        if released:
            self._act(lambda: sessions.release(self.code, question_id, self.engine))
        else:
            self._act(lambda: sessions.withdraw(self.code, question_id, self.engine))

    # Display ---------------------------------------------------------------------------

    def _load_choices(self, select: str | None = None) -> None:
        with read_connection(self.engine) as conn:
            forms = published_titles(conn)
            found = [s for s in list_sessions(conn, include_closed=True)
                     if s.status in SHOWN[self.shown.value]]
        self.form_choice.options = forms
        if self.form_choice.value is None and forms:
            self.form_choice.value = forms[0][1]
        self.session_choice.options = [(_session_label(s), s.code) for s in found]
        if select is not None and select in {s.code for s in found}:
            self.session_choice.value = select
        elif found and self.session_choice.value is None:
            self.session_choice.value = found[0].code

    def _select(self, code: str | None) -> None:
        if code == self.code:
            return
        self.code = code
        self.download.value = ""
        self._draw_releases()
        self.refresh()

    def _draw_releases(self) -> None:
        if self.code is None:
            self.releases.children = []
            return
        session = sessions.get_session(self.code, self.engine)
        if not session.paced:
            self.releases.children = [w.HTML(html.escape(_(
                "All questions are shown as soon as the session opens.")))]
            return
        boxes = []
        for number, question in enumerate(spec_from_dict(session.spec).questions, start=1):
            box = w.Checkbox(value=question.id in session.released, indent=False,
                             description=f"{number}. {question.label}",
                             layout=w.Layout(width="auto"))
            box.observe(lambda c, qid=question.id: self._release(qid, c["new"]), names="value")
            boxes.append(box)
        self.releases.children = [w.HTML("<h3>" + html.escape(_("Released questions")) +
                                         "</h3>"), *boxes]

    def refresh(self) -> None:
        """Status, links and live counts of the chosen session."""
        self.session_box.layout.display = "none" if self.code is None else None
        if self.code is None:
            return
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code)
            present = count_present(conn, session.id, datetime.now(UTC).replace(tzinfo=None))
            counts = answer_counts(conn, session.id)
        self.status.value = ("<p>" + html.escape(_("Session {code}: {status}").format(
            code=session.code, status=_status(session.status))) + "</p>")
        until = sessions.reopen_until(session)
        self.open_button.description = (_("Reopen the session") if session.status == "closed"
                                         else _("Open the session"))
        self.open_button.disabled = session.status == "open" or (
            until is not None and datetime.now(UTC).replace(tzinfo=None) > until)
        self.open_button.tooltip = (_("Possible until {day}").format(
            day=until.strftime("%d/%m/%Y %H:%M")) if until else "")
        self.close_button.disabled = session.status != "open"
        self.freeze_button.disabled = session.status == "closed"
        if self.freeze_button.value != session.frozen:
            self.freeze_button.value = session.frozen
        participant = participant_session_url(self.public_base, session.code)
        results = results_url(self.public_base, session.code)
        projection = f"projection.ipynb?session={session.code}"
        self.links.value = (
            f"<div class='wb-qr'>{qr_svg(participant, scale=8)}</div>"
            + _link(_("Participants:"), participant)
            + _link(_("QR code to project:"), projection)
            + _link(_("Results to project:"), results))
        spec = spec_from_dict(session.spec)
        rows = "".join(f"<li>{html.escape(q.label)} : {counts.get(q.id, 0)}</li>"
                       for q in spec.questions if not session.paced or q.id in session.released)
        connected = ngettext("{n} participant connected", "{n} participants connected",
                             present).format(n=present)
        heading = _("Answers per question:")
        self.counts.value = (f"<p class='wb-live'>{html.escape(connected)}</p>"
                             f"{_room()}"
                             f"<p>{html.escape(heading)}</p><ul>{rows}</ul>")


def _link(caption: str, url: str) -> str:
    safe = html.escape(url)
    return f"<p>{html.escape(caption)} <a href='{safe}' target='_blank'>{safe}</a></p>"


def _room() -> str:
    """"Salle prête : N places" when the public app keeps pages preheated."""
    import os

    from workbench.web.pool import ready_count

    expected = int(os.environ.get("WORKBENCH_EXPECTED", "0") or 0)
    if not expected:
        return ""
    ready = ready_count()
    text = (_("Room ready: {n} places") if ready >= expected
            else _("Preparing the room: {n} of {expected} places ready")).format(
                n=ready, expected=expected)
    return f"<p class='wb-room'>{html.escape(text)}</p>"
