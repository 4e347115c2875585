"""Small HTML pieces for pages: escaped tables, status lines, download links."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

__all__ = ["MIME", "download_link", "status", "table"]

MIME = {"csv": "text/csv", "html": "text/html",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def table(headers: Iterable[str], rows: Iterable[Iterable[object]],
          numeric: Iterable[int] = ()) -> str:
    """A ``wb-table``; every header and cell is escaped (participant and member text)."""
    right = set(numeric)
    number = " class='wb-num'"
    head = "".join(f"<th scope='col'>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td{number if i in right else ''}>{html.escape(str(cell))}</td>"
            for i, cell in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table class='wb-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def status(text: str, error: bool = False) -> str:
    """A status line (announced to screen readers), or an error line."""
    if error:
        return f"<p class='wb-error' role='alert'>{html.escape(text)}</p>"
    return f"<p role='status'>{html.escape(text)}</p>"


def download_link(name: str, data: bytes, label: str | None = None) -> str:
    """A link that downloads ``data`` as ``name`` (a data: URL, nothing served)."""
    mime = MIME.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    payload = base64.b64encode(data).decode()
    return (f"<a download='{html.escape(name)}' href='data:{mime};base64,{payload}'>"
            f"{html.escape(label or name)}</a>")
