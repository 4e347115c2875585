"""Styles of the projected pages (live results, QR code), read from the back of a room.

From 768 px wide (a projector, a screen) the text is 28 px, the titles larger, the session
code and the address 32 px or more, and the QR code as tall as the screen allows; below, the
same pages stay readable on a phone without scrolling sideways (320 px). Everything is scoped
to ``.wb-results`` and ``.wb-projection``; the page template's styles stay as they are.
Text colours have a contrast of at least 7:1 on white.
"""

from __future__ import annotations

__all__ = ["PROJECTION_CSS", "style_tag"]

PROJECTION_CSS = """
.wb-main:has(.wb-results), .wb-main:has(.wb-projection) { max-width: 110rem; }
/* The widget box scrolls by default (its overflow is auto): a scrolling region no key can
   reach (axe's scrollable-region-focusable). Nothing here is wider than the page. */
.wb-results, .wb-projection { width: 100% !important; min-width: 0; color: #1d2733;
  overflow: visible !important; }
.wb-results .widget-html, .wb-results .jupyter-widget-html,
.wb-projection .widget-html, .wb-projection .jupyter-widget-html {
  width: 100% !important; min-width: 0; margin-left: 0 !important; margin-right: 0 !important;
  font-size: 20px; }
.wb-results .widget-html-content, .wb-results .jupyter-widget-html-content,
.wb-projection .widget-html-content, .wb-projection .jupyter-widget-html-content {
  font-size: 20px; line-height: 1.35; min-width: 0; overflow-wrap: anywhere; }
.wb-results h1, .wb-projection h1 { font-size: 1.5em; line-height: 1.2; margin: .5em 0 .2em;
  color: #1d3557; }
.wb-results h2 { font-size: 1.25em; line-height: 1.25; margin: 0 0 .3em; color: #1d3557; }
.wb-results .wb-hint, .wb-projection .wb-hint { font-size: 1em; color: #3d4856; margin: .2em 0; }
.wb-state { display: inline-block; font-weight: 700; border-radius: .3em; padding: .1em .5em;
  margin: .2em 0; }
.wb-state-live { background: #e3f2f5; color: #00424f; }
.wb-state-frozen { background: #fff3cd; color: #5c4200; }
.wb-state-closed { background: #1d3557; color: #ffffff; }
.wb-state-draft { background: #eceff3; color: #1d2733; }
.wb-cards > .widget-html-content, .wb-cards > .jupyter-widget-html-content { display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 760px), 1fr)); gap: .6em; }
.wb-results .wb-card { background: #ffffff; border-radius: 12px; padding: .6em .8em;
  box-shadow: 0 1px 3px rgba(0, 0, 0, .12); min-width: 0; }
.wb-results .wb-count { font-weight: 600; margin: .1em 0 .3em; }
.wb-results .wb-empty { font-size: 1em; margin: .4em 0; padding: .4em .6em;
  border-left: 6px solid #005f73; background: #f1f6f9; }
.wb-results .wb-chart { margin: .3em 0; }
.wb-results .wb-chart svg { display: block; width: 100%; max-width: 100%; height: auto; }
.wb-results .wb-latest { margin: .2em 0; padding-left: 1.2em; }
.wb-sr-only { position: absolute !important; width: 1px !important; height: 1px !important;
  padding: 0 !important; margin: -1px !important; overflow: hidden !important;
  clip: rect(0, 0, 0, 0) !important; white-space: nowrap !important; border: 0 !important; }
.wb-projection .wb-qr-large { text-align: center; margin: .3em 0; }
.wb-projection .wb-qr-large svg { width: min(100%, 62vh); height: auto; display: inline-block; }
.wb-projection .wb-big { font-size: 1em; margin: .3em 0; }
.wb-projection .wb-address { font-size: max(32px, 1.25em); font-weight: 700; margin: .2em 0;
  overflow-wrap: anywhere; }
.wb-projection .wb-code-line { font-size: max(32px, 1.25em); margin: .2em 0; }
.wb-projection .wb-code { font-size: max(40px, 2em); font-weight: 800; letter-spacing: .12em;
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; color: #1d3557; }
.wb-projection .wb-count { font-size: max(28px, 1em); font-weight: 600; }
@media (min-width: 768px) {
  .wb-results .widget-html, .wb-results .jupyter-widget-html,
  .wb-projection .widget-html, .wb-projection .jupyter-widget-html,
  .wb-results .widget-html-content, .wb-results .jupyter-widget-html-content,
  .wb-projection .widget-html-content, .wb-projection .jupyter-widget-html-content {
    font-size: 28px; }
}
@media (min-width: 1000px) {
  .wb-projection .wb-join { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    gap: 1em; align-items: center; }
}
"""


def style_tag() -> str:
    """The styles as a ``<style>`` element, for an HTML widget of the page."""
    return f"<style>{PROJECTION_CSS}</style>"
