"""Charts of question results (altair), rendered to SVG locally (vl-convert): no CDN, no JS.

Categories keep their place on the axis whatever their count: a scale reads 0 to 10 and a
Likert question its levels in order, zeros drawn as zeros and secret counts marked "s"
(``results.public_bars``). ``for_projection`` sets large dark type for the projected page and
``accessible_svg`` names the SVG for screen readers (the figures go in a table beside it).
"""

from __future__ import annotations

import html
import re

import altair as alt

from workbench.documents import render_charts
from workbench.i18n import _
from workbench.workshops.results import QuestionResult, public_bars

__all__ = ["SECRET", "accessible_svg", "chart_for", "chart_svg", "for_projection", "has_data"]

WIDTH = 560
INK = "#1d2733"  # text: 15:1 on white
BAR = "#005f73"
SECRET = "s"
LIKERT_COLOURS = ["#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac", "#e0e0e0"]
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
GROWTH = 1.5  # how much larger than drawn a chart may be shown on a wide screen
COUNTED = ("likert", "single_choice", "multiple_choice", "commune", "date", "scale", "number")


def _rows(result: QuestionResult) -> list[dict]:
    """One row per category in its order; a hidden count is drawn as 0 and labelled "s"."""
    return [{"key": b.key, "label": b.label, "count": b.count, "percent": b.percent,
             "value": b.value, "order": i, "text": _bar_text(b),
             "short": SECRET if b.count is None else str(b.count),
             "x": (b.value if b.value is not None else b.count) or 0}
            for i, b in enumerate(public_bars(result))]


def _bar_text(bar) -> str:
    if bar.value is not None:
        return f"{bar.value:g}".replace(".", ",")
    if bar.count is None:
        return SECRET
    return f"{bar.count} ({bar.percent:.0f} %)" if bar.percent is not None else str(bar.count)


def has_data(result: QuestionResult) -> bool:
    """Whether there is anything to draw: not hidden, and for counted kinds at least one
    category whose count is shown (a fully secret line would be an empty axis)."""
    if result.hidden:
        return False
    if result.kind in COUNTED:
        return any(b.count is not None for b in result.bars)
    if result.kind in ("short_text", "long_text"):
        return bool(result.words)
    return bool(result.bars)


def _likert(result: QuestionResult) -> alt.Chart:
    """Diverging stacked bar: disagreement left of zero, agreement right, neutral centred.
    Every level is in the legend, in the scale's order."""
    rows, left = [], 0.0
    bars = [b for b in result.bars if b.key != "nsp"]
    shown = [b.percent or 0.0 for b in bars]
    left = -(shown[0] + shown[1] + shown[2] / 2) if len(shown) == 5 else 0.0
    for i, bar in enumerate(bars):
        share = bar.percent or 0.0
        rows.append({"label": bar.label, "start": left, "end": left + share, "order": i,
                     "text": SECRET if bar.count is None else f"{share:.0f} %"})
        left += share
    scale = alt.Scale(domain=[b.label for b in bars], range=LIKERT_COLOURS[:len(bars)])
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.value(20), x=alt.X("start:Q", title=_("answers (%)"), scale=alt.Scale(
            domain=[-100, 100]), axis=alt.Axis(values=[-100, -50, 0, 50, 100])), x2="end:Q")
    bars_layer = base.mark_bar(height=36).encode(
        color=alt.Color("label:N", scale=scale, sort=None,
                        legend=alt.Legend(title=None, orient="bottom", columns=3,
                                          labelLimit=0)),
        order="order:Q")
    return bars_layer.properties(width=WIDTH, height=40)


def _bars(result: QuestionResult, title: str) -> alt.Chart:
    rows = _rows(result)
    labels = [r["label"] for r in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=labels, scale=alt.Scale(domain=labels), title=None,
                axis=alt.Axis(labelLimit=260)),
        x=alt.X("x:Q", title=title))
    labels_layer = base.mark_text(align="left", dx=4).encode(text="text:N")
    return (base.mark_bar(color=BAR) + labels_layer).properties(
        width=WIDTH - 260, height=alt.Step(26))


def _histogram(result: QuestionResult) -> alt.Chart:
    """Every value (or bin) on the axis in order, 0 to 10 for a scale, zeros included."""
    rows = _rows(result)
    labels = [r["label"] for r in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("label:N", sort=labels, scale=alt.Scale(domain=labels), title=None,
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("x:Q", title=_("answers")))
    counts = base.mark_text(baseline="bottom", dy=-3).encode(text="short:N")
    return (base.mark_bar(color=BAR) + counts).properties(
        width=WIDTH, height=180, title=_("Median: {median}").format(
            median=f"{result.median:g}".replace(".", ",")))


def _words(result: QuestionResult) -> alt.Chart:
    data = alt.Data(values=[{"word": w, "count": n, "order": i}
                            for i, (w, n) in enumerate(result.words)])
    return alt.Chart(data).mark_bar(color="#0a9396").encode(
        y=alt.Y("word:N", sort=alt.EncodingSortField("order"), title=None),
        x=alt.X("count:Q", title=_("occurrences"),
                axis=alt.Axis(format="d", tickMinStep=1))).properties(width=WIDTH - 200,
                                                                height=alt.Step(22))


def chart_for(result: QuestionResult) -> alt.Chart | None:
    """The chart for a result, or None when there is nothing to draw (hidden, or every count
    secret: an empty axis would say nothing; the page says why in words)."""
    if not has_data(result):
        return None
    match result.kind:
        case "likert":
            return _likert(result)
        case "single_choice" | "multiple_choice" | "commune" | "date":
            return _bars(result, _("answers"))
        case "scale" | "number":
            return _histogram(result)
        case "ranking":
            return _bars(result, _("mean rank (1 = first)"))
        case "points":
            return _bars(result, _("total points"))
        case "short_text" | "long_text":
            return _words(result)
    return None


def for_projection(chart: alt.Chart) -> alt.Chart:
    """Large dark type for a room (axis, legend, titles, labels), and no ARIA inside the SVG:
    the page names the whole SVG as one image and gives its figures as a table."""
    # Arial's metrics (Liberation Sans where vl-convert measures): the browser draws the
    # labels as wide as they were measured, so none is cut at the SVG's edge.
    return (chart.configure(aria=False, font=FONT,
                            padding={"left": 24, "right": 24, "top": 8, "bottom": 8})
            .configure_axis(labelFontSize=18, titleFontSize=18, labelColor=INK,
                            titleColor=INK, domainColor=INK, tickColor=INK)
            .configure_legend(labelFontSize=18, labelColor=INK, symbolSize=200)
            .configure_title(fontSize=20, color=INK)
            .configure_text(fontSize=18, color=INK))


def chart_svg(chart: alt.Chart) -> str:
    """The chart as an SVG document (rendered here, nothing fetched)."""
    return render_charts.chart_svg(chart.to_dict())


def accessible_svg(svg: str, name: str) -> str:
    """``svg`` as one named image: ``role="img"``, ``aria-label`` and a ``<title>`` (axe's
    svg-img-alt), scaled to its box rather than overflowing a narrow screen, and at most
    ``GROWTH`` times its drawn size on a wide one."""
    label = html.escape(name, quote=True)
    # Vega's own roles (graphics-object, graphics-symbol with no name) would be checked one by
    # one by screen readers and axe: the image is one, its figures are in the table.
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"', "", svg)
    width = re.search(r'^<svg\b[^>]*\swidth="([\d.]+)"', svg.lstrip())
    style = (f' style="max-width: min(100%, {round(float(width.group(1)) * GROWTH)}px)"'
             if width else "")
    return re.sub(r"^<svg\b([^>]*)>",
                  lambda m: (f'<svg role="img" aria-label="{label}"{style} '
                             f'preserveAspectRatio="xMinYMin meet"{m.group(1)}>'
                             f"<title>{label}</title>"),
                  svg.lstrip(), count=1)
