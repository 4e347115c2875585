"""Serving, properly configured: what the public app refuses, the staff token, the kernel."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.httpclient import HTTPRequest
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

from workbench.web.serve import public_app_command, staff_app_command

from .apps import Apps, demo_apps, http_status

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    yield from demo_apps(tmp_path_factory, "security", staff=True)


@pytest.mark.parametrize("path", [
    "/voila/render/console.ipynb",              # a staff notebook
    "/voila/render/../staff/console.ipynb",     # traversal to it
    "/voila/render/%2E%2E/staff/console.ipynb",
    "/voila/files/questionnaire.ipynb",         # a notebook's source
    "/voila/files/../../pyproject.toml",        # a file outside the folder
    "/voila/files/..%2F..%2Fpyproject.toml",
    "/voila/render/../../src/workbench/settings.py",
    "/voila/static/../../../../pyproject.toml",
    "/api/contents",
    "/api/kernels",
    "/tree",
])
def test_the_public_app_refuses_what_is_not_a_public_page(apps: Apps, path: str) -> None:
    try:
        with urllib.request.urlopen(apps.public + path, timeout=30) as reply:
            status = reply.status  # after any redirect
    except urllib.error.HTTPError as error:
        status = error.code
    assert status in (403, 404)


def test_the_public_home_page_lists_no_files(apps: Apps) -> None:
    with urllib.request.urlopen(apps.public + "/") as reply:
        page = reply.read().decode()
    assert "Participation citoyenne" in page and "Code de la séance" in page
    assert "resultats.ipynb" not in page and "voila-notebooks" not in page


def test_template_and_theme_overrides_are_ignored(apps: Apps) -> None:
    url = (apps.public + "/voila/render/questionnaire.ipynb?form=evaluation-transport"
           "&voila-template=lab&voila-theme=dark")
    with urllib.request.urlopen(url) as reply:
        page = reply.read().decode()
    assert "wb-header" in page and "theme-dark" not in page
    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_the_staff_app_needs_a_staff_account(apps: Apps) -> None:
    console = apps.staff + "/voila/render/console.ipynb"
    assert http_status(console) in (302, 403)
    assert http_status(console + "?token=wrong") in (302, 403)
    signed_in = urllib.request.Request(console, headers={"Cookie": apps.staff_cookie()})
    assert urllib.request.urlopen(signed_in, timeout=60).status == 200
    with urllib.request.urlopen(console) as reply:  # redirected to the sign-in page
        page = reply.read().decode()
    assert "Espace du personnel" in page and "Adresse électronique" in page
    assert "Password or token" not in page


def test_tracebacks_are_hidden_and_overrides_refused_in_both_apps() -> None:
    for command in (public_app_command("127.0.0.1", 1),
                    staff_app_command("127.0.0.1", 2)):
        assert "--VoilaConfiguration.show_tracebacks=False" in command
        assert "--VoilaConfiguration.allow_template_override=NO" in command
        assert "--VoilaConfiguration.allow_theme_override=NO" in command


def test_the_kernel_runs_no_code_sent_by_the_browser(apps: Apps, tmp_path: Path) -> None:
    url = apps.public + "/voila/render/questionnaire.ipynb?form=evaluation-transport"
    with urllib.request.urlopen(url) as reply:
        page = reply.read().decode()
    kernel_id = re.search(r'"kernelId": "([^"]+)"', page).group(1)
    marker = tmp_path / "executed"
    ws_url = (apps.public.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels"
              f"?session_id={uuid.uuid4().hex}")
    header = {"msg_id": uuid.uuid4().hex, "username": "x", "session": uuid.uuid4().hex,
              "msg_type": "execute_request", "version": "5.3", "date": ""}
    message = {"header": header, "parent_header": {}, "metadata": {}, "channel": "shell",
               "content": {"code": f"open({str(marker)!r}, 'w').write('x')", "silent": False,
                           "store_history": False, "user_expressions": {},
                           "allow_stdin": False, "stop_on_error": True}, "buffers": []}

    async def attack() -> list[str]:
        socket = await websocket_connect(HTTPRequest(ws_url))
        await socket.write_message(json.dumps(message))
        replies = []
        try:
            while (raw := await asyncio.wait_for(socket.read_message(), 3)) is not None:
                replies.append(json.loads(raw).get("msg_type"))
        except TimeoutError:
            pass
        socket.close()
        return replies

    replies = IOLoop.current().run_sync(attack)
    assert "execute_reply" not in replies
    assert not marker.exists()
