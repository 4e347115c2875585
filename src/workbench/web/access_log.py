"""The servers' access log, without secrets: tokens in URLs never reach the log.

Staff links carry ``?token=``, invitation links ``?t=``, voting links ``?code=``. Tornado's
default log writes the whole URL of every request it logs (warnings for 4xx, errors for
5xx); this one writes the path and the query with those values replaced by ``***``.
``install`` also makes the request summary of Tornado's error lines (``404 GET …: reason``)
use it.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode

from tornado.web import RequestHandler

__all__ = ["SECRET_PARAMETERS", "install", "log_request", "scrubbed"]

SECRET_PARAMETERS = frozenset({"token", "t", "code", "key", "password", "_xsrf", "jeton"})
access = logging.getLogger("tornado.access")


def scrubbed(uri: str) -> str:
    """``uri`` with the values of secret query parameters replaced."""
    path, _, query = uri.partition("?")
    if not query:
        return path
    pairs = [(name, "***" if name.lower() in SECRET_PARAMETERS else value)
             for name, value in parse_qsl(query, keep_blank_values=True)]
    return f"{path}?{urlencode(pairs, safe='*/:')}"


def log_request(handler: RequestHandler) -> None:
    """Tornado's ``log_function``: as Tornado's own, with ``scrubbed`` URLs."""
    status = handler.get_status()
    log = access.info if status < 400 else access.warning if status < 500 else access.error
    request = handler.request
    log("%d %s %s (%s) %.2fms", status, request.method, scrubbed(request.uri or ""),
        request.remote_ip, 1000.0 * request.request_time())


def _request_summary(self: RequestHandler) -> str:
    return f"{self.request.method} {scrubbed(self.request.uri or '')} ({self.request.remote_ip})"


def install(settings: dict) -> None:
    """In a server process: every request line it logs, access or error, is scrubbed."""
    settings["log_function"] = log_request
    RequestHandler._request_summary = _request_summary  # Tornado's error and warning lines
