"""Sign-in of both Voilà apps: the staff's token, in French, guarded.

- ``/login`` renders the workbench template's French page (Voilà would use jupyter_server's
  English one).
- Wrong tokens are counted (``workbench.web.throttle``): past 5 from one address or 50 in
  all within 5 minutes, attempts get a 429 until the window has passed. Tokens are compared
  in constant time.
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

from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.auth.logout import LogoutHandler
from tornado import web
from traitlets import default
from voila.voila_identity_provider import VoilaLoginHandler

from workbench.web.throttle import Throttle

__all__ = ["StaffIdentityProvider", "StaffLoginHandler", "session_hours"]

_guard = Throttle(per_source=5, overall=50, window=300.0)


def session_hours() -> float:
    """``WORKBENCH_STAFF_SESSION_HOURS`` (default 10), how long a staff sign-in lasts."""
    value = os.environ.get("WORKBENCH_STAFF_SESSION_HOURS", "").strip()
    try:
        hours = float(value)
    except ValueError:
        return 10.0
    return hours if 0 < hours <= 24 * 30 else 10.0


def _source(handler: web.RequestHandler) -> str:
    return handler.request.remote_ip or "?"


def _refuse_if_throttled(handler: web.RequestHandler) -> None:
    if not _guard.allowed(_source(handler)):
        handler.set_header("Retry-After", "300")
        raise web.HTTPError(429)


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
