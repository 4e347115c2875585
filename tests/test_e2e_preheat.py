"""Preheated participant kernels: ready before the rush, and given the right page."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from workbench.web.urls import participant_url

from .apps import PHONE, TIMEOUT_MS, Apps, demo_apps

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    yield from demo_apps(tmp_path_factory, "preheat", expect=2)


def ready(apps: Apps, n: int) -> None:
    from workbench.web import pool

    os.environ["WORKBENCH_RUNTIME_DIR"] = str(apps.pool_dir)
    try:
        deadline = time.monotonic() + 60
        while pool.ready_count() < n:
            assert time.monotonic() < deadline, "the pool did not fill"
            time.sleep(0.3)
    finally:
        del os.environ["WORKBENCH_RUNTIME_DIR"]


def test_a_preheated_kernel_gets_the_page_s_own_parameters(browser: Browser, apps) -> None:
    ready(apps, 2)
    for slug, title in [("evaluation-transport", "Évaluation participative du réseau"),
                        ("inconnu", "Ce questionnaire n'existe pas")]:
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(participant_url(apps.public, slug))
        page.wait_for_selector(".wb-form, .wb-panel", timeout=TIMEOUT_MS)
        expect(page.locator(".wb-page")).to_contain_text(title)
        page.context.close()
    ready(apps, 2)  # the pool refills after use
