"""QR codes made locally (segno), as inline SVG."""

from __future__ import annotations

import html

import segno

__all__ = ["qr_svg"]


def qr_svg(url: str, scale: int = 10, *, label: str | None = None, fluid: bool = False) -> str:
    """An SVG QR code for ``url`` (error correction M, dark on white).

    ``fluid``: no width and height, only a viewBox, so that CSS sizes it (the projected page
    makes it fill the screen's height). ``label``: a named image for screen readers
    (``role="img"``, ``aria-label`` and ``<title>``).
    """
    svg = segno.make(url, error="m").svg_inline(scale=scale, dark="#1d3557", light="#ffffff",
                                                omitsize=fluid)
    if label is None:
        return svg
    name = html.escape(label, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" '
                       'shape-rendering="crispEdges" ', 1).replace(
        ">", f"><title>{name}</title>", 1)
