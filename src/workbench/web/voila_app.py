"""The public Voilà app: Voilà itself, plus a cap on live kernels and kernel release.

- Past ``max_kernels`` live kernels, a page request gets the French waiting page (503) unless
  a preheated kernel is ready for it.
- ``GET /healthz`` tells a reverse proxy whether this instance can serve
  (``workbench.web.health``).
- ``POST /workbench/release/<kernel id>`` lets a participant kernel that has nothing more to
  do (answer confirmed, session over) ask to be shut down a few seconds later, so that the
  room's memory follows the people still answering. The request must carry an HMAC of the
  kernel id with a key this server gives its kernels only (``WORKBENCH_RELEASE_KEY``).

Run as ``python -m workbench.web.voila_app`` with Voilà's own options.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import json
import os
import secrets

import tornado.ioloop
import tornado.web
from traitlets import Bool, Float, Int, Unicode
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler

from workbench.i18n import _
from workbench.web import access_log, assets, health
from workbench.web import room as rooms
from workbench.web.headers import SecurityHeaders
from workbench.web.pages import page_handlers, render
from workbench.web.release import HEADER, SERVER_ADDRESS, release_signature
from workbench.web.serve import SECRET_VARIABLES
from workbench.web.staff_login import StaffShutdownHandler
from workbench.web.templates import share_compiled_templates
from workbench.web.unconnected import Unconnected

__all__ = ["WorkbenchVoila"]


class RoomHandler(TornadoVoilaHandler):
    """Voilà's page handler, turning people away politely when the room is full."""

    async def get(self, path=None):
        limit = self.settings.get("workbench_max_kernels", 0)
        manager = self.kernel_manager
        preheated = bool(path) and manager.get_pool_size(path) > 0
        room: Unconnected | None = self.settings.get("workbench_unconnected")
        reservation = None
        if not preheated:
            if room is not None:  # a place counted now, before the kernel exists
                reservation = await room.admit(limit)
                full = reservation is None
            else:
                full = bool(limit) and len(manager.list_kernel_ids()) >= limit
            if full:
                page, delay = rooms.waiting_page()
                self.set_status(503)
                self.set_header("Retry-After", str(delay))
                self.set_header("Cache-Control", "no-store")
                self.finish(page)
                return
        # Sets the _xsrf cookie: the page's front end posts it when the page is left, and
        # Voilà shuts that kernel down at once (without it, a 403: the kernel stayed until
        # culled, 30 minutes later, holding a place in the room).
        _ = self.xsrf_token
        try:
            await super().get(path)
        finally:
            if reservation is not None:
                reservation.release()


_page_actor: contextvars.ContextVar = contextvars.ContextVar("workbench_page_actor",
                                                             default=None)


class StaffPageHandler(RoomHandler):
    """A staff page: signed in, allowed to open it, and its kernel started with the session.

    The session's secret reaches the kernel in its environment (``WORKBENCH_STAFF_SESSION``),
    which only this server writes: the browser cannot choose whom the kernel acts for.
    """

    @tornado.web.authenticated
    async def get(self, path=None):
        from workbench.staff.pages import may_open

        actor = self.current_user.actor
        if not may_open(actor, os.path.basename(path or "")):
            self.set_status(403)
            self.set_header("Cache-Control", "no-store")
            self.finish(render("staff_refused.html", base_url=self.base_url,
                               xsrf=self.xsrf_form_html(), message=_(
                "Your roles do not open this page. Ask an administrator if your work needs "
                "it.")))
            return
        token = _page_actor.set(actor)
        try:
            await super().get(path)
        finally:
            _page_actor.reset(token)


def _staff_page_config(page_config: dict, **_context) -> dict:
    return {**page_config, "workbenchStaff": True}


def _start_kernels_as_their_page(manager) -> None:
    """Staff kernels get their page's session; each kernel is its person's alone."""
    from workbench.staff.acting import SESSION_VARIABLE, SIDE_VARIABLE
    from workbench.web.staff_login import kernel_owners

    start = manager.start_kernel

    async def start_kernel(*args, **kwargs):
        actor = _page_actor.get()
        if actor is None:  # only a signed-in page request starts a staff kernel
            raise tornado.web.HTTPError(403)
        kwargs["env"] = {**(kwargs.get("env") or os.environ), SESSION_VARIABLE: actor.session,
                         SIDE_VARIABLE: "staff"}
        kernel_id = await start(*args, **kwargs)
        for gone in [k for k in kernel_owners if k not in manager]:
            kernel_owners.pop(gone, None)
        kernel_owners[kernel_id] = actor.account_id
        return kernel_id

    manager.start_kernel = start_kernel


class StaffHomeHandler(tornado.web.RequestHandler):
    """``/`` of the staff app: who is signed in, and the pages their roles open."""

    async def get(self) -> None:
        from workbench.staff.pages import pages_for
        from workbench.staff.roles import role_label

        base = self.settings.get("base_url", "/")
        user = await self.settings["identity_provider"].get_user(self)
        if user is None:
            self.redirect(f"{base}login")
            return
        actor = user.actor
        self.set_header("Cache-Control", "no-store")
        self.finish(render("staff_home.html", base_url=base, xsrf=self.xsrf_form_html(),
                           person=actor.name, email=actor.label,
                           roles=", ".join(role_label(r) for r in sorted(actor.roles)),
                           pages=pages_for(actor)))


class ReleaseHandler(tornado.web.RequestHandler):
    """A kernel asks to be shut down once its participant is done."""

    def check_xsrf_cookie(self) -> None:
        """Kernels are not browsers: they sign the request instead (see module doc)."""

    async def post(self, kernel_id: str) -> None:
        if not hmac.compare_digest(self.request.headers.get(HEADER, ""),
                                   release_signature(kernel_id)):
            raise tornado.web.HTTPError(403)
        manager = self.settings["kernel_manager"]
        if kernel_id not in manager:
            raise tornado.web.HTTPError(404)
        self.set_status(202)
        self.finish()
        # Leave the page time to receive the last messages (the receipt) before the kernel goes.
        await asyncio.sleep(self.settings.get("workbench_release_delay", 5.0))
        if kernel_id in manager:
            await manager.shutdown_kernel(kernel_id)


class HealthHandler(tornado.web.RequestHandler):
    """``GET /healthz`` for the reverse proxy's checks (see ``workbench.web.health``)."""

    _head: str | None = None

    async def get(self) -> None:
        from workbench.storage import get_engine
        from workbench.storage.migrate import head_revision

        engine = get_engine()
        if HealthHandler._head is None:  # read once: the code does not change under a server
            HealthHandler._head = head_revision()
        manager = self.settings["kernel_manager"]
        state = await asyncio.get_running_loop().run_in_executor(
            None, health.check, engine, HealthHandler._head,
            self.settings.get("workbench_instance", ""), len(manager.list_kernel_ids()),
            self.settings.get("workbench_max_kernels", 0))
        self.set_status(200 if state.serving else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(state.as_dict()))


class WorkbenchVoila(Voila):
    """Voilà with a kernel cap (``max_kernels``, 0 = none) and kernel release."""

    max_kernels = Int(0, config=True, help="Live kernels at most; beyond, a waiting page.")
    release_delay = Float(5.0, config=True, help="Seconds between a release and the shutdown.")
    instance_name = Unicode("", config=True, help="This instance's name (health checks, logs).")
    home_page = Bool(True, config=True, help="Serve the public home page at / (not on staff).")
    staff = Bool(False, config=True, help="The staff app: accounts, roles, kernels per person.")
    unconnected_timeout = Float(45.0, config=True,
                                help="Seconds before a kernel whose page never connected goes.")
    unconnected_grace = Float(10.0, config=True,
                              help="Seconds a page has to connect before its place can be taken.")
    disconnected_grace = Float(
        120.0, config=True,
        help="Seconds after its page left before a kernel may give its place in a full room.")
    max_unconnected = Int(0, config=True,
                          help="Kernels without a websocket at most (0: half the cap, >= 4).")

    def initialize(self, argv=None):
        # Inherited by every kernel this server starts (forked ones get it through their env).
        os.environ.setdefault("WORKBENCH_RELEASE_KEY", secrets.token_hex(32))
        share_compiled_templates()
        super().initialize(argv)
        # Kernels call this server back (release) at its own address: Voilà gives them the
        # port of the page's Host header, which behind a proxy is the proxy's (or none).
        host = "127.0.0.1" if self.ip in ("", "0.0.0.0", "::", "[::]") else self.ip
        os.environ[SERVER_ADDRESS] = f"http://{host}:{self.port}"
        if self.staff:  # the pages know they are staff pages (a desktop layout)
            self.voila_configuration.page_config_hook = _staff_page_config
        assets.version_bundle_urls(self)  # Voilà's bundle at a URL that changes with it

    def init_handlers(self):
        # The token was read (JUPYTER_TOKEN, staff server only): kernels do not inherit it.
        _ = self.identity_provider.token
        for name in SECRET_VARIABLES:
            os.environ.pop(name, None)
        access_log.install(self.app.settings)  # no token in the log
        if SecurityHeaders not in self.app.transforms:
            self.app.add_transform(SecurityHeaders)
        self.app.settings["workbench_max_kernels"] = self.max_kernels
        self.app.settings["workbench_release_delay"] = self.release_delay
        self.app.settings["workbench_instance"] = self.instance_name
        if self.unconnected_timeout > 0:
            watch = Unconnected(self.kernel_manager, self.unconnected_timeout,
                                self.unconnected_grace,
                                self.max_unconnected
                                or (max(4, self.max_kernels // 2) if self.max_kernels else 100),
                                left_grace=self.disconnected_grace)
            self.app.settings["workbench_unconnected"] = watch
            tornado.ioloop.IOLoop.current().add_callback(watch.run)
        # The _xsrf cookie every page now sets (RoomHandler): never sent by another site.
        self.app.settings["xsrf_cookie_kwargs"] = {
            **self.app.settings.get("xsrf_cookie_kwargs", {}), "samesite": "Strict"}
        # Not the contents API: it listed the notebooks (and nothing needs it).
        if self.staff:
            _start_kernels_as_their_page(self.kernel_manager)
        page = StaffPageHandler if self.staff else RoomHandler
        # Staff: a page's kernel is shut down by its owner only (web.staff_login).
        shutdown = StaffShutdownHandler if self.staff else VoilaShutdownKernelHandler
        handlers = [(pattern, page, *rest) if handler is TornadoVoilaHandler
                    else (pattern, shutdown) if handler is VoilaShutdownKernelHandler
                    else (pattern, handler, *rest)
                    for pattern, handler, *rest in super().init_handlers()
                    if handler is not VoilaContentsHandler]
        handlers = assets.install(self, handlers)  # gzip, Cache-Control (workbench.web.assets)
        release = (rf"{self.server_url.rstrip('/')}/workbench/release/([-\w]+)", ReleaseHandler)
        base = self.server_url.rstrip("/")
        staff_home = [(rf"{base}/?", StaffHomeHandler), (rf"{base}/voila/tree/?",
                                                          StaffHomeHandler)] if self.staff else []
        return [release, (rf"{base}/healthz", HealthHandler), *staff_home,
                *page_handlers(self.server_url, home=self.home_page), *handlers]


main = WorkbenchVoila.launch_instance

if __name__ == "__main__":
    main()
