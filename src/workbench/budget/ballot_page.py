"""The participatory budget's public page (``budget.ipynb?edition=SLUG&t=CODE``): during the
vote, the ballot; otherwise, when the next phase opens. Phone-first, light imports.

The ballot lists the received projects (title, commune, cost, description). As the voter
ticks projects, a status line says what is left of the envelope; a choice that overspends is
refused at once in French (and again by the server: ``voting.cast_ballot``). "Voter" stores
the ballot and shows a receipt; a second vote with the same code is refused.
"""

from __future__ import annotations

import html
import logging
import uuid
from datetime import date
from fractions import Fraction

import ipywidgets as w
from sqlalchemy import select

from workbench.budget.errors import ElectionError
from workbench.budget.money import euros
from workbench.budget.voting import BallotError, Declaration, cast_ballot
from workbench.forms.client_id import BrowserSubmissionId
from workbench.forms.render import message_panel
from workbench.i18n import _, ngettext
from workbench.storage import read_connection
from workbench.storage.schema import pb_edition, pb_project
from workbench.territory.clock import local_today
from workbench.territory.communes import commune_by_code, communes
from workbench.web.field import Field
from workbench.web.markup import status
from workbench.web.title import PageTitle, page_title

__all__ = ["BallotPage"]


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


class BallotPage:
    def __init__(self, edition: str | None, token: str | None = None) -> None:
        self.slug, self.token = edition or "", (token or "").strip() or None
        self.title = PageTitle(title=page_title(_("Participatory budget")))
        self.browser_id = BrowserSubmissionId(key=f"budget:{self.slug}")
        self.fallback_id = uuid.uuid4().hex  # until the browser has given its own
        self.root = w.VBox([self.browser_id, self.title])
        self.root.add_class("wb-page")
        with read_connection() as conn:
            self.edition = conn.execute(select(pb_edition).where(
                pb_edition.c.slug == self.slug)).first()
            self.projects = [] if self.edition is None else conn.execute(
                select(pb_project).where(pb_project.c.edition_id == self.edition.id,
                                         pb_project.c.status == "recevable")
                .order_by(pb_project.c.id)).all()
        if self.edition is None:
            self._show(message_panel(_("Participatory budget not found"), _(
                "This address names no participatory budget. Please check the link."), "stop"))
            return
        self.title.title = page_title(self.edition.title)
        today = local_today()
        opens, closes = self.edition.vote_open, self.edition.vote_close
        proposals = (self.edition.proposals_open, self.edition.proposals_close)
        if all(proposals) and proposals[0] <= today <= proposals[1]:
            from workbench.budget.proposal_form import ProposalForm

            self.form = ProposalForm(self.slug, self.edition, self.browser_id,
                                     self.fallback_id)
            self._show(self.form.root)
        elif proposals[0] and today < proposals[0]:
            self._show(message_panel(_("Proposals are not open yet"), _(
                "Proposals open on {day}.").format(day=_day(proposals[0])), "info"))
        elif opens and closes and opens <= today <= closes:
            self._ballot()
        elif opens and today < opens:
            from workbench.budget.results_view import projects_list_html

            self._show(message_panel(_("The vote is not open yet"), _(
                "The vote opens on {day}.").format(day=_day(opens)), "info"),
                w.HTML(projects_list_html(self.slug)))
        elif self._has_ballots():
            from workbench.budget.results import edition_results
            from workbench.budget.results_view import results_html

            self._show(w.HTML(results_html(edition_results(self.slug))))
        else:
            self._show(message_panel(_("The vote is closed"), _(
                "The vote is closed: the results will be published here.") if closes is None
                else _("The vote closed on {day}: the results will be published here.")
                .format(day=_day(closes)), "info"))

    def _has_ballots(self) -> bool:
        from sqlalchemy import func

        from workbench.storage.schema import pb_ballot

        with read_connection() as conn:
            return bool(conn.scalar(select(func.count()).select_from(pb_ballot).where(
                pb_ballot.c.edition_id == self.edition.id)))

    def _show(self, *widgets: w.Widget) -> None:
        self.root.children = [self.browser_id, self.title, *widgets]

    def _header(self) -> w.HTML:
        edition = self.edition
        rules = []
        if edition.max_projects:
            rules.append(ngettext("at most {n} project", "at most {n} projects",
                                  edition.max_projects).format(n=edition.max_projects))
        if edition.max_cost:
            rules.append(_("within {amount}").format(amount=euros(edition.max_cost)))
        intro = _("Tick the projects you want funded, {rules}. The vote is open until {day}; "
                  "your ballot is secret.").format(rules=", ".join(rules) or _("as many as "
                                                                              "you like"),
                                                   day=_day(edition.vote_close))
        demo = ""
        if edition.source == "synthetique":
            demo = "<p class='wb-demo'>" + html.escape(_(
                "Demonstration: the projects are fictitious and the ballots already counted "
                "are synthetic.")) + "</p>"
        return w.HTML(f"<h1 class='wb-title'>{html.escape(edition.title)}</h1>"
                      f"<p class='wb-intro'>{html.escape(intro)}</p>{demo}")

    def _label(self, project) -> str:
        place = commune_by_code(project.commune) if project.commune else None
        where = place.nom if place else _("whole Agglomération")
        return f"{project.title} — {where} — {euros(project.cost)}"

    def _ballot(self) -> None:
        self.costs = {p.id: Fraction(str(p.cost)) for p in self.projects}
        options = [[self._label(p), str(p.id)] for p in self.projects]
        self.cumulative = self.edition.ballot_kind == "cumulative"
        if self.cumulative:
            hint = _("Share up to {total} points between the projects you support.").format(
                total=self.edition.points)
            if self.edition.max_points_per_project:
                hint += " " + _("At most {n} points on one project.").format(
                    n=self.edition.max_points_per_project)
            self.choice = Field("points", _("Your points"), options=options, hint=hint,
                                props={"total": self.edition.points or 0}, value={},
                                heading_level=2, draft_key=f"budget:{self.slug}:points")
        else:
            props = {}
            if self.edition.max_projects:
                props.update(max_selections=self.edition.max_projects, max_text=_(
                    "You have chosen the maximum number of projects: untick one to change."))
            self.choice = Field("checkbox", _("Your projects"), options=options, props=props,
                                value={"choices": [], "other": None}, heading_level=2,
                                draft_key=f"budget:{self.slug}:choix")
        self.choice.observe(lambda _change: self._changed(), names="value")
        details = "".join(
            f"<details><summary>{html.escape(p.title)}</summary>"
            f"<p>{html.escape(p.description or '')}</p></details>" for p in self.projects)
        self.details = w.HTML("<h2>" + html.escape(_("The projects in detail")) + "</h2>"
                              + details)
        self.code = self.name = self.birth_year = self.commune = None
        self.left = w.HTML()
        self.left.add_class("wb-progress")
        widgets: list[w.Widget] = [self._header(), self.left, self.choice]
        if self.edition.eligibility == "declared":
            why = _("Asked only to check that each person votes once (a coded trace is kept "
                    "two months after the results, never your name), and that you are {n} or "
                    "older.")
            widgets.append(w.HTML("<h2>" + html.escape(_("Who votes")) + "</h2><p class="
                                  "'wb-hint'>" + html.escape(why.format(
                                      n=self.edition.min_age or 0)) + "</p>"))
            self.name = Field("text", _("Your first and last name"), required=True,
                              heading_level=3, props={"autocomplete": "name",
                                                      "maxlength": 120})
            self.birth_year = Field("number", _("Your year of birth"), required=True,
                                    heading_level=3, props={"min": 1900, "max": 2030,
                                                            "autocomplete": "bday-year"})
            self.commune = Field("select", _("Your commune"), required=True, heading_level=3,
                                 options=[[c.nom, c.code_insee] for c in communes()],
                                 props={"placeholder": _("— choose your commune —")})
            from workbench.rgpd.notice import notice_html

            widgets += [self.name, self.birth_year, self.commune,
                        w.HTML(notice_html("budget-participatif", ("liste-votants",)))]
        elif self.token is None:
            self.code = Field("text", _("Your voting code"), required=True, heading_level=2,
                              hint=_("The code printed on the letter you received."),
                              props={"autocomplete": "off", "maxlength": 64})
            widgets.append(self.code)
        self.button = w.Button(description=_("Vote"), button_style="primary")
        self.button.add_class("wb-submit")
        self.button.on_click(lambda _b: self._vote())
        self.status = w.HTML()
        widgets += [self.button, self.status, self.details]
        self._show(*widgets)
        self._changed()

    def _chosen(self) -> dict[int, int]:
        value = self.choice.value or {}
        known = {str(p): p for p in self.costs}
        if not isinstance(value, dict):
            return {}  # whatever a page sends, never a traceback
        if self.cumulative:
            given = {}
            for key, text in value.items():
                text = str(text if text is not None else "").strip()
                if key in known and text:
                    whole = text.isascii() and text.isdigit() and len(text) <= 6
                    given[known[key]] = int(text) if whole else -1
            return {p: n for p, n in given.items() if n != 0}
        choices = value.get("choices")
        if not isinstance(choices, list):
            return {}
        return {known[v]: 1 for v in choices if isinstance(v, str) and v in known}

    def _changed(self) -> None:
        chosen = self._chosen()
        if self.cumulative:
            edition, spent = self.edition, sum(chosen.values())
            most = edition.max_points_per_project
            if any(n < 0 for n in chosen.values()):
                self.choice.error = _("Points are whole numbers from 1.")
            elif most and any(n > most for n in chosen.values()):
                self.choice.error = _("At most {n} points on one project.").format(n=most)
            elif edition.points and spent > edition.points:
                self.choice.error = _("You have {n} points to share, not {given}.").format(
                    n=edition.points, given=spent)
            else:
                self.choice.error = ""
            self.left.value = status(ngettext(
                "{n} project supported", "{n} projects supported", len(chosen)).format(
                n=len(chosen)))
            return
        spent = sum((self.costs[p] for p in chosen), Fraction(0))
        parts = [ngettext("{n} project chosen", "{n} projects chosen", len(chosen))
                 .format(n=len(chosen))]
        limit = self.edition.max_cost
        if limit:
            left = Fraction(str(limit)) - spent
            parts.append(_("{left} left of {limit}").format(
                left=euros(max(left, Fraction(0))), limit=euros(limit)))
            if left < 0:
                self.choice.error = _(
                    "These projects cost {total}, more than the {limit} you can share: "
                    "untick a project.").format(total=euros(spent), limit=euros(limit))
            else:
                self.choice.error = ""
        self.left.value = status(" · ".join(parts))

    def _declaration(self) -> Declaration | None:
        if self.name is None:
            return None
        text = str(self.birth_year.value or "").strip()
        year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else 0
        return Declaration(str(self.name.value or ""), year, str(self.commune.value or ""))

    def _vote(self) -> None:
        chosen = self._chosen()
        token = self.token
        if self.code is not None:
            token = str(self.code.value or "").strip()
            self.code.error = "" if token else _("Give your voting code.")
            if not token:
                self.code.request_focus()
                return
        if self.choice.error:
            self.choice.request_focus()
            return
        self.button.disabled = True
        try:
            receipt = cast_ballot(self.slug, chosen, token=token,
                                  declaration=self._declaration(),
                                  submission_id=self.browser_id.submission_id
                                  or self.fallback_id)
        except BallotError as refused:
            self.status.value = status(str(refused), error=True)
            self.button.disabled = False
            return
        except ElectionError as error:
            self.status.value = status(str(error), error=True)
            self.button.disabled = False
            return
        except Exception:  # a database or programming error: a French sentence, no trace
            logging.getLogger(__name__).exception("budget: a ballot could not be stored")
            self.status.value = status(_(
                "A technical problem prevented recording your vote. Please try again in a "
                "few minutes."), error=True)
            self.button.disabled = False
            return
        self.browser_id.clear_drafts()
        self._show(self._header(), message_panel(
            _("Your vote is recorded"), _("Thank you. Receipt no. {receipt}: keep it to check "
                                          "that your ballot was counted.").format(
                receipt=receipt), "info"))
