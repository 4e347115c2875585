"""Charts of question results (altair), rendered to SVG locally (vl-convert): no CDN, no JS."""

from __future__ import annotations

import altair as alt

from workbench.i18n import _
from workbench.reports import render_charts
from workbench.workshops.results import QuestionResult

__all__ = ["chart_for", "chart_svg"]

WIDTH = 560
LIKERT_COLOURS = ["#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac", "#e0e0e0"]


def _visible(result: QuestionResult) -> list[dict]:
    return [{"key": b.key, "label": b.label, "count": b.count, "percent": b.percent,
             "value": b.value, "order": i, "text": _bar_text(b)}
            for i, b in enumerate(result.bars) if b.count is not None]


def _bar_text(bar) -> str:
    if bar.value is not None:
        return f"{bar.value:g}".replace(".", ",")
    return f"{bar.count} ({bar.percent:.0f} %)" if bar.percent is not None else str(bar.count)


def _likert(result: QuestionResult) -> alt.Chart:
    """Diverging stacked bar: disagreement left of zero, agreement right, neutral centred."""
    rows, left = [], 0.0
    bars = [b for b in result.bars if b.key != "nsp"]
    shown = [b.percent or 0.0 for b in bars]
    left = -(shown[0] + shown[1] + shown[2] / 2) if len(shown) == 5 else 0.0
    for i, bar in enumerate(bars):
        share = bar.percent or 0.0
        rows.append({"label": bar.label, "start": left, "end": left + share, "order": i,
                     "text": "s" if bar.count is None else f"{share:.0f} %"})
        left += share
    scale = alt.Scale(domain=[b.label for b in bars], range=LIKERT_COLOURS[:len(bars)])
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.value(20), x=alt.X("start:Q", title=_("answers (%)"), scale=alt.Scale(
            domain=[-100, 100])), x2="end:Q")
    bars_layer = base.mark_bar(height=36).encode(
        color=alt.Color("label:N", scale=scale, sort=None,
                        legend=alt.Legend(title=None, orient="bottom", columns=3)),
        order="order:Q")
    return bars_layer.properties(width=WIDTH, height=40)


def _bars(result: QuestionResult, field: str, title: str) -> alt.Chart:
    data = alt.Data(values=_visible(result))
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None,
                axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{field}:Q", title=title))
    labels = base.mark_text(align="left", dx=4).encode(text="text:N")
    return (base.mark_bar(color="#005f73") + labels).properties(
        width=WIDTH - 260, height=alt.Step(26))


def _histogram(result: QuestionResult) -> alt.Chart:
    data = alt.Data(values=_visible(result))
    bars = alt.Chart(data).mark_bar(color="#005f73").encode(
        x=alt.X("label:N", sort=alt.EncodingSortField("order"), title=None,
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("count:Q", title=_("answers")))
    return bars.properties(width=WIDTH, height=180, title=_("Median: {median}").format(
        median=f"{result.median:g}".replace(".", ",")))


def _words(result: QuestionResult) -> alt.Chart:
    data = alt.Data(values=[{"word": w, "count": n, "order": i}
                            for i, (w, n) in enumerate(result.words)])
    return alt.Chart(data).mark_bar(color="#0a9396").encode(
        y=alt.Y("word:N", sort=alt.EncodingSortField("order"), title=None),
        x=alt.X("count:Q", title=_("occurrences"))).properties(width=WIDTH - 200,
                                                                height=alt.Step(22))


def chart_for(result: QuestionResult) -> alt.Chart | None:
    """The chart for a result, or None when there is nothing to draw."""
    if result.hidden:
        return None
    match result.kind:
        case "likert":
            return _likert(result)
        case "single_choice" | "multiple_choice" | "commune" | "date":
            return _bars(result, "count", _("answers"))
        case "scale" | "number":
            return _histogram(result)
        case "ranking":
            return _bars(result, "value", _("mean rank (1 = first)"))
        case "points":
            return _bars(result, "value", _("total points"))
        case "short_text" | "long_text":
            return _words(result) if result.words else None
    return None


def chart_svg(chart: alt.Chart) -> str:
    """The chart as an SVG document (rendered here, nothing fetched)."""
    return render_charts.chart_svg(chart.to_dict())
