"""Running the real Voilà apps for end-to-end tests, and a phone-sized Chromium."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from workbench.storage import get_engine, read_connection
from workbench.storage.migrate import upgrade
from workbench.storage.schema import response
from workbench.web.serve import (
    public_app_command,
    public_app_environment,
    staff_app_command,
    staff_app_environment,
)

from .conftest import sqlite_url

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 60_000
STAFF_PASSWORD = "une phrase de passe pour les tests du personnel"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(url: str) -> int:
    """The status of a GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


class Apps:
    """The public app (and optionally the staff app) on free ports, with their own database."""

    def __init__(self, folder: Path, staff: bool = False, env: dict | None = None,
                 expect: int = 0, max_kernels: int | None = None,
                 public_args: tuple[str, ...] = ()) -> None:
        self.url = sqlite_url(folder)
        self.engine = get_engine(self.url)
        upgrade(self.engine)
        self.public = f"http://127.0.0.1:{free_port()}"
        self.staff = f"http://127.0.0.1:{free_port()}" if staff else None
        environment = public_app_environment(public_url=self.public)
        # As in production: ipykernel behaves differently under pytest (it does not capture
        # the kernel's file descriptors), which once hid tracebacks sent to pages.
        environment.pop("PYTEST_CURRENT_TEST", None)
        environment.update({"WORKBENCH_DATABASE_URL": self.url,
                            "WORKBENCH_RUNTIME_DIR": str(folder / "pool"),
                            "WORKBENCH_EXPECTED": str(expect), **(env or {})})
        self.pool_dir = folder / "pool"
        self.log = (folder / "voila.log").open("w")
        commands = [(public_app_command("127.0.0.1", int(self.public.rsplit(":", 1)[1]),
                                        expect=expect, fill_delay=0.5,
                                        max_kernels=max_kernels) + list(public_args),
                     environment)]
        if staff:
            commands.append((staff_app_command("127.0.0.1", int(self.staff.rsplit(":", 1)[1])),
                             staff_app_environment(environment)))
        self.processes = [subprocess.Popen(c, env=e, stdout=self.log, stderr=subprocess.STDOUT)
                          for c, e in commands]
        for base in filter(None, (self.public, self.staff)):
            self._wait(base)

    def _wait(self, base: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                http_status(base + "/")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"Voilà did not start at {base}")

    def staff_account(self, role: str = "administrateur", email: str = "") -> str:
        """An account with ``role`` (made once) and the password ``STAFF_PASSWORD``; its e-mail."""
        return staff_account(self.engine, role, email)

    def staff_cookie(self, role: str = "administrateur", email: str = "") -> str:
        """A ``Cookie`` header value of a new session of that account (for plain requests)."""
        from workbench.staff.accounts import sign_in
        from workbench.web.staff_login import COOKIE

        secret = sign_in(self.staff_account(role, email), STAFF_PASSWORD, engine=self.engine)
        return f"{COOKIE}={secret}"

    def sign_in(self, page, role: str = "administrateur", email: str = "",
                then: str = "") -> None:
        """Sign in on the staff app's page with an account of that role; then open ``then``."""
        sign_in_page(page, self.staff, self.staff_account(role, email))
        if then:
            page.goto(then)

    def responses(self) -> int:
        with read_connection(self.engine) as conn:
            return conn.scalar(select(func.count()).select_from(response))

    def stop(self) -> None:
        """Stop the servers; then their log must hold no personal data (docs/rgpd.md: the
        catalogue allows none in logs): no e-mail address, no phone number."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=20)
        self.log.close()
        found = personal_data_in(Path(self.log.name).read_text(errors="replace"))
        assert not found, f"personal data in the servers' log {self.log.name}: {found[:5]}"


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_NUMBER = re.compile(r"(?<![\d.])(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}(?!\d)")


def personal_data_in(text: str) -> list[str]:
    """E-mail addresses and French phone numbers in ``text``."""
    return [m.group(0) for pattern in (EMAIL, PHONE_NUMBER) for m in pattern.finditer(text)]


def staff_account(engine, role: str = "administrateur", email: str = "") -> str:
    """An account with ``role`` and ``STAFF_PASSWORD`` in that database (made once); its e-mail."""
    from workbench.staff import accounts

    email = email or f"{role}@agglo.test"
    if not any(a.email == email for a in accounts.accounts(engine)):
        link = accounts.add_account(email, f"Test {role}", [role], engine=engine)
        accounts.set_password(link, STAFF_PASSWORD, STAFF_PASSWORD, engine=engine)
    return email


def sign_in_page(page, staff_base: str, email: str, password: str = STAFF_PASSWORD) -> None:
    """Fill in the staff app's sign-in form and wait for the page after it."""
    page.goto(f"{staff_base}/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()


def demo_apps(tmp_path_factory, name: str, **options):
    """A module fixture's body: the apps with the demo questionnaire published, then stopped."""
    from workbench.demo.seed import seed_demo

    running = Apps(tmp_path_factory.mktemp(name), **options)
    seed_demo(0, running.engine)
    yield running
    running.stop()


def new_page(browser, viewport: dict):
    """A page of its own context; any dialog (an alert from injected text) fails the test."""
    import pytest

    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
    return page


def login_request(staff_base: str, email: str, password: str, headers: dict | None = None,
                  path: str = "/login") -> tuple[int, object, str]:
    """POST the staff sign-in form as a browser would (with its _xsrf), without following the
    redirect: the status, the headers and the body."""
    import http.cookiejar
    import re
    import urllib.parse

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{staff_base}/login", timeout=30) as reply:
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', reply.read().decode()).group(1)
    data = urllib.parse.urlencode({"_xsrf": xsrf, "email": email,
                                   "password": password}).encode()
    request = urllib.request.Request(f"{staff_base}{path}", data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=60) as reply:
            return reply.status, reply.headers, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def off_loop(coroutine):
    """Run ``coroutine`` to its end in a thread of its own (Playwright owns this one's loop)."""
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
