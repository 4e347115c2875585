"""The projected results page of a session: one card per question, refreshed live.

One query tells whether anything changed (responses count and last id, session state); only
then are all answers read, in one query for all questions, and the charts redrawn. Once the
session is closed, the page draws the final results, says so, and stops polling.

Each chart is one SVG image named for screen readers, followed by a visually hidden table of
the same figures; hidden categories are never named, only counted together (``others``).
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.forms.loader import spec_from_dict
from workbench.i18n import _, ngettext
from workbench.storage import get_engine, read_connection
from workbench.storage.workshops import find_session, session_answers, session_fingerprint
from workbench.web.live import every
from workbench.workshops.charts import (
    accessible_svg,
    chart_for,
    chart_svg,
    for_projection,
    has_data,
)
from workbench.workshops.participants import count_participants
from workbench.workshops.results import (
    NAMED_BY_ANSWERS,
    QuestionResult,
    aggregate,
    public_bars,
    small_cell_threshold,
)
from workbench.workshops.styles import style_tag

__all__ = ["ResultsPage", "result_card", "result_table", "state_line"]

REFRESH_S = 1.0


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _not_yet(threshold: int) -> str:
    return _("For now, fewer than {n} answers: the results will be shown from {n} answers "
             "on.").format(n=threshold)


def _secret_line(result: QuestionResult) -> str:
    """The hidden categories counted together, never named; no number when it must not be
    shown (choices that do not add up, or fewer people than the threshold)."""
    if result.others is None:
        return _("Some answers are hidden (s: statistical secret).")
    if result.kind in NAMED_BY_ANSWERS:
        return _("Other answers, grouped (statistical secret): {n}").format(n=result.others)
    return _("Hidden answers (s: statistical secret), together: {n}").format(n=result.others)


def result_table(result: QuestionResult) -> str:
    """The chart's figures as an HTML table with a caption (for screen readers)."""
    caption = html.escape(_("Answers to “{question}”").format(question=result.label))
    if result.kind in ("short_text", "long_text"):
        head = [_("Word"), _("Occurrences")]
        rows = [[word, str(n)] for word, n in result.words]
    elif result.kind in ("ranking", "points"):
        head = [_("Proposal"), _("Mean rank") if result.kind == "ranking" else _("Total points")]
        rows = [[b.label, _number(b.value)] for b in result.bars]
    else:
        head = [_("Answer"), _("Count"), _("Share (%)")]
        secret = _("s (statistical secret)")
        rows = [[b.label, secret if b.count is None else str(b.count),
                 "" if b.percent is None else _number(b.percent)]
                for b in public_bars(result)]
    header = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr><th scope='row'>" + html.escape(first) + "</th>"
                   + "".join(f"<td>{html.escape(cell)}</td>" for cell in rest) + "</tr>"
                   for first, *rest in rows)
    # Hidden in a wrapper: a table is never narrower than its content, so a hidden table
    # itself would still widen a phone's page.
    return (f"<div class='wb-sr-only'><table class='wb-result-table'><caption>{caption}"
            f"</caption><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>")


def result_card(result: QuestionResult, threshold: int) -> str:
    """The HTML of one question's card: escaped texts, the chart as a named inline SVG with
    its table, or a sentence when nothing may be drawn yet."""
    parts = [f"<h2>{html.escape(result.label)}</h2>"]
    if result.hidden:
        parts.append(f"<p class='wb-empty'>{html.escape(_not_yet(threshold))}</p>")
        return f"<section class='wb-card'>{''.join(parts)}</section>"
    count = ngettext("{n} answer", "{n} answers", result.total).format(n=result.total)
    parts.append(f"<p class='wb-count'>{html.escape(count)}</p>")
    chart = chart_for(result)
    if chart is not None:
        name = _("Chart of the answers to “{question}”; its figures are in the table that "
                 "follows.").format(question=result.label)
        svg = accessible_svg(chart_svg(for_projection(chart)), name)
        parts.append(f"<figure class='wb-chart'>{svg}{result_table(result)}</figure>")
    elif result.kind not in ("short_text", "long_text") and not has_data(result):
        parts.append("<p class='wb-empty'>" + html.escape(_(
            "Too few answers per option to show them without risking identifying someone: "
            "the results will be shown as more people answer.")) + "</p>")
    if has_data(result) and any(b.count is None for b in result.bars):
        parts.append(f"<p class='wb-hint'>{html.escape(_secret_line(result))}</p>")
    if result.latest:
        items = "".join(f"<li>{html.escape(text)}</li>" for text in result.latest)
        heading = html.escape(_("Latest answers:"))
        parts.append(f"<p class='wb-hint'>{heading}</p><ul class='wb-latest'>{items}</ul>")
    return f"<section class='wb-card'>{''.join(parts)}</section>"


def state_line(status: str, frozen: bool) -> str:
    """The session's state for the room, as a status element (read out when it changes)."""
    if status == "closed":
        kind, text = "closed", _("Session closed: these are the final results.")
    elif status == "draft":
        kind, text = "draft", _("The session has not started yet.")
    elif frozen:
        kind, text = "frozen", _("Results frozen for the discussion.")
    else:
        kind, text = "live", _("Live results")
    return (f"<p class='wb-state wb-state-{kind}' role='status'>{html.escape(text)}</p>")


class ResultsPage:
    """Live results of session ``code`` for the projector (public: small cells hidden)."""

    def __init__(self, code: str | None) -> None:
        self.code = (code or "").strip().upper()
        self.engine = get_engine()
        self.threshold = small_cell_threshold()
        self.header = w.HTML()
        self.banner = w.HTML()
        self.cards = w.HTML()
        self.cards.add_class("wb-cards")
        self.root = w.VBox([w.HTML(style_tag()), self.header, self.banner, self.cards])
        self.root.add_class("wb-results")
        self._seen: tuple | None = None
        self.closed = False
        self._task = None
        self.refresh()
        if not self.closed:
            self._task = every(REFRESH_S, self.refresh)

    def _stop(self) -> None:
        """The session is closed: its results will not change, stop asking."""
        self.closed = True
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def refresh(self) -> None:
        """Redraw if an answer arrived or the session changed (unless the results are frozen;
        a closed session's final results are always drawn)."""
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code) if self.code else None
            if session is None:
                self.header.value = "<h1>" + html.escape(_("Unknown session")) + "</h1>"
                return
            closed = session.status == "closed"
            state = (session_fingerprint(conn, session.id), session.status, session.released)
            self.banner.value = state_line(session.status, session.frozen)
            frozen = session.frozen and not closed
            if (frozen and self._seen is not None) or state == self._seen:
                if closed:
                    self._stop()
                return
            answers = session_answers(conn, session.id)
            people = count_participants(conn, session.id)
        self._seen = state
        spec = spec_from_dict(session.spec)
        shown = [q for q in spec.questions
                 if not session.paced or q.id in session.released]
        who = ngettext("{n} participant", "{n} participants", people).format(n=people)
        self.header.value = (f"<h1>{html.escape(session.title)}</h1><p class='wb-hint'>"
                             + html.escape(_("Session {code} · {people}").format(
                                 code=session.code, people=who)) + "</p>")
        if not shown:
            self.cards.value = "<p>" + html.escape(_("No question released yet.")) + "</p>"
        else:
            self.cards.value = "".join(
                result_card(aggregate(q, answers.get(q.id, []), self.threshold),
                            self.threshold)
                for q in shown)
        if closed:
            self._stop()
