"""Sign-in to the staff app with a personal account (``workbench.staff``), on the Jupyter
server's own extension points: an identity provider and an authorizer.

- ``/login`` (French): e-mail and password, CSRF token; the same message for an unknown
  e-mail and a wrong password. Failures wait longer and longer, per account
  (``staff.accounts``) and per address (``web.throttle``; behind the local proxy, the address
  it forwards). A locked sign-in gets a French 429 with ``Retry-After``.
- The session cookie is an opaque secret, kept hashed in the database: ``HttpOnly``,
  ``SameSite=Strict``, ``Secure`` behind HTTPS, no expiry date (gone with the browser); the
  session also ends after ``WORKBENCH_STAFF_IDLE_MINUTES`` without use and
  ``WORKBENCH_STAFF_SESSION_HOURS`` in all (``staff.sessions``).
- ``/logout`` ends the session in the database (every open page's kernel loses its rights),
  then back to the sign-in page.
- ``/motdepasse?lien=…``: the one-time link printed by ``workbench staff add|reset-password``.
- ``StaffAuthorizer``: only signed-in staff, and a page's kernel only for the person whose
  page started it (``kernel_owners``).

Loaded by the staff Voilà server only (never in a kernel).
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web

from workbench.i18n import _
from workbench.staff.acting import Actor, Refused
from workbench.web.pages import render
from workbench.web.throttle import Throttle

__all__ = ["COOKIE", "StaffAuthorizer", "StaffIdentityProvider", "StaffShutdownHandler",
           "StaffUser", "client_address", "kernel_owners"]

COOKIE = "workbench-staff"
LOOPBACK = ("127.0.0.1", "::1")
_addresses = Throttle()
kernel_owners: dict[str, int] = {}  # kernel id -> account id (filled by the staff app)
_KERNEL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class StaffUser(User):
    """The signed-in person, as jupyter_server sees them, with their actor and session."""

    actor: Actor = field(default_factory=lambda: Actor(label=""))


def client_address(handler: web.RequestHandler) -> str:
    """The client's address; behind the local proxy, the last forwarded one (the proxy's)."""
    peer = handler.request.remote_ip or "?"
    forwarded = handler.request.headers.get("X-Forwarded-For", "")
    if peer in LOOPBACK and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return peer


def _over_https(handler: web.RequestHandler) -> bool:
    if os.environ.get("WORKBENCH_STAFF_SECURE_COOKIE", "").strip() == "1":
        return True
    if handler.request.protocol == "https":
        return True
    return (handler.request.remote_ip in LOOPBACK
            and handler.request.headers.get("X-Forwarded-Proto", "").lower() == "https")


async def _off_loop(function, *args):
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


class _StaffPage(web.RequestHandler):
    """A plain French page of the staff app (no kernel, no JavaScript)."""

    def prepare(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")

    @property
    def base(self) -> str:
        return self.settings.get("base_url", "/")

    def page(self, name: str, status: int = 200, **values) -> None:
        self.set_status(status)
        self.finish(render(name, base_url=self.base, xsrf=self.xsrf_form_html(), **values))

    def locked(self, seconds: int) -> None:
        from workbench.staff.accounts import LockedOut

        self.set_header("Retry-After", str(seconds))
        self.page("staff_login.html", 429, next_url=self._next(), email="",
                  message=LockedOut(seconds).message())

    def _next(self) -> str:
        """Where to go after signing in: a page of this app only."""
        wanted = self.get_argument("next", "")
        parsed = urlparse(wanted)
        if (not wanted or parsed.scheme or parsed.netloc or not wanted.startswith(self.base)
                or wanted.startswith("//") or "\\" in wanted
                or any(ord(c) < 0x20 or ord(c) == 0x7F for c in wanted)):
            return self.base
        return wanted


class StaffLoginHandler(_StaffPage):
    async def get(self) -> None:
        if await self.settings["identity_provider"].get_user(self) is not None:
            self.redirect(self._next())
            return
        self.page("staff_login.html", next_url=self._next(), email="", message="")

    async def post(self) -> None:
        from workbench.staff.accounts import LockedOut, sign_in

        self.check_xsrf_cookie()
        source = client_address(self)
        waiting = _addresses.attempt(source)  # counted as a failure until it succeeds
        if waiting:
            self.locked(waiting)
            return
        email = self.get_body_argument("email", "")[:254]
        password = self.get_body_argument("password", "")[:1024]
        try:
            secret = await _off_loop(sign_in, email, password)
        except LockedOut as error:
            self.locked(error.retry_after)
            return
        if secret is None:
            self.page("staff_login.html", 200, next_url=self._next(), email=email,
                      message=_("Wrong e-mail address or password."))
            return
        _addresses.succeeded(source)
        self.set_cookie(COOKIE, secret, path=self.base, httponly=True, samesite="Strict",
                        secure=_over_https(self))
        self.redirect(self._next())


class StaffLogoutHandler(_StaffPage):
    """``/logout``: a form (GET) whose button posts, with its CSRF token, the sign-out.

    Signing out by a plain GET let another site clear the cookie while the session itself
    lived on (the ``SameSite=Strict`` cookie is not sent on such a request).
    """

    def get(self) -> None:
        self.page("staff_logout.html")

    async def post(self) -> None:
        from workbench.staff.sessions import end_session

        self.check_xsrf_cookie()
        secret = self.get_cookie(COOKIE)
        if secret:
            await _off_loop(end_session, secret[:100])
        self.clear_cookie(COOKIE, path=self.base)
        self.redirect(self.base + "login")


class PasswordHandler(_StaffPage):
    """``/motdepasse?lien=…``: choose one's password with a one-time link."""

    def get(self) -> None:
        self.page("staff_password.html", link=self.get_argument("lien", "")[:100], message="",
                  done=False)

    async def post(self) -> None:
        from workbench.staff.accounts import BadLink, set_password

        self.check_xsrf_cookie()
        source = client_address(self)
        waiting = _addresses.attempt(source)
        if waiting:
            self.locked(waiting)
            return
        link = self.get_body_argument("lien", "")[:100]
        try:
            await _off_loop(set_password, link, self.get_body_argument("password", "")[:1024],
                            self.get_body_argument("confirmation", "")[:1024])
        except Refused as error:
            if not isinstance(error, BadLink):
                _addresses.succeeded(source)  # a valid link, a password to choose again
            self.page("staff_password.html", 400, link=link, message=str(error), done=False)
            return
        _addresses.succeeded(source)
        self.page("staff_password.html", link="", message="", done=True)


class StaffIdentityProvider(IdentityProvider):
    """Personal accounts instead of a token (see module doc)."""

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    @property
    def logout_available(self) -> bool:
        return True

    def get_handlers(self) -> list[tuple[str, object]]:
        return [("/login", StaffLoginHandler), ("/logout", StaffLogoutHandler),
                ("/motdepasse", PasswordHandler)]

    async def get_user(self, handler: web.RequestHandler) -> StaffUser | None:
        known = getattr(handler, "_jupyter_current_user", None)
        if isinstance(known, StaffUser):
            return known
        secret = handler.get_cookie(COOKIE)
        if not secret:
            return None
        from workbench.staff.sessions import session_actor

        actor = await _off_loop(session_actor, secret[:100])
        if actor is None:
            return None
        return StaffUser(username=str(actor.account_id), name=actor.name,
                         display_name=actor.name, actor=actor)

    def get_token(self, handler: web.RequestHandler) -> str | None:
        return None  # no token signs anyone in

    def is_token_authenticated(self, handler: web.RequestHandler) -> bool:
        return False

    def validate_security(self, app, ssl_options=None) -> None:
        """Accounts are always required: nothing to warn about."""

    def clear_login_cookie(self, handler: web.RequestHandler) -> None:
        handler.clear_cookie(COOKIE, path=handler.settings.get("base_url", "/"))


class StaffShutdownHandler(web.RequestHandler):
    """Voilà's ``/voila/api/shutdown/<kernel>`` (a page left), for the kernel's owner only:
    Voilà's own handler asks no authorizer, so anyone signed in could stop anyone's page."""

    async def post(self, kernel_id: str) -> None:
        self.check_xsrf_cookie()
        user = await self.settings["identity_provider"].get_user(self)
        if user is None or kernel_owners.get(kernel_id) != user.actor.account_id:
            raise web.HTTPError(403)
        manager = self.settings["kernel_manager"]
        if kernel_id in manager:
            await manager.shutdown_kernel(kernel_id)
        self.set_status(204)
        self.finish()


class StaffAuthorizer(Authorizer):
    """Signed-in staff only; a kernel only for the person whose page started it."""

    def is_authorized(self, handler: web.RequestHandler, user: User, action: str,
                      resource: str) -> bool:
        if not isinstance(user, StaffUser) or not user.actor.label:
            return False
        if resource == "kernels":
            found = _KERNEL_ID.search(handler.request.path)
            owner = kernel_owners.get(found.group(0)) if found else None
            return owner is None or owner == user.actor.account_id
        return True
