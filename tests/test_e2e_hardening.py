"""Issue 17's faults on the real servers: scripts cannot hold the room, nothing leaks, headers."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from workbench.demo.seed import DEMO_SLUG, seed_demo
from workbench.web.urls import participant_url

from .a11y import assert_accessible
from .apps import PHONE, Apps, http_status, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    """A room of three, where a page has 2 s to connect and an unconnected kernel lives 4 s."""
    running = Apps(tmp_path_factory.mktemp("hardening"), max_kernels=3, public_args=(
        "--WorkbenchVoila.unconnected_timeout=4", "--WorkbenchVoila.unconnected_grace=2"))
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
