"""Issue 17's faults on the real servers: scripts cannot hold the room, nothing leaks, headers."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from workbench.demo.seed import DEMO_SLUG, seed_demo
from workbench.web.urls import participant_url

from .a11y import assert_accessible
from .apps import PHONE, STAFF_PASSWORD, Apps, http_status, login_request, new_page, off_loop
from .test_e2e_forkserver import descendants

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    """A room of three, where a page has 2 s to connect and an unconnected kernel lives 4 s."""
    running = Apps(tmp_path_factory.mktemp("hardening"), max_kernels=3, public_args=(
        "--WorkbenchVoila.unconnected_timeout=4", "--WorkbenchVoila.unconnected_grace=2",
        "--WorkbenchVoila.disconnected_grace=6"))
    seed_demo(0, running.engine)
    yield running
    running.stop()


def kernels(apps: Apps) -> int:
    with urllib.request.urlopen(apps.public + "/healthz", timeout=30) as reply:
        return json.load(reply)["kernels"]


def wait_for_kernels(apps: Apps, expected: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while (count := kernels(apps)) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return count


def test_plain_requests_cannot_hold_the_room(browser: Browser, apps: Apps) -> None:
    """Three scripted GETs fill a room of three: the next person still gets in."""
    url = participant_url(apps.public, DEMO_SLUG)
    assert [http_status(url) for _ in range(3)] == [200, 200, 200]
    assert kernels(apps) == 3
    # Within the grace period the scripts' pages may still connect: the room waits…
    assert http_status(url) == 503
    time.sleep(2.5)
    # … then a real page takes the place of the oldest kernel that never connected.
    page = new_page(browser, PHONE)
    page.goto(url)
    page.wait_for_selector(".wb-submit")
    assert_accessible(page, "questionnaire after a scripted room")
    # The two other unconnected kernels are reclaimed; the connected page's is not.
    assert wait_for_kernels(apps, 1, 20) == 1
    page.get_by_role("button", name="Envoyer").wait_for()
    page.context.close()


def test_a_burst_of_requests_cannot_pass_the_cap(apps: Apps) -> None:
    """Places are counted before the kernels exist: twelve requests at once, three kernels."""
    wait_for_kernels(apps, 0, 30)
    url = participant_url(apps.public, DEMO_SLUG)
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _n: http_status(url), range(12)))
    assert statuses.count(200) == 3 and statuses.count(503) == 9
    assert kernels(apps) <= 3


def test_connecting_and_leaving_does_not_hold_the_room(apps: Apps) -> None:
    """A script that opens each kernel's websocket and closes it at once: its kernels give
    their places once their pages have been gone for the grace (6 s here, 2 min live)."""
    assert wait_for_kernels(apps, 0, 30) == 0
    url = participant_url(apps.public, DEMO_SLUG)
    for _ in range(3):
        with urllib.request.urlopen(url, timeout=60) as reply:
            kernel = re.search(r'"kernelId": "([^"]+)"', reply.read().decode()).group(1)
        ws = (apps.public.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
              f"?session_id={uuid.uuid4().hex}")

        async def touch(address: str = ws) -> None:
            (await websocket_connect(HTTPRequest(address))).close()

        off_loop(touch())
    time.sleep(1)
    assert kernels(apps) == 3 and http_status(url) == 503
    time.sleep(6)
    assert http_status(url) == 200


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Iterator[Apps]:
    running = Apps(tmp_path_factory.mktemp("hardening-staff"), staff=True)
    seed_demo(0, running.engine)
    yield running
    running.stop()


def environ(pid: int) -> str:
    return Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")


def test_no_staff_secret_on_a_command_line_or_in_a_public_process(both: Apps) -> None:
    # A participant's kernel, and a staff page's kernel.
    assert http_status(participant_url(both.public, DEMO_SLUG)) == 200
    cookie = both.staff_cookie("animateur")
    secret = cookie.split("=", 1)[1]
    request = urllib.request.Request(f"{both.staff}/voila/render/console.ipynb",
                                     headers={"Cookie": cookie})
    assert urllib.request.urlopen(request, timeout=60).status == 200
    public, staff = (descendants(p.pid) | {p.pid: (0, "")} for p in both.processes)
    assert any("ipykernel" in line or "forkserver" in line for _, line in public.values())
    for pid in [*public, *staff]:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
        assert secret not in command and STAFF_PASSWORD not in command
        assert STAFF_PASSWORD not in environ(pid)
    # Only the kernel of the page that session opened holds it, in its memory (it is forked
    # with that environment: /proc shows the fork server's); never the servers nor the
    # public side (test_e2e_staff shows its actions are that person's).
    assert not [pid for pid in [*public, *staff] if secret in environ(pid)]


def test_secrets_never_reach_the_log(both: Apps) -> None:
    secret = "Zz9" + "q" * 30
    assert http_status(f"{both.staff}/voila/render/nothing.ipynb?token={secret}") in (
        302, 403, 404)
    assert http_status(f"{both.public}/voila/render/nothing.ipynb?t={secret}&x=1") == 404
    # Once a 500 whose log line held the whole request (and a template path that gave it).
    assert http_status(f"{both.public}/voila/templates/workbench/conf.json?token={secret}") \
        == 404
    login = urllib.request.Request(f"{both.staff}/login?next=%2Fx%3Ftoken%3D{secret}",
                                   data=b"email=a%40b.fr&password=x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:  # no _xsrf: refused
        urllib.request.urlopen(login, timeout=30)
    assert refused.value.code == 403
    status, headers, _body = login_request(both.staff, both.staff_account(), STAFF_PASSWORD)
    assert status == 302
    session = re.search(r"workbench-staff=([^;]+)", headers["Set-Cookie"]).group(1)
    time.sleep(0.5)
    log = Path(both.log.name).read_text()
    assert "nothing.ipynb" in log
    for value in (secret, STAFF_PASSWORD, session):
        assert value not in log


def test_logout_and_the_contents_api(both: Apps) -> None:
    assert http_status(both.staff + "/logout") == 200  # the form; signing out is a post
    for base in (both.public, both.staff):
        assert http_status(base + "/voila/api/contents") in (302, 404)


def test_the_session_cookie_is_strict_and_secure_behind_https(both: Apps) -> None:
    email = both.staff_account()
    _status, headers, _body = login_request(both.staff, email, STAFF_PASSWORD)
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("workbench-staff"))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "expires" not in cookie.lower() and "Secure" not in cookie  # plain HTTP here
    _status, headers, _body = login_request(both.staff, email, STAFF_PASSWORD,
                                            {"X-Forwarded-Proto": "https"})
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("workbench-staff"))
    assert "Secure" in cookie  # behind the proxy's HTTPS


def test_every_response_carries_the_security_headers(both: Apps) -> None:
    urls = [both.public + "/", both.public + "/accessibilite",
            participant_url(both.public, DEMO_SLUG), both.public + "/voila/render/nothing.ipynb",
            both.public + "/healthz", both.staff + "/login",
            f"{both.staff}/voila/render/console.ipynb"]
    cookie = both.staff_cookie()
    for url in urls:
        try:
            reply = urllib.request.urlopen(urllib.request.Request(url, headers={
                "Cookie": cookie} if url.startswith(both.staff) else {}), timeout=60)
        except urllib.error.HTTPError as error:
            reply = error
        with reply:
            headers = reply.headers
            assets = re.findall(r'src="(/voila/templates/[^"]+)"', reply.read().decode())
        assert "script-src 'self'" in headers["Content-Security-Policy"], url
        assert "object-src 'none'" in headers["Content-Security-Policy"], url
        assert headers["Referrer-Policy"] == "no-referrer", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert "Server" not in headers, url
        for asset in assets[:2]:
            with urllib.request.urlopen(both.public + asset.replace("&amp;", "&")) as reply:
                assert reply.headers["Referrer-Policy"] == "no-referrer", asset


def test_the_pages_work_under_the_content_security_policy(browser: Browser, both: Apps) -> None:
    """The light front end and JupyterLab's: drawn, with no CSP violation."""
    page = new_page(browser, PHONE)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(participant_url(both.public, DEMO_SLUG))
    page.wait_for_selector(".wb-submit")
    page.goto(both.public + "/voila/render/associations.ipynb")
    page.get_by_role("heading", level=1).first.wait_for()
    page.wait_for_selector(".wb-directory")
    both.sign_in(page, then=f"{both.staff}/voila/render/console.ipynb")
    page.get_by_role("heading", level=1).first.wait_for()
    page.wait_for_timeout(1000)
    assert refused == []
    page.context.close()


def test_hostile_kernel_messages_get_no_traceback(both: Apps) -> None:
    """Unknown comm targets and models: the page learns nothing of the server's code."""
    with urllib.request.urlopen(participant_url(both.public, DEMO_SLUG)) as reply:
        kernel = re.search(r'"kernelId": "([^"]+)"', reply.read().decode()).group(1)
    url = (both.public.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
           f"?session_id={uuid.uuid4().hex}")

    def message(kind: str, content: dict) -> str:
        header = {"msg_id": uuid.uuid4().hex, "username": "x", "session": uuid.uuid4().hex,
                  "msg_type": kind, "version": "5.3", "date": ""}
        return json.dumps({"header": header, "parent_header": {}, "metadata": {},
                           "channel": "shell", "content": content, "buffers": []})

    hostile = [message("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "nope",
                                     "data": {}}),
               message("comm_msg", {"comm_id": "nope", "data": {"method": "update"}}),
               message("comm_open", {"comm_id": uuid.uuid4().hex,
                                     "target_name": "jupyter.widget",
                                     "data": {"state": {"_model_name": "Nope"}}})]

    async def send() -> list[dict]:
        socket = await websocket_connect(HTTPRequest(url))
        for text in hostile:
            await socket.write_message(text)
        replies = []
        try:
            while (raw := await asyncio.wait_for(socket.read_message(), 3)) is not None:
                replies.append(json.loads(raw))
        except TimeoutError:
            pass
        socket.close()
        return replies

    replies = off_loop(send())
    assert sum(r["msg_type"] == "status" for r in replies) >= 3  # the kernel did handle them
    told = json.dumps([r["content"] for r in replies])
    assert not [r for r in replies if r["msg_type"] in ("stream", "error")], told
    assert "Traceback" not in told and "site-packages" not in told
    assert "Incompatible widget protocol" in Path(both.log.name).read_text()  # staff see it

def test_failed_sign_ins_are_throttled_per_address(both: Apps) -> None:
    """Five failed sign-ins from one address: that address waits (1 minute, then longer),
    even with a right password; another address does not.

    Last of the module: the staff server then refuses this address for a while.
    """
    email = both.staff_account("lecture")

    def attempt(who: str, password: str, address: str) -> tuple[int, object, str]:
        return login_request(both.staff, who, password,
                             {"X-Forwarded-For": f"10.0.0.1, {address}"})

    statuses = [attempt(f"ghost{i}@agglo.test", "not the password", "203.0.113.7")[0]
                for i in range(7)]
    assert statuses == [200] * 5 + [429] * 2  # 200: the sign-in page again, with the error
    status, headers, body = attempt(email, STAFF_PASSWORD, "203.0.113.7")
    assert status == 429 and 0 < int(headers["Retry-After"]) <= 60
    assert "Trop de connexions échouées" in body
    assert attempt(email, STAFF_PASSWORD, "203.0.113.8")[0] == 302  # another address
