"""The assessor's page (staff app): score the requests assigned to you, one at a time, with
the file's summary beside the grid; it opens on the first request not yet scored (resumable).

``commission.ipynb?edition=SLUG``. The assessor is the signed-in person: the edition's
assessor whose ``email`` is theirs (never a name from the address or the page); anyone else
is refused, and the staff who run the committee (who do not score) are sent to the
associations page. The scoring functions check the same again (``access.require_assessor``).
"""

from __future__ import annotations

import html

import ipywidgets as w
from sqlalchemy import select

from workbench.associations.access import not_an_assessor
from workbench.associations.grid import Assessor, Edition, load_edition
from workbench.associations.nomenclature import theme_of
from workbench.associations.requests import DOCUMENTS, required_documents
from workbench.associations.scoring import Assignment, assignments, own_scores, record_scores
from workbench.errors import WorkbenchError
from workbench.forms.issues import SpecError
from workbench.french import french_date, french_number, tidy
from workbench.i18n import _, ngettext
from workbench.staff.acting import Refused, current, require
from workbench.staff.roles import Permission
from workbench.storage import read_connection
from workbench.storage.schema import association, subsidy_request
from workbench.territory import commune_by_code
from workbench.web.choices import set_options
from workbench.web.field import Field
from workbench.web.markup import status

__all__ = ["CommitteePage", "file_summary"]


def _euros(value: float | None) -> str:
    return "—" if value is None else f"{french_number(tidy(value))} €"


def file_summary(request_id: int, engine=None) -> str:
    """The request's file as staff read it before scoring (escaped)."""
    with read_connection(engine) as conn:
        r = conn.execute(select(subsidy_request, association.c.title.label("name"),
                                association.c.commune, association.c.waldec,
                                association.c.rna)
                         .join(association, association.c.id == subsidy_request.c.association_id)
                         .where(subsidy_request.c.id == request_id)).one()
        history = conn.execute(select(subsidy_request.c.year, subsidy_request.c.amount_voted)
                               .where(subsidy_request.c.association_id == r.association_id,
                                      subsidy_request.c.year < r.year,
                                      subsidy_request.c.amount_voted.is_not(None))
                               .order_by(subsidy_request.c.year)).all()
    have = set(filter(None, r.documents.split("\n")))
    missing = [DOCUMENTS[c] for c in required_documents(r.kind, r.renewal) if c not in have]
    place = commune_by_code(r.commune or "")
    rna = r.rna or _("no RNA number")
    kind = [r.kind, _("renewal") if r.renewal else _("first request")]
    if r.multi_year:
        kind.append(_("multi-year"))
    facts = [
        (_("Association"), f"{r.name} ({rna})"),
        (_("Commune"), place.nom if place else "—"),
        (_("Theme"), theme_of(r.waldec).label),
        (_("Service"), r.service),
        (_("Request"), ", ".join(kind)),
        (_("Dates"), f"{french_date(r.start_on) if r.start_on else '—'} → "
                     f"{french_date(r.end_on) if r.end_on else '—'}"),
        (_("Total budget"), _euros(r.budget_total)),
        (_("Amount requested"), _euros(r.amount_requested)),
        (_("Other funders"), r.other_funders or "—"),
        (_("Earlier grants"), ", ".join(f"{y} : {_euros(a)}" for y, a in history) or "—"),
        (_("Documents missing"), ", ".join(missing) or _("none")),
    ]
    rows = "".join(f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(str(v))}</td>"
                   "</tr>" for k, v in facts)
    texts = "".join(f"<h4>{html.escape(label)}</h4><p>{html.escape(text)}</p>"
                    for label, text in ((_("Description"), r.description),
                                        (_("Objectives"), r.objectives),
                                        (_("Public"), r.public)) if text)
    return (f"<div class='wb-file'><h3>{html.escape(r.reference)} · {html.escape(r.title)}"
            f"</h3><table class='wb-table'>{rows}</table>{texts}</div>")


def signed_in_assessor(edition: Edition) -> Assessor:
    """The edition's assessor who is the signed-in person; else ``Refused`` saying why."""
    actor = current()
    runs_committee = bool(actor.label) and (actor.can(Permission.ASSOCIATIONS)
                                            or actor.can(Permission.COMMITTEE))
    for_assessors = Refused(_(
        "This page is for the committee's assessors: each scores the files assigned to them. "
        "The committee's results, adjustments and votes are on the associations page."))
    try:
        actor = require(Permission.SCORE)
    except Refused:
        if runs_committee:
            raise for_assessors from None
        raise
    person = edition.assessor_by_email(actor.label)
    if person is None:
        if runs_committee:
            raise for_assessors
        raise not_an_assessor(actor.label)
    return person


class CommitteePage:
    def __init__(self, edition: str | None) -> None:
        self.root = w.VBox()
        self.root.add_class("wb-committee")
        try:
            self.edition: Edition = load_edition(edition or "")
        except (SpecError, WorkbenchError):
            self.root.children = [w.HTML(status(_("Committee not found: open the link given "
                                                  "by the service."), error=True))]
            return
        try:
            self.assessor = signed_in_assessor(self.edition).name
        except Refused as refused:
            self.root.children = [w.HTML(status(str(refused), error=True))]
            return
        who = w.HTML("<p>" + html.escape(_("Assessor: {name}").format(name=self.assessor))
                     + "</p>")
        self.progress = w.HTML()
        self.request = w.Dropdown(description=_("File"), layout={"width": "48em"})
        self.request.observe(lambda _c: self._show(), "value")
        self.summary = w.HTML(layout={"width": "46%"})
        self.grid = w.VBox(layout={"width": "54%"})
        self.comment = w.Textarea(placeholder=_("Comment for the committee (optional)"),
                                  layout={"width": "100%"})
        save = w.Button(description=_("Save"), button_style="")
        save.on_click(lambda _b: self._save(advance=False))
        save_next = w.Button(description=_("Save and go to the next file"),
                             button_style="primary", layout={"width": "auto"})
        save_next.on_click(lambda _b: self._save(advance=True))
        self.message = w.HTML()
        self.root.children = [
            w.HTML(f"<h1>{html.escape(self.edition.title)}</h1>"), who, self.progress,
            self.request, w.HBox([self.summary, self.grid]), self.comment,
            w.HBox([save, save_next]), self.message]
        self.choices: dict[str, Field] = {}
        self._load()

    def _load(self, keep: int | None = None) -> None:
        try:
            self.items: list[Assignment] = assignments(self.edition, self.assessor)
        except WorkbenchError as error:  # the session ended, or the roles changed
            self.items = []
            self.progress.value = status(str(error), error=True)
            set_options(self.request, [])
            self._show()
            return
        done = sum(a.completed for a in self.items)
        self.progress.value = "<p class='wb-progress'>" + html.escape(
            _("{done} of {total} files scored.").format(done=done, total=len(self.items))
        ) + "</p>"
        first = next((a.request_id for a in self.items if not a.completed), None)
        set_options(self.request, [
            (f"{'✓ ' if a.completed else ''}{a.reference} · {a.association} · {a.service}",
             a.request_id) for a in self.items], keep or first)
        self._show()

    def _show(self) -> None:
        item = next((a for a in self.items if a.request_id == self.request.value), None)
        if item is None:
            self.summary.value, self.grid.children, self.choices = "", (), {}
            return
        try:
            given, comment = own_scores(self.edition, item.request_id, self.assessor)
        except WorkbenchError as error:
            self.summary.value, self.grid.children, self.choices = "", (), {}
            self.message.value = status(str(error), error=True)
            return
        self.summary.value = file_summary(item.request_id)
        scale = [str(v) for v in range(self.edition.scale.min, self.edition.scale.max + 1)]
        self.choices, blocks = {}, []
        for criterion in self.edition.criteria_for(item.service):
            weight = _("weight {w}").format(w=french_number(tidy(criterion.weight)))
            # Radios named by the criterion: a screen reader says which score is chosen.
            choice = Field("scale", f"{criterion.label} ({weight})", heading_level=3,
                           options=[(v, v) for v in scale], help=criterion.help or "",
                           value=str(given[criterion.id]) if criterion.id in given else None)
            meaning = w.HTML()

            def describe(_c=None, criterion=criterion, choice=choice, meaning=meaning) -> None:
                text = self.edition.descriptor(criterion, int(choice.value)) \
                    if choice.value is not None else ""
                meaning.value = f"<p class='wb-help' aria-live='polite'>{html.escape(text)}</p>"

            choice.observe(describe, "value")
            describe()
            self.choices[criterion.id] = choice
            blocks.append(w.VBox([choice, meaning]))
        legend = " · ".join(f"{v} : {self.edition.scale.labels[v]}"
                            for v in sorted(self.edition.scale.labels))
        self.grid.children = ([w.HTML(f"<p class='wb-help'>{html.escape(legend)}</p>")]
                              if legend else []) + blocks
        self.comment.value = comment
        self.message.value = ""

    def _save(self, advance: bool) -> None:
        if self.request.value is None:
            self.message.value = status(_("Choose a file."), error=True)
            return
        scores = {c: int(t.value) for c, t in self.choices.items() if t.value is not None}
        try:
            record_scores(self.edition, self.request.value, self.assessor, scores,
                          self.comment.value)
        except WorkbenchError as error:
            self.message.value = status(str(error), error=True)
            return
        current = self.request.value
        missing = len(self.choices) - len(scores)
        self._load(keep=None if advance and not missing else current)
        self.message.value = status(
            _("Saved.") if not missing else
            ngettext("Saved; {n} criterion still to score before this file counts as scored.",
                     "Saved; {n} criteria still to score before this file counts as scored.",
                     missing).format(n=missing))
