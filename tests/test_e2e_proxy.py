"""Going live beyond one process: HAProxy (deploy/haproxy/haproxy.cfg) over HTTPS in front of
two public instances sharing PostgreSQL; one instance dies during the room.

Every phone of a room comes from one address, so the proxy routes by an inserted cookie:
the test checks that phones land on both instances, that the projected results count every
answer whatever instance took it, and that after a crash the phones of the dead instance are
told, reload onto the live one, and no answer is lost or stored twice.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, func, select, text

from workbench.forms.publish import publish_spec_file
from workbench.storage import get_engine, read_connection
from workbench.storage.migrate import upgrade
from workbench.storage.schema import response
from workbench.web.proxy import LocalProxy, haproxy_binary, self_signed_pem
from workbench.web.urls import participant_session_url, results_url
from workbench.workshops import sessions

from .apps import PHONE, TIMEOUT_MS, free_port, sign_in_page, staff_account
from .conftest import POSTGRES_URL, ROOT, postgres_or_fail

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
SPEC = ROOT / "benchmarks" / "specs" / "atelier-charge.yaml"
PHONES = 6
errors: list[str] = []


class Deployment:
    """What deploy/ sets up: two public servers and the staff server started as the systemd
    units start them (each in its own process group, so a crash takes its kernels), HAProxy
    with deploy/haproxy/haproxy.cfg in front."""

    def __init__(self, folder: Path, url: str) -> None:
        self.folder, self.url = folder, url
        self.ports = [free_port(), free_port()]
        self.staff_port = free_port()
        self.instances: dict[str, subprocess.Popen] = {}
        self.log = (folder / "servers.log").open("w")
        # The proxy's two ports stay bound here until HAProxy starts: the servers' kernels,
        # started meanwhile, bind random ports and once took one (HAProxy then failed).
        held = [socket.socket() for _ in range(2)]
        for sock in held:
            sock.bind(("127.0.0.1", 0))
        https_port, http_port = (sock.getsockname()[1] for sock in held)
        self.proxy = LocalProxy(https_port=https_port, http_port=http_port,
                                public=tuple(f"127.0.0.1:{p}" for p in self.ports),
                                staff=f"127.0.0.1:{self.staff_port}",
                                pem=self_signed_pem(folder))
        env = {**os.environ, "WORKBENCH_DATABASE_URL": url, "WORKBENCH_HOME": str(ROOT),
               "WORKBENCH_PUBLIC_URL": self.proxy.url,
               "WORKBENCH_RUNTIME_DIR": str(folder / "pool"), "WORKBENCH_MAX_KERNELS": "0"}
        self.haproxy: subprocess.Popen | None = None
        try:  # a deployment that fails to start leaves no server behind
            workbench = str(Path(sys.executable).parent / "workbench")
            commands = {name: [workbench, "serve", "--public-only", "--host", "127.0.0.1",
                               "--port", str(port), "--instance", name]
                        for name, port in zip(("p1", "p2"), self.ports, strict=True)}
            commands["staff"] = [workbench, "serve", "--staff-only", "--host", "127.0.0.1",
                                 "--staff-port", str(self.staff_port)]
            for name, command in commands.items():
                self.instances[name] = subprocess.Popen(command, env=env, stdout=self.log,
                                                        stderr=subprocess.STDOUT,
                                                        start_new_session=True)
            for port in self.ports:
                assert self.health(port)["status"] == "ok"
            for sock in held:
                sock.close()
            self.haproxy = subprocess.Popen(self.proxy.command(),
                                            env={**os.environ, **self.proxy.environment()},
                                            stdout=self.log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 30
            while socket.socket().connect_ex(("127.0.0.1", self.proxy.https_port)):
                assert time.monotonic() < deadline and self.haproxy.poll() is None, "no proxy"
                time.sleep(0.2)
        except BaseException:
            self.stop()
            raise

    def health(self, port: int, wait: float = 60) -> dict:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
                    return json.loads(r.read())
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def kill(self, name: str) -> None:
        """The instance's machine dies: the server and all its kernels, at once."""
        os.killpg(self.instances[name].pid, signal.SIGKILL)
        self.instances[name].wait(timeout=20)

    def stop(self) -> None:
        if self.haproxy is not None:
            self.haproxy.terminate()
            self.haproxy.wait(timeout=20)
        for process in self.instances.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        self.log.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    postgres_or_fail()
    assert Path(haproxy_binary()).exists(), "haproxy missing: make test installs it"
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"create schema {schema}"))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    upgrade(get_engine(url))
    publish_spec_file(SPEC, get_engine(url))
    running = Deployment(tmp_path_factory.mktemp("proxy"), url)
    yield running
    running.stop()
    get_engine(url).dispose()
    with admin.begin() as conn:
        conn.execute(text(f"drop schema {schema} cascade"))
    admin.dispose()


def phone(browser: Browser) -> Page:
    page = browser.new_context(viewport=PHONE, is_mobile=True,
                               ignore_https_errors=True).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
    # A script refused by the proxy's Content-Security-Policy would show here.
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def instance_of(page: Page) -> str:
    """The instance the proxy tied this phone to (its inserted cookie)."""
    return next(c["value"] for c in page.context.cookies() if c["name"] == "WBSRV")


def answer(page: Page, index: int) -> None:
    page.get_by_role("radio", name=["Oui", "Plutôt oui", "Plutôt non", "Non"][index % 4],
                       exact=True).check()
    page.locator(".wb-scale-options").get_by_role("radio", name=str(index % 11), exact=True).check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("Reçu n°")


def stored(deployment: Deployment) -> int:
    with read_connection(get_engine(deployment.url)) as conn:
        return conn.scalar(select(func.count()).select_from(response))


def test_health_says_what_the_proxy_needs_and_nothing_personal(deployment) -> None:
    state = deployment.health(deployment.ports[0])
    assert state == {"status": "ok", "instance": "p1", "database": "ok", "schema": "current",
                     "kernels": state["kernels"], "max_kernels": 0, "full": False}
    # Through the proxy, the health check is not public.
    request = urllib.request.Request(f"{deployment.proxy.url}/healthz")
    context = ssl._create_unverified_context()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, context=context, timeout=10)
    assert refused.value.code == 404
    # The proxy's own answers carry the security headers too.
    assert refused.value.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in refused.value.headers["Content-Security-Policy"]
    release = urllib.request.Request(f"{deployment.proxy.url}/workbench/release/x", data=b"",
                                     method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(release, context=context, timeout=10)
    assert refused.value.code == 404


def test_the_staff_app_is_served_on_its_own_host_with_accounts(browser: Browser,
                                                               deployment) -> None:
    staff = phone(browser)
    host = f"https://localhost:{deployment.proxy.https_port}"
    staff.goto(f"{host}/voila/render/console.ipynb")
    assert "/login" in staff.url and staff.locator(".wb-console").count() == 0
    sign_in_page(staff, host, staff_account(get_engine(deployment.url), "animateur"))
    cookie = next(c for c in staff.context.cookies() if c["name"] == "workbench-staff")
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    staff.goto(f"{host}/voila/render/console.ipynb")
    staff.wait_for_selector(".wb-console")
    staff.get_by_label("Titre de la séance").fill("Console par le proxy")
    staff.get_by_role("button", name="Créer la séance").click()  # the kernel socket works
    status = staff.get_by_text(re.compile(r"^Séance [A-Z0-9]{6} : pas encore ouverte$"))
    expect(status).to_be_visible()
    # The QR codes and links point at the proxy's public address.
    expect(staff.locator(".wb-console")).to_contain_text(deployment.proxy.url)
    assert errors == []


def test_a_room_across_two_instances_survives_losing_one(browser: Browser,
                                                         deployment) -> None:
    engine = get_engine(deployment.url)
    code = sessions.open_session(sessions.create_session("atelier-charge", "Rencontres",
                                                         False, engine).code, engine).code
    phones = []
    for _ in range(PHONES):
        page = phone(browser)
        reply = page.goto(participant_session_url(deployment.proxy.url, code))
        assert reply.headers["strict-transport-security"].startswith("max-age=")
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        page.wait_for_selector(".wb-form")
        phones.append(page)
    landed = [instance_of(p) for p in phones]
    assert set(landed) == {"p1", "p2"}, landed

    # One phone per instance answers before the crash.
    first = {name: landed.index(name) for name in ("p1", "p2")}
    for index in first.values():
        answer(phones[index], index)
    assert stored(deployment) == 2

    deployment.kill("p1")
    # Its phones that were still answering are told, and a reload lands on p2.
    for index, page in enumerate(phones):
        if landed[index] != "p1" or index == first["p1"]:
            continue
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Connexion interrompue", timeout=45_000)
        alert.get_by_role("button", name="Recharger la page").click()
        page.wait_for_selector(".wb-form")
        assert instance_of(page) == "p2"
    # The phone that had answered on p1 reloads too: the browser kept its submission id, so
    # the live instance says the answers are recorded instead of asking again.
    done = phones[first["p1"]]
    done.reload()
    expect(done.locator(".wb-done")).to_contain_text("Vos réponses sont enregistrées")
    assert instance_of(done) == "p2"

    for index, page in enumerate(phones):
        if index not in first.values():
            answer(page, index)
    # Every answer stored once, whatever instance took it.
    assert stored(deployment) == PHONES
    results = phone(browser)
    results.goto(results_url(deployment.proxy.url, code))
    card = results.locator(".wb-card").filter(has_text="Le projet vous paraît-il utile ?")
    expect(card).to_contain_text(f"{PHONES} réponses")
    assert deployment.health(deployment.ports[1])["status"] == "ok"
    # The answered pages gave their kernels back (the kernels call their own server, not the
    # proxy's address their page came through): only the results page's may remain.
    deadline = time.monotonic() + 30
    while deployment.health(deployment.ports[1])["kernels"] > 1:
        assert time.monotonic() < deadline, deployment.health(deployment.ports[1])
        time.sleep(0.5)
    assert re.fullmatch(r"p[12]", instance_of(results))
    assert errors == []
