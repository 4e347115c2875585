"""A phone that loses its connection: told while filling in, never after its receipt.

Playwright's websocket routing plays the phone: the kernel connection is cut and cannot come
back (screen locked, network gone) for as long as the test says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from workbench.forms.invitations import create_invitations
from workbench.forms.publish import publish_spec_file
from workbench.web.urls import participant_url

from .apps import PHONE, TIMEOUT_MS, Apps
from .conftest import TOKEN_SPEC

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    running = Apps(tmp_path_factory.mktemp("connection"))
    publish_spec_file(TOKEN_SPEC, running.engine)
    running.tokens = [i.token for i in create_invitations(
        "consultation-conseil", [None, None], engine=running.engine)]
    yield running
    running.stop()


class Network:
    """The phone's network for the kernel websocket: up, or cut."""

    def __init__(self, page: Page) -> None:
        self.up = True
        self.open: list[WebSocketRoute] = []
        page.route_web_socket(re.compile(r".*/channels.*"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        if not self.up:
            socket.close()
            return
        socket.connect_to_server()
        self.open.append(socket)

    def cut(self) -> None:
        self.up = False
        for socket in self.open:
            socket.close()
        self.open = []


def test_a_lost_connection_is_told_and_a_reload_brings_the_form_back(
        browser: Browser, apps) -> None:
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    network = Network(page)
    page.goto(participant_url(apps.public, "consultation-conseil", apps.tokens[0]))
    page.wait_for_selector(".wb-submit", timeout=TIMEOUT_MS)
    expect(page.locator("#wb-connection-lost")).to_have_count(0)
    network.cut()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Connexion interrompue", timeout=40_000)
    expect(alert).to_contain_text("Les réponses déjà envoyées sont bien enregistrées")
    network.up = True
    alert.get_by_role("button", name="Recharger la page").click()
    page.wait_for_selector(".wb-submit", timeout=TIMEOUT_MS)
    expect(page.locator("#wb-connection-lost")).to_have_count(0)
    page.context.close()


def test_a_finished_page_stays_quiet_when_its_kernel_goes(browser: Browser, apps) -> None:
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    network = Network(page)
    page.goto(participant_url(apps.public, "consultation-conseil", apps.tokens[1]))
    page.wait_for_selector(".wb-submit", timeout=TIMEOUT_MS)
    page.locator(".wb-question").filter(has_text="Votre collège").get_by_label(
        "Habitants").check()
    page.locator(".wb-question").filter(has_text="Votre satisfaction").get_by_role(
        "radio", name="7", exact=True).check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".wb-panel")).to_contain_text("Reçu n°")
    network.cut()  # and the kernel is released a few seconds later anyway
    page.wait_for_timeout(20_000)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator(".wb-panel")).to_contain_text("Reçu n°")
    page.context.close()
