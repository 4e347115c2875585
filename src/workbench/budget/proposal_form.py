"""The proposal form of the participatory budget's public page (proposal phase)."""

from __future__ import annotations

import html
import logging

import ipywidgets as w

from workbench.budget.proposals import (
    CATEGORIES,
    Proposal,
    ProposalErrors,
    category_label,
    submit_proposal,
)
from workbench.budget.voting import BallotError
from workbench.forms.render import message_panel
from workbench.i18n import _
from workbench.rgpd.consent import RECONTACT
from workbench.rgpd.notice import consent_text, notice_html
from workbench.territory.communes import communes
from workbench.web.field import Field
from workbench.web.markup import status

__all__ = ["ProposalForm"]

WHOLE = "agglomeration"


class ProposalForm:
    def __init__(self, slug: str, edition, browser_id, fallback_id: str) -> None:
        self.slug, self.browser_id, self.fallback_id = slug, browser_id, fallback_id
        draft = f"budget:{slug}:depot"
        self.fields = {
            "title": Field("text", _("Title of the project"), required=True, heading_level=3,
                           props={"maxlength": 120}, draft_key=draft + ":titre"),
            "description": Field("textarea", _("What is it, for whom, where?"), required=True,
                                 heading_level=3, props={"maxlength": 2000},
                                 draft_key=draft + ":description"),
            "commune": Field("select", _("Where"), required=True, heading_level=3,
                             options=[[_("whole Agglomération"), WHOLE]]
                             + [[c.nom, c.code_insee] for c in communes()],
                             props={"placeholder": _("— choose a commune —")},
                             draft_key=draft + ":commune"),
            "category": Field("select", _("Theme"), required=True, heading_level=3,
                              options=[[category_label(c), c] for c in CATEGORIES],
                              props={"placeholder": _("— choose a theme —")},
                              draft_key=draft + ":theme"),
            "cost": Field("number", _("Estimated cost, in euros"), required=True,
                          heading_level=3, hint=_("A rough figure: the services will make "
                                                  "their own estimate."),
                          props={"min": 100, "max": 10_000_000, "inputmode": "numeric"},
                          draft_key=draft + ":cout"),
            "name": Field("text", _("Your first and last name"), required=True,
                          heading_level=3, props={"autocomplete": "name", "maxlength": 120}),
            "email": Field("email", _("Your e-mail"), heading_level=3,
                           props={"autocomplete": "email", "maxlength": 254}),
            "phone": Field("tel", _("Or your phone number"), heading_level=3,
                           props={"autocomplete": "tel", "maxlength": 20}),
            "recontact": Field("checkbox", _("The next consultations (optional)"),
                               heading_level=3, options=[[consent_text(RECONTACT), "oui"]],
                               hint=_("Your e-mail is then kept apart from your project "
                                      "until you withdraw this consent, at most 3 years.")),
        }
        why = _("Your contact details are used only by the services to call you back about "
                "your project. They never appear on a public page or in a published file, "
                "and they are deleted one year after the results.")
        intro = _("Propose a project for the territory until {day}. The services will study "
                  "each proposal; the received projects are put to the vote.").format(
            day=edition.proposals_close.strftime("%d/%m/%Y"))
        button = w.Button(description=_("Propose the project"), button_style="primary")
        button.add_class("wb-submit")
        button.on_click(lambda _b: self._send())
        self.status = w.HTML()
        project, contact = _("Your project"), _("How to reach you")
        self.root = w.VBox([
            w.HTML(f"<h1 class='wb-title'>{html.escape(edition.title)}</h1>"
                   f"<p class='wb-intro'>{html.escape(intro)}</p>"
                   f"<h2>{html.escape(project)}</h2>"),
            *[self.fields[k] for k in ("title", "description", "commune", "category",
                                       "cost")],
            w.HTML(f"<h2>{html.escape(contact)}</h2>"
                   f"<p class='wb-hint'>{html.escape(why)}</p>"),
            *[self.fields[k] for k in ("name", "email", "phone", "recontact")],
            w.HTML(notice_html("budget-participatif", ("porteurs",),
                               also=((RECONTACT, ()),))), button, self.status])

    def _ticked(self, key: str) -> bool:
        """A one-box checkbox field: its value is {"choices": [...], "other": ...}."""
        value = self.fields[key].value
        return isinstance(value, dict) and "oui" in (value.get("choices") or [])

    def _text(self, key: str) -> str:
        return str(self.fields[key].value or "").strip()

    def _send(self) -> None:
        text = str(self.fields["cost"].value or "").strip().replace(",", ".")
        try:
            cost = float(text) if len(text) <= 12 else None
        except ValueError:
            cost = None
        if cost is not None and cost != cost:  # NaN
            cost = None
        commune = self._text("commune")
        proposal = Proposal(self._text("title"), self._text("description"),
                            None if commune == WHOLE else commune or "?",  # "?": not chosen
                            self._text("category"), cost, self._text("name"),
                            self._text("email"), self._text("phone"),
                            self._ticked("recontact"))
        for field in self.fields.values():
            field.error = ""
        try:
            number = submit_proposal(self.slug, proposal, submission_id=(
                self.browser_id.submission_id or self.fallback_id))
        except ProposalErrors as wrong:
            for key, message in wrong.errors.items():
                self.fields[key].error = message
            first = next(k for k in self.fields if k in wrong.errors)
            self.fields[first].request_focus()
            self.status.value = status(_("Please correct the fields marked."), error=True)
            return
        except BallotError as refused:
            self.status.value = status(str(refused), error=True)
            return
        except Exception:  # a database or programming error: a French sentence, no trace
            logging.getLogger(__name__).exception("budget: a proposal could not be stored")
            self.status.value = status(_(
                "A technical problem prevented recording your project. Please try again in "
                "a few minutes."), error=True)
            return
        self.browser_id.clear_drafts()
        self.root.children = [self.root.children[0], message_panel(
            _("Your project is proposed"), _(
                "Thank you. Your project is number {number}: the services will study it and "
                "may call you back.").format(number=number), "info")]
