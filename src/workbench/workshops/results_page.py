"""The projected results page of a session: one card per question, refreshed live.

One query tells whether anything changed (responses count and last id, session state); only
then are all answers read, in one query for all questions, and the charts redrawn.
"""

from __future__ import annotations

import html

import ipywidgets as w

from workbench.forms.loader import spec_from_dict
from workbench.i18n import _, ngettext
from workbench.storage import get_engine, read_connection
from workbench.storage.workshops import find_session, session_answers, session_fingerprint
from workbench.web.live import every
from workbench.workshops.charts import chart_for, chart_svg
from workbench.workshops.results import QuestionResult, aggregate, small_cell_threshold

__all__ = ["ResultsPage", "result_card"]

REFRESH_S = 1.0


def _count_text(total: int, threshold: int) -> str:
    if total < threshold:
        return _("fewer than {n} answers: results hidden to protect privacy").format(
            n=threshold)
    return ngettext("{n} answer", "{n} answers", total).format(n=total)


def result_card(result: QuestionResult, threshold: int) -> str:
    """The HTML of one question's card: escaped texts, the chart as inline SVG."""
    parts = [f"<h2>{html.escape(result.label)}</h2>",
             f"<p class='wb-count'>{html.escape(_count_text(result.total, threshold))}</p>"]
    if not result.hidden:
        chart = chart_for(result)
        if chart is not None:
            parts.append(f"<div class='wb-chart'>{chart_svg(chart)}</div>")
        suppressed = [b.label for b in result.bars if b.count is None]
        if suppressed:
            parts.append("<p class='wb-hint'>" + html.escape(
                _("Hidden (statistical secret: fewer than {n} people, or hidden so that a "
                  "small count cannot be deduced): {labels}").format(
                    n=threshold, labels=", ".join(suppressed)))
                + "</p>")
        if result.latest:
            items = "".join(f"<li>{html.escape(text)}</li>" for text in result.latest)
            heading = html.escape(_("Latest answers:"))
            parts.append(f"<p class='wb-hint'>{heading}</p><ul class='wb-latest'>{items}</ul>")
    return f"<section class='wb-card'>{''.join(parts)}</section>"


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
        self.root = w.VBox([self.header, self.banner, self.cards])
        self.root.add_class("wb-results")
        self._seen: tuple | None = None
        self.refresh()
        every(REFRESH_S, self.refresh)

    def refresh(self) -> None:
        """Redraw if an answer arrived or the session changed (unless the results are frozen)."""
        with read_connection(self.engine) as conn:
            session = find_session(conn, self.code) if self.code else None
            if session is None:
                self.header.value = "<h1>" + html.escape(_("Unknown session")) + "</h1>"
                return
            state = (session_fingerprint(conn, session.id), session.status, session.released)
            self.banner.value = ("<p class='wb-frozen' role='status'>" + html.escape(
                _("Results frozen for the discussion.")) + "</p>") if session.frozen else ""
            if (session.frozen and self._seen is not None) or state == self._seen:
                return
            answers = session_answers(conn, session.id)
        self._seen = state
        spec = spec_from_dict(session.spec)
        shown = [q for q in spec.questions
                 if not session.paced or q.id in session.released]
        self.header.value = (f"<h1>{html.escape(session.title)}</h1><p class='wb-hint'>"
                             + html.escape(_("Session {code} · live results").format(
                                 code=session.code)) + "</p>")
        if not shown:
            self.cards.value = "<p>" + html.escape(_("No question released yet.")) + "</p>"
            return
        self.cards.value = "".join(
            result_card(aggregate(q, answers.get(q.id, []), self.threshold), self.threshold)
            for q in shown)
