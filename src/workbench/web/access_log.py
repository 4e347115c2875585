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

from tornado.log import app_log, gen_log
from tornado.web import HTTPError, RequestHandler

__all__ = ["SECRET_PARAMETERS", "install", "log_request", "scrubbed"]

# ``next``: the sign-in page's return address, which may carry a token not accepted;
# ``lien``: a one-time password link; ``email``: never a staff member's address in a log.
SECRET_PARAMETERS = frozenset({"token", "t", "code", "key", "password", "_xsrf", "jeton",
                               "next", "lien", "email"})
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


def _log_exception(self: RequestHandler, typ, value, tb) -> None:
    """Tornado's, without ``repr(request)`` (it holds the whole URL) for unexpected errors."""
    if isinstance(value, HTTPError):
        if value.get_message():
            gen_log.warning("%d %s: %s", value.status_code, self._request_summary(),
                            value.get_message())
    else:
        app_log.error("Uncaught exception %s", self._request_summary(),
                      exc_info=(typ, value, tb))


def install(settings: dict) -> None:
    """In a server process: every request line it logs, access or error, is scrubbed."""
    settings["log_function"] = log_request
    RequestHandler._request_summary = _request_summary  # Tornado's error and warning lines
    RequestHandler.log_exception = _log_exception
