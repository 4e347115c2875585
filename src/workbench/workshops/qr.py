"""QR codes made locally (segno), as inline SVG."""

from __future__ import annotations

import segno

__all__ = ["qr_svg"]


def qr_svg(url: str, scale: int = 10) -> str:
    """An SVG QR code for ``url`` (error correction M, dark on white)."""
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#1d3557", light="#ffffff")
