"""Vega-Lite specs to SVG and PNG, locally (vl-convert: no browser, no network)."""

from __future__ import annotations

import vl_convert

__all__ = ["chart_png", "chart_svg"]


def chart_svg(spec: dict) -> str:
    """The chart as inline SVG text."""
    return vl_convert.vegalite_to_svg(spec)


def chart_png(spec: dict, svg: str | None = None, scale: float = 2.0) -> bytes:
    """The chart as a PNG (for Word), from its SVG when already rendered (3× faster)."""
    if svg:
        return vl_convert.svg_to_png(svg, scale=scale)
    return vl_convert.vegalite_to_png(spec, scale=scale)
