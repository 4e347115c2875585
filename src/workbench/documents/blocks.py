"""What a report notebook shows: cover, text, tables and figures, each a display object.

Each block displays as HTML in Jupyter and carries its content under a workbench MIME type,
from which ``reports.document`` rebuilds the report. Participant text in tables is data,
never markup: it is escaped by every renderer.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mistune

__all__ = ["MIME", "Cover", "Figure", "Input", "Table", "Text", "rows_fingerprint"]

MIME = "application/vnd.workbench.{kind}+json"

_markdown = mistune.create_markdown(escape=True)


def _bundle(kind: str, content: dict, html_text: str) -> dict:
    return {MIME.format(kind=kind): content, "text/html": html_text}


def _plain(value: Any) -> Any:
    """A JSON value for a cell (numpy/pandas scalars, dates, NaN)."""
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy / pandas scalar
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


@dataclass
class Cover:
    """The title page: report title, subject, period and the date the data stops at."""

    title: str
    subject: str
    period: str
    data_as_of: str

    def _repr_mimebundle_(self, **_kwargs) -> dict:
        text = (f"<h1>{html.escape(self.title)}</h1><p>{html.escape(self.subject)} — "
                f"{html.escape(self.period)}</p>")
        return _bundle("cover", self.__dict__.copy(), text)


@dataclass
class Text:
    """Narrative in Markdown (headings with ``##``, lists, emphasis)."""

    markdown: str

    def _repr_mimebundle_(self, **_kwargs) -> dict:
        return _bundle("text", {"markdown": self.markdown}, _markdown(self.markdown))


@dataclass
class Table:
    """A titled table with French headers; ``sheet`` names its Excel sheet."""

    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    sheet: str = ""
    note: str = ""
    decimals: Sequence[int | None] = ()  # per column: numbers shown with exactly so many
    _rows: list[list[Any]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = [str(c) for c in self.columns]
        self._rows = [[_plain(v) for v in row] for row in self.rows]

    @classmethod
    def from_frame(cls, title: str, frame, **options) -> Table:
        """From a pandas DataFrame (its index is dropped: make it a column first)."""
        return cls(title, list(frame.columns), frame.itertuples(index=False), **options)

    def content(self) -> dict:
        return {"title": self.title, "columns": list(self.columns), "rows": self._rows,
                "sheet": self.sheet or self.title, "note": self.note,
                "decimals": list(self.decimals)}

    def _repr_mimebundle_(self, **_kwargs) -> dict:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>"
                                         for v in row) + "</tr>" for row in self._rows)
        text = (f"<p><strong>{html.escape(self.title)}</strong></p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        return _bundle("table", self.content(), text)


@dataclass
class Figure:
    """A titled altair chart, kept as its Vega-Lite spec (rendered locally, never from a CDN).

    ``alt`` is its alternative text: a short French description of what the chart shows,
    for screen readers (Word's alternative text, the HTML's label); the title stands in
    when it is empty.
    """

    title: str
    chart: Any
    note: str = ""
    alt: str = ""

    def content(self) -> dict:
        """The spec and its SVG, rendered once here and reused by the HTML report."""
        from workbench.documents.render_charts import chart_svg

        spec = self.chart.to_dict() if hasattr(self.chart, "to_dict") else dict(self.chart)
        return {"title": self.title, "vegalite": spec, "svg": chart_svg(spec),
                "note": self.note, "alt": self.alt or self.title}

    def _repr_mimebundle_(self, **_kwargs) -> dict:
        content = self.content()
        text = (f"<figure><figcaption>{html.escape(self.title)}</figcaption>"
                f"<div role='img' aria-label='{html.escape(content['alt'])}'>"
                f"{content['svg']}</div></figure>")
        return _bundle("figure", content, text)


def rows_fingerprint(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """Row count and SHA-256 of the rows in the order read.

    Each row is hashed as its values' ``str()`` (None as the empty string) separated by
    U+001F, rows ended by a newline: fast on the hundreds of thousands of answers a yearly
    report reads, and stable across runs.
    """
    digest, count, lines = hashlib.sha256(), 0, []
    for row in rows:
        lines.append("\x1f".join("" if v is None else str(v) for v in row))
        count += 1
        if len(lines) >= 10_000:
            digest.update(("\n".join(lines) + "\n").encode())
            lines.clear()
    if lines:
        digest.update(("\n".join(lines) + "\n").encode())
    return count, digest.hexdigest()


@dataclass
class Input:
    """A table of input data the report read: its name, row count and hash (for the manifest)."""

    name: str
    rows: int
    sha256: str

    def _repr_mimebundle_(self, **_kwargs) -> dict:
        return {MIME.format(kind="input"): self.__dict__.copy(),
                "text/plain": f"{self.name}: {self.rows}"}
