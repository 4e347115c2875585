"""The report as a document, read back from the executed notebook.

In cell order: Markdown cells (narrative) and the workbench blocks the code cells displayed
(cover, text, tables, figures); the inputs read go to the manifest. Code, the injected
parameters and any other output are left out. A cell tagged ``hide-in-report`` is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from workbench.documents.blocks import MIME

__all__ = ["Block", "Document", "read_document"]

KINDS = ("cover", "text", "table", "figure", "input")


@dataclass(frozen=True)
class Block:
    """``kind`` is markdown, text, table or figure; ``content`` its data."""

    kind: str
    content: dict


@dataclass
class Document:
    cover: dict = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    inputs: list[dict] = field(default_factory=list)

    @property
    def tables(self) -> list[dict]:
        return [b.content for b in self.blocks if b.kind == "table"]


def read_document(path: Path) -> Document:
    """The document of an executed report notebook."""
    notebook = nbformat.read(str(path), as_version=4)
    document = Document()
    for cell in notebook.cells:
        if "hide-in-report" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown" and cell.source.strip():
            document.blocks.append(Block("markdown", {"markdown": cell.source}))
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for kind in KINDS:
                content = data.get(MIME.format(kind=kind))
                if content is None:
                    continue
                if kind == "cover":
                    document.cover = dict(content)
                elif kind == "input":
                    document.inputs.append(dict(content))
                else:
                    document.blocks.append(Block(kind, dict(content)))
    return document
