"""Sign-in of both Voilà apps: the staff's token, in French, guarded.

- ``/login`` renders the workbench template's French page (Voilà would use jupyter_server's
  English one).
- Wrong tokens are counted (``workbench.web.throttle``): past 5 from one address within 5
  minutes, that address gets a 429 (French, ``Retry-After``) until the window has passed.
  The address is the client's: behind the proxy on this machine (a loopback peer), the last
  one of ``X-Forwarded-For``, which the proxy appends. Staff already signed in (a valid
  cookie) are never checked nor counted, even when their link carries the token. Tokens
  are compared in constant time.
- The sign-in cookie lasts ``WORKBENCH_STAFF_SESSION_HOURS`` (default 10: a working day), in
  the browser and when the server checks its signature; it is ``HttpOnly`` and
  ``SameSite=Lax``.
- ``/logout`` forgets the cookie and goes back to the sign-in page (jupyter_server's own
  logout page needs files Voilà does not serve: it answered 500).

Loaded by the Voilà servers only (never in a kernel).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable

from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.auth.logout import LogoutHandler
from tornado import web
from traitlets import default
from voila.voila_identity_provider import VoilaLoginHandler

from workbench.i18n import _
from workbench.web.throttle import Throttle

__all__ = ["StaffIdentityProvider", "StaffLoginHandler", "session_hours"]

_guard = Throttle(per_source=5, window=300.0)
LOOPBACK = ("127.0.0.1", "::1")


def session_hours() -> float:
    """``WORKBENCH_STAFF_SESSION_HOURS`` (default 10), how long a staff sign-in lasts."""
    value = os.environ.get("WORKBENCH_STAFF_SESSION_HOURS", "").strip()
    try:
        hours = float(value)
    except ValueError:
        return 10.0
    return hours if 0 < hours <= 24 * 30 else 10.0


def _source(handler: web.RequestHandler) -> str:
    """The client's address; behind the local proxy, the last forwarded one (the proxy's)."""
    peer = handler.request.remote_ip or "?"
    forwarded = handler.request.headers.get("X-Forwarded-For", "")
    if peer in LOOPBACK and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return peer


def _refuse_if_throttled(handler: web.RequestHandler) -> None:
    if not _guard.allowed(_source(handler)):
        handler.clear()
        handler.set_status(429)
        handler.set_header("Retry-After", str(int(_guard.window)))
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        handler.finish(_("Too many wrong tokens from this address: try again in a few minutes."))
        raise web.Finish()


class StaffLoginHandler(VoilaLoginHandler):
    """Voilà's login handler, with the French page of the workbench template."""

    def get_template(self, name):
        if name == "login.html":
            return self.settings["voila_jinja2_env"].get_template(name)
        return super().get_template(name)


class StaffLogoutHandler(LogoutHandler):
    """Forget the sign-in, then back to the sign-in page (or the public home page)."""

    def get(self) -> None:
        self.identity_provider.clear_login_cookie(self)
        self.redirect(self.base_url + ("login" if self.identity_provider.auth_enabled else ""))


class StaffIdentityProvider(PasswordIdentityProvider):
    """Token authentication with the handlers above, a throttle and a short session."""

    @default("allow_password_change")
    def _no_password_change(self) -> bool:
        return False  # the token is the only secret; nobody writes a password file from here

    @default("cookie_options")
    def _cookie_options(self) -> dict:
        return {"expires_days": session_hours() / 24, "samesite": "Lax"}

    @default("get_secure_cookie_kwargs")
    def _secure_cookie_kwargs(self) -> dict:
        return {"max_age_days": session_hours() / 24}

    def get_handlers(self) -> list[tuple[str, object]]:
        replaced = {"/login": StaffLoginHandler, "/logout": StaffLogoutHandler}
        return [(path, replaced.get(path, handler)) for path, handler in super().get_handlers()]

    async def get_user_token(self, handler: web.RequestHandler):
        offered = self.get_token(handler)
        if not offered or not self.token:
            return None
        signed_in = self.get_user_cookie(handler)
        if signed_in is not None and not isinstance(signed_in, Awaitable):
            return None  # the cookie signs them in (jupyter_server checks it next)
        _refuse_if_throttled(handler)
        if not hmac.compare_digest(offered.encode(), self.token.encode()):
            _guard.failed(_source(handler))
            return None
        return await super().get_user_token(handler)

    def process_login_form(self, handler: web.RequestHandler):
        _refuse_if_throttled(handler)
        user = super().process_login_form(handler)
        if user is None:
            _guard.failed(_source(handler))
        return user
