"""The participant page: access check, the form, submission and the receipt, wired together.

Framework-neutral: it takes the URL parameters as arguments and returns one widget, so the
same page can be served by Voilà or by a shared-process server. In a live workshop session
(``session=CODE``) it follows the facilitator: only released questions are shown, each round
of answers is stored as it is sent, and the page closes with the session.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import ipywidgets as w
from sqlalchemy.exc import SQLAlchemyError

from workbench.forms.access import AccessDenied, check_access, check_session
from workbench.forms.answers import AnswerErrors
from workbench.forms.client_id import BrowserSubmissionId
from workbench.forms.render import FormView, message_panel
from workbench.forms.submission import submit_response
from workbench.i18n import _
from workbench.storage import get_engine, read_connection, write_transaction
from workbench.storage.responses import answered_with_prefix, find_receipt
from workbench.storage.workshops import find_session, touch_presence
from workbench.web.live import every
from workbench.web.title import PageTitle, page_title

__all__ = ["QuestionnairePage"]

SESSION_POLL_S = 2.0  # a paced session: released questions appear within 2 s
OPEN_SESSION_POLL_S = 10.0  # all questions shown: only the closing and the presence to follow
PRESENCE_S = 10.0  # a presence mark every 10 s ("participants connectés", 45-s window)


class QuestionnairePage:
    """Everything one participant sees for ``slug`` (or a live ``session``).

    ``on_finished`` is called once when the page has nothing more to do (answer confirmed,
    session over, page refused) and the browser has shown it: the server may then free the
    page's resources (``workbench.web.release``); what is on screen stays.
    """

    def __init__(self, slug: str | None, token: str | None = None,
                 session: str | None = None,
                 on_finished: Callable[[], object] | None = None) -> None:
        self.slug, self.token = slug or "", token or None
        self.session_code = (session or "").strip().upper() or None
        self.engine = get_engine()
        self.view: FormView | None = None
        self.session_id: int | None = None
        self.answered: set[str] = set()
        self.session_released: set[str] = set()
        self.last_receipt = ""
        self.presence_id = uuid.uuid4().hex
        self._polls = 0
        self._presence_every = round(PRESENCE_S / SESSION_POLL_S)
        self.fallback_id = uuid.uuid4().hex
        self.on_finished = on_finished
        self.finished = self.released = False
        self.browser_id = BrowserSubmissionId(key=self._storage_key())
        self.browser_id.observe(self._browser_id_known, names="submission_id")
        self.title = PageTitle(title=page_title(_("Questionnaire")))
        self.root = w.VBox([self.browser_id, self.title])
        self.root.add_class("wb-page")
        self._open()

    def _finish(self) -> None:
        """Nothing more to do here: release once the browser has the page."""
        self.finished = True
        self._release_if_shown()

    def _release_if_shown(self) -> None:
        # The browser reports its stored id only once it has drawn the page: before that,
        # releasing the kernel could leave a blank page on a slow phone.
        if self.finished and not self.released and self.browser_id.submission_id:
            self.released = True
            if self.on_finished is not None:
                self.on_finished()

    def _storage_key(self) -> str:
        if self.session_code:
            return f"session:{self.session_code}"
        token_part = hashlib.sha256(self.token.encode()).hexdigest()[:12] if self.token else ""
        return f"{self.slug}:{token_part}"

    @property
    def submission_id(self) -> str:
        base = self.browser_id.submission_id or self.fallback_id
        if not self.session_code:
            return base
        # One id per round (the questions on screen), short enough for the column whatever
        # the number of questions: browser id (32) + session (6) + round digest (16).
        round_ = hashlib.sha256(",".join(sorted(self.view.asked)).encode()).hexdigest()[:16]
        return f"{base[:32]}:{self.session_code}:{round_}"

    def _open(self) -> None:
        if not self.slug and not self.session_code:
            self._stop(_("Questionnaire not found"),
                       _("This address names no questionnaire. Please check the link."))
            return
        try:
            with read_connection(self.engine) as conn:
                access = (check_session(conn, self.session_code) if self.session_code
                          else check_access(conn, self.slug, self.token))
        except AccessDenied as denied:
            self._stop(_("Questionnaire unavailable"), denied.reason)
            return
        except SQLAlchemyError:
            self._stop(_("Questionnaire unavailable"), _(
                "A technical problem prevents opening the questionnaire. Please try again in a "
                "few minutes."), forget=False)  # the draft will be there when it opens again
            return
        self.slug = access.version.slug
        self.session_id = access.session_id
        allowed = set(access.only) if access.only is not None else None
        self.view = FormView(access.spec, synthetic_demo=access.spec.synthetic_demo
                             and not self.session_code, allowed=allowed,
                             draft_key=self._storage_key())
        self.title.title = page_title(_("Questionnaire"), access.spec.title)
        self.view.on_submit(self._submit)
        self.root.children = [self.browser_id, self.title, self.view.widget]
        if self.session_code:
            self._waiting_note()
            # Every open page of a room polls: at 2 s for hundreds of pages, these reads were
            # most of the room's database and CPU load, so only a paced page polls that often.
            poll = SESSION_POLL_S if allowed is not None else OPEN_SESSION_POLL_S
            self._presence_every = max(1, round(PRESENCE_S / poll))
            every(poll, self._follow_session)

    def _browser_id_known(self, change) -> None:
        self._check_answered(change["new"])
        self._release_if_shown()

    def _check_answered(self, browser_id: str) -> None:
        """A reload after answering: show what is already recorded."""
        if self.view is None:
            return
        if self.session_code:
            with read_connection(self.engine) as conn:
                answered = answered_with_prefix(conn, f"{browser_id[:32]}:{self.session_code}:")
            if answered:
                self.browser_id.clear_drafts()
                self.answered |= answered
                self._after_round(_("Your answers are recorded."))
            return
        with read_connection(self.engine) as conn:
            receipt = find_receipt(conn, browser_id)
        if receipt:
            self.browser_id.clear_drafts()
            self.view.show_done(_("You have already answered"),
                                _("Your answer is recorded. Receipt no. {code}.").format(
                                    code=receipt))
            self.finished = True

    def _stop(self, title: str, text: str, forget: bool = True) -> None:
        if forget:  # nothing more to answer here: forget what was typed on this phone
            self.browser_id.clear_drafts()
        self.root.children = [self.browser_id, self.title, message_panel(title, text, "stop")]
        self._finish()

    # Live sessions ---------------------------------------------------------------------

    def _follow_session(self) -> None:
        """Poll the session: released questions, closing; mark this page as present."""
        self._polls += 1
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.session_code)
        if session is None or session.status != "open":
            if self.view is not None and not self.view.done:
                self.browser_id.clear_drafts()
                self.view.show_done(_("Session over"),
                                    _("The session is over. Thank you for taking part!"))
            self._finish()
            return
        if (self._polls - 1) % self._presence_every == 0:
            with write_transaction(self.engine) as conn:
                touch_presence(conn, session.id, self.presence_id,
                               datetime.now(UTC).replace(tzinfo=None))
        if session.paced and self.view is not None and not self.view.done:
            self.session_released = set(session.released)
            self.view.set_allowed(self.session_released - self.answered)
            self._waiting_note()

    def _waiting_note(self) -> None:
        if self.view is not None and self.view.allowed is not None and not self.view.asked:
            waiting = _("Waiting for the next question: it will appear here.")
            self.view.set_note(f"{self.last_receipt} {waiting}".strip())

    def _after_round(self, text: str) -> None:
        assert self.view is not None
        if self.view.allowed is None:
            self.view.show_done(_("Thank you!"), text)
            self._finish()
            return
        self.last_receipt = text
        self.view.set_allowed(self.view.allowed - self.answered)
        # Every question released and this round sent: nothing more can come to this page
        # (questions hidden by an earlier answer were part of their round).
        if self.session_released >= {q.id for q in self.view.spec.questions}:
            self.view.set_note(text + " " + _("You have answered every question: thank you!"))
            self._finish()
            return
        self.view.set_note(text + " " + _("The next questions will appear here."))

    # Submission ------------------------------------------------------------------------

    def _submit(self, raw: dict) -> None:
        assert self.view is not None
        try:
            receipt = submit_response(self.slug, self.submission_id, raw, token=self.token,
                                      session_code=self.session_code, engine=self.engine)
        except AnswerErrors as problems:
            self.view.show_errors(problems.errors)
            return
        except AccessDenied as denied:
            self.view.show_done(_("Answer not recorded"), denied.reason)
            return
        except SQLAlchemyError:
            self.view.show_errors({"_": _("A technical problem prevented saving; nothing was "
                                          "stored. Please try again in a moment.")})
            return
        self.view.show_errors({})
        self.browser_id.clear_drafts()
        self.answered |= set(raw)
        self._after_round(_("Your answer is recorded. Receipt no. {code}.").format(
            code=receipt.code))
