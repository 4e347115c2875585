"""The report as one self-contained HTML file: French, printable on A4, nothing fetched.

Charts are inline SVG (vl-convert), styles inline, no script at all. The run date appears
once, in ``<span class="wb-run-date">``: everything else depends only on data and parameters.
"""

from __future__ import annotations

import html

import mistune

from workbench.documents.document import Document
from workbench.documents.render_charts import chart_svg
from workbench.french import (
    column_places,
    cover_labels,
    french_date,
    table_cell,
    typeset,
)
from workbench.settings import TERRITORY_NAME

__all__ = ["render_html"]

_markdown = mistune.create_markdown(escape=True, plugins=["table"])

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d2733; margin: 0 auto;
  max-width: 178mm; line-height: 1.45; font-size: 10.5pt; }
h1, h2, h3 { color: #0b4f6c; line-height: 1.2; break-after: avoid; }
h2 { border-bottom: 2px solid #0b4f6c; padding-bottom: 2pt; margin-top: 18pt; }
.wb-cover { min-height: 240mm; display: flex; flex-direction: column; justify-content: center;
  break-after: page; page-break-after: always; }
.wb-cover .wb-territory { font-size: 14pt; color: #55606e; text-transform: uppercase;
  letter-spacing: .05em; }
.wb-cover h1 { font-size: 26pt; margin: 8pt 0; }
.wb-cover .wb-subject { font-size: 15pt; }
.wb-cover dl { margin-top: 24pt; display: grid; grid-template-columns: max-content 1fr;
  gap: 4pt 12pt; }
.wb-cover dt { color: #55606e; }
.wb-cover dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 14pt; font-size: 9.5pt; }
caption { text-align: left; font-weight: bold; margin-bottom: 4pt; }
th, td { border: 1px solid #c9d1da; padding: 3pt 5pt; vertical-align: top; }
th { background: #eef3f7; text-align: left; }
td.wb-num { text-align: right; white-space: nowrap; }
tr, figure { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 8pt 0 16pt; }
figure svg { max-width: 100%; height: auto; }
figcaption, .wb-note { font-size: 9pt; color: #55606e; }
figcaption { font-weight: bold; color: #1d2733; margin-bottom: 4pt; }
@media screen { body { padding: 16px; } }
"""


def _text(text: str) -> str:
    """Text a person reads, typeset (non-breaking spaces in numbers) and escaped."""
    return html.escape(typeset(text))


def _cell(value: object, places: int | None) -> str:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    css = ' class="wb-num"' if number else ""
    return f"<td{css}>{_text(table_cell(value, places))}</td>"


def _table(content: dict) -> str:
    head = "".join(f"<th scope='col'>{_text(c)}</th>" for c in content["columns"])
    places = column_places(content)
    body = "".join("<tr>" + "".join(_cell(v, p) for v, p in zip(row, places, strict=True))
                   + "</tr>" for row in content["rows"])
    note = f"<p class='wb-note'>{_text(content['note'])}</p>" if content.get("note") else ""
    return (f"<table><caption>{_text(content['title'])}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}")


def _figure(content: dict) -> str:
    note = f"<p class='wb-note'>{_text(content['note'])}</p>" if content.get("note") else ""
    alt = content.get("alt") or content["title"]
    return (f"<figure><figcaption>{_text(content['title'])}</figcaption>"
            f"<div role='img' aria-label='{html.escape(alt, quote=True)}'>"
            f"{content.get('svg') or chart_svg(content['vegalite'])}</div>{note}</figure>")


def _cover(cover: dict, run_date: str) -> str:
    period, data_as_of, produced = cover_labels()
    rows = [(period, _text(cover.get("period", ""))),
            (data_as_of, _text(cover.get("data_as_of", ""))),
            (produced, f"<span class='wb-run-date'>{html.escape(run_date)}</span>")]
    items = "".join(f"<dt>{html.escape(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return (f"<section class='wb-cover'><div class='wb-territory'>"
            f"{html.escape(TERRITORY_NAME)}</div><h1>{_text(cover.get('title', ''))}</h1>"
            f"<div class='wb-subject'>{_text(cover.get('subject', ''))}</div>"
            f"<dl>{items}</dl></section>")


def render_html(document: Document, run_date) -> str:
    """The whole report as HTML text."""
    parts = [_cover(document.cover, french_date(run_date))]
    for block in document.blocks:
        if block.kind in ("markdown", "text"):
            parts.append(_markdown(typeset(block.content["markdown"])))
        elif block.kind == "table":
            parts.append(_table(block.content))
        elif block.kind == "figure":
            parts.append(_figure(block.content))
    title = html.escape(f"{document.cover.get('title', '')} — {TERRITORY_NAME}")
    return ("<!DOCTYPE html>\n<html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{title}</title><style>{CSS}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")
