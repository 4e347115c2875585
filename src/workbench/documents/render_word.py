"""The report as a Word document (python-docx): cover, narrative, tables, charts as PNG.

Staff assemble the annual documents in Word: headings use Word's own styles (so the table of
contents works), tables the built-in grid with their header row repeated on every page,
numbers the French format with non-breaking spaces. The document and every run are in French
(fr-FR, for Word's proofing) and every picture has an alternative text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from workbench.documents.document import Document
from workbench.documents.render_charts import chart_png
from workbench.french import (
    column_places,
    cover_labels,
    french_date,
    table_cell,
    typeset,
)
from workbench.settings import TERRITORY_NAME

__all__ = ["write_word"]

_BOLD = re.compile(r"(\*\*[^*]+\*\*)")
LANGUAGE = "fr-FR"
# What may follow w:lang in a run's properties (CT_RPr's sequence).
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _set_language(rpr) -> None:
    """``rpr`` (run properties) in French, keeping any East Asian or bidi language."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *_AFTER_LANG)
    lang.set(qn("w:val"), LANGUAGE)


def _in_french(word) -> None:
    """French for Word's proofing: the default run properties, the theme's fonts, every run;
    and every run's text typeset (non-breaking spaces in numbers and before units)."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    _set_language(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    theme = word.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
    for run in word.element.body.iter(qn("w:r")):
        _set_language(run.get_or_add_rPr())
        for text in run.iter(qn("w:t")):
            text.text = typeset(text.text or "")


def _runs(paragraph, text: str) -> None:
    """Plain text with ``**bold**`` spans (the Markdown the reports use in sentences)."""
    for part in _BOLD.split(typeset(text)):
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part:
            paragraph.add_run(part.replace("*", "").replace("`", ""))


def _markdown(word, text: str) -> None:
    """Headings, bullet lists and paragraphs of a Markdown text."""
    paragraph_lines: list[str] = []

    def flush() -> None:
        if paragraph_lines:
            _runs(word.add_paragraph(), " ".join(paragraph_lines))
            paragraph_lines.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)$", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            word.add_heading(heading.group(2), level=min(len(heading.group(1)), 4))
        elif re.match(r"^[-*]\s+", stripped):
            flush()
            _runs(word.add_paragraph(style="List Bullet"), re.sub(r"^[-*]\s+", "", stripped))
        else:
            paragraph_lines.append(stripped)
    flush()


def _table(word, content: dict) -> None:
    caption = word.add_paragraph()
    caption.add_run(content["title"]).bold = True
    table = word.add_table(rows=1, cols=len(content["columns"]))
    table.style = "Table Grid"
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    for cell, name in zip(table.rows[0].cells, content["columns"], strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    places = column_places(content)
    for row in content["rows"]:
        cells = table.add_row().cells
        for cell, value, place in zip(cells, row, places, strict=True):
            cell.text = table_cell(value, place)
    if content.get("note"):
        word.add_paragraph(content["note"]).runs[0].font.size = Pt(8)


def _figure(word, content: dict) -> None:
    caption = word.add_paragraph()
    caption.add_run(content["title"]).bold = True
    picture = word.add_picture(io.BytesIO(chart_png(content["vegalite"], content.get("svg"))),
                               width=Cm(16))
    properties = picture._inline.docPr  # Word's "alternative text"
    properties.set("title", content["title"])
    properties.set("descr", content.get("alt") or content["title"])
    if content.get("note"):
        word.add_paragraph(content["note"]).runs[0].font.size = Pt(8)


def write_word(document: Document, path: Path, run_date) -> None:
    """Write the report as ``.docx``."""
    word = WordDocument()
    cover = document.cover
    # Word's document properties hold at most 255 characters; the page shows the whole title
    word.core_properties.title = cover.get("title", "")[:255]
    word.core_properties.author = TERRITORY_NAME
    word.core_properties.language = "fr-FR"
    word.add_paragraph(TERRITORY_NAME).runs[0].font.size = Pt(14)
    word.add_heading(cover.get("title", ""), level=0)
    word.add_paragraph(cover.get("subject", "")).runs[0].font.size = Pt(14)
    period, data_as_of, produced = cover_labels()
    for label, value in ((period, cover.get("period", "")),
                         (data_as_of, cover.get("data_as_of", "")),
                         (produced, french_date(run_date))):
        line = word.add_paragraph()
        line.add_run(f"{label} : ").bold = True
        line.add_run(value)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for block in document.blocks:
        if block.kind in ("markdown", "text"):
            _markdown(word, block.content["markdown"])
        elif block.kind == "table":
            _table(word, block.content)
        elif block.kind == "figure":
            _figure(word, block.content)
    _in_french(word)
    word.save(str(path))
