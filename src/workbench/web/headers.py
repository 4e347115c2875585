"""Security headers on every response of both apps (pages, assets, errors, waiting page).

- ``Content-Security-Policy``: everything from this server only (scripts, styles, fonts,
  images, websockets), no plugins, no ``<base>`` elsewhere, forms posted here only, framed
  only by this site. Inline scripts and styles stay allowed (Voilà's page template writes
  its configuration and start-up code inline), and scripts from ``blob:`` URLs, which
  anywidget makes of its modules in the page itself.
- ``Referrer-Policy: no-referrer``: staff and invitation links carry tokens in their URL.
- ``X-Content-Type-Options: nosniff``.
- No ``Server`` header (Tornado names itself and its version).

A Tornado output transform, so that no handler (Voilà's, Jupyter's, static files) escapes it.
"""

from __future__ import annotations

from tornado.web import OutputTransform

__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeaders"]

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' blob:",  # anywidget imports its modules from blobs
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


class SecurityHeaders(OutputTransform):
    """Sets ``HEADERS`` and removes ``Server`` on the first chunk of every response."""

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        for name, value in HEADERS.items():
            headers[name] = value
        headers.pop("Server", None)
        return status_code, headers, chunk
