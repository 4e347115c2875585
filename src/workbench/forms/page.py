"""The participant page: access check, the form, submission and the receipt, wired together.

Framework-neutral: it takes the URL parameters as arguments and returns one widget, so the
same page can be served by Voilà or by a shared-process server.
"""

from __future__ import annotations

import hashlib
import uuid

import ipywidgets as w
from sqlalchemy.exc import SQLAlchemyError

from workbench.forms.access import AccessDenied, check_access
from workbench.forms.answers import AnswerErrors
from workbench.forms.client_id import BrowserSubmissionId
from workbench.forms.render import FormView, message_panel
from workbench.forms.submission import submit_response
from workbench.i18n import _
from workbench.storage import get_engine, read_connection
from workbench.storage.responses import find_receipt

__all__ = ["QuestionnairePage"]


class QuestionnairePage:
    """Everything one participant sees for ``slug`` (with an optional invitation ``token``)."""

    def __init__(self, slug: str | None, token: str | None = None) -> None:
        self.slug, self.token = slug or "", token or None
        self.engine = get_engine()
        self.view: FormView | None = None
        self.fallback_id = uuid.uuid4().hex
        self.browser_id = BrowserSubmissionId(key=self._storage_key())
        self.root = w.VBox([self.browser_id])
        self.root.add_class("wb-page")
        self._open()

    def _storage_key(self) -> str:
        token_part = hashlib.sha256(self.token.encode()).hexdigest()[:12] if self.token else ""
        return f"{self.slug}:{token_part}"

    @property
    def submission_id(self) -> str:
        return self.browser_id.submission_id or self.fallback_id

    def _open(self) -> None:
        if not self.slug:
            self._stop(_("Questionnaire not found"),
                       _("This address names no questionnaire. Please check the link."))
            return
        try:
            with read_connection(self.engine) as conn:
                access = check_access(conn, self.slug, self.token)
        except AccessDenied as denied:
            self._stop(_("Questionnaire unavailable"), denied.reason)
            return
        except SQLAlchemyError:
            self._stop(_("Questionnaire unavailable"), _(
                "A technical problem prevents opening the questionnaire. Please try again in a "
                "few minutes."))
            return
        self.view = FormView(access.spec, synthetic_demo=access.spec.synthetic_demo)
        self.view.on_submit(self._submit)
        self.root.children = [self.browser_id, self.view.widget]
        self.browser_id.observe(self._browser_id_known, names="submission_id")

    def _browser_id_known(self, change) -> None:
        with read_connection(self.engine) as conn:
            receipt = find_receipt(conn, change["new"])
        if receipt and self.view is not None:
            self.view.show_done(_("You have already answered"),
                                _("Your answer is recorded. Receipt no. {code}.").format(
                                    code=receipt))

    def _stop(self, title: str, text: str) -> None:
        self.root.children = [self.browser_id, message_panel(title, text, "stop")]

    def _submit(self, raw: dict) -> None:
        assert self.view is not None
        try:
            receipt = submit_response(self.slug, self.submission_id, raw, token=self.token,
                                      engine=self.engine)
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
        self.view.show_done(_("Thank you!"),
                            _("Your answer is recorded. Receipt no. {code}.").format(
                                code=receipt.code))
