"""A full room and a finished participant: the waiting page, and the kernel given back."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from workbench.forms.invitations import create_invitations
from workbench.forms.publish import publish_spec_file
from workbench.web.urls import participant_url

from .apps import PHONE, TIMEOUT_MS, Apps, http_status
from .conftest import TOKEN_SPEC

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    """A room of one: the cap is one live kernel."""
    running = Apps(tmp_path_factory.mktemp("room"), max_kernels=1)
    publish_spec_file(TOKEN_SPEC, running.engine)
    running.tokens = [i.token for i in create_invitations(
        "consultation-conseil", [None, None], engine=running.engine)]
    yield running
    running.stop()


def kernel_id(page: Page) -> str:
    return re.search(r'"kernelId": "([^"]+)"', page.content()).group(1)


def answer(page: Page) -> None:
    page.locator(".wb-question").filter(has_text="Votre collège").get_by_label(
        "Habitants").check()
    page.locator(".wb-question").filter(has_text="Votre satisfaction").get_by_role(
        "radio", name="8", exact=True).check()
    page.get_by_role("button", name="Envoyer").click()


def test_a_full_room_waits_politely_and_a_confirmed_answer_frees_a_place(
        browser: Browser, apps) -> None:
    first = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    dialogs: list[str] = []
    first.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    first.goto(participant_url(apps.public, "consultation-conseil", apps.tokens[0]))
    first.wait_for_selector(".wb-submit", timeout=TIMEOUT_MS)
    kernel = kernel_id(first)

    # The room is full: a French waiting page, 503 with Retry-After, that retries by itself.
    url = participant_url(apps.public, "consultation-conseil", apps.tokens[1])
    with pytest.raises(urllib.error.HTTPError) as full:
        urllib.request.urlopen(url, timeout=30)
    assert full.value.code == 503 and 4 <= int(full.value.headers["Retry-After"]) <= 9
    body = full.value.read().decode()
    assert "La salle est pleine pour le moment" in body and 'lang="fr"' in body
    second = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    second.goto(url)
    expect(second.locator("h1")).to_contain_text("La salle est pleine")

    # The first participant answers: the receipt stays on screen, the kernel is given back…
    answer(first)
    expect(first.locator(".wb-panel")).to_contain_text("Reçu n°")
    status = 200
    for _ in range(60):
        status = http_status(f"{apps.public}/api/kernels/{kernel}")
        if status == 404:
            break
        first.wait_for_timeout(500)
    assert status == 404, "the kernel of a finished page was not released"
    expect(first.locator(".wb-panel")).to_contain_text("Reçu n°")
    assert dialogs == []

    # … and the waiting page opens the form by itself.
    second.wait_for_selector(".wb-submit", timeout=TIMEOUT_MS)
    expect(second.locator(".wb-form")).to_contain_text("Votre collège")
    second.context.close()
    first.context.close()


@pytest.mark.parametrize("headers", [{}, {"X-Workbench-Release": "0" * 64}])
def test_only_the_kernel_itself_can_ask_for_its_release(apps, headers) -> None:
    request = urllib.request.Request(
        f"{apps.public}/workbench/release/{'1' * 8}-0000-0000-0000-{'2' * 12}", data=b"",
        method="POST", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
