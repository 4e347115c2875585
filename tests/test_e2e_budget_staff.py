"""End to end: the services review the participatory budget's projects (staff app, axe)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from workbench.budget.review import projects
from workbench.demo.budget import EDITION, seed_budget

from .a11y import assert_accessible
from .apps import STAFF_TOKEN, Apps, http_status, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    running = Apps(tmp_path_factory.mktemp("budget-staff"), staff=True)
    seed_budget(running.engine)
    yield running
    running.stop()


def test_the_services_refuse_a_project_with_a_public_reason(apps: Apps,
                                                            browser: Browser) -> None:
    url = f"{apps.staff}/voila/render/budget.ipynb?edition={EDITION}"
    assert http_status(url) in (302, 403)  # no token: refused
    page = new_page(browser, {"width": 1280, "height": 900})
    page.goto(f"{url}&token={STAFF_TOKEN}")
    page.wait_for_selector(".wb-staff", timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Budget participatif : étude de faisabilité")
    expect(page.locator(".wb-table")).to_contain_text("Piscine couverte (fictif)")
    assert_accessible(page, "budget review page")
    page.get_by_label("Projet").select_option(label="1. Aire de jeux inclusive (fictif)")
    page.get_by_label("Statut").select_option(label="non recevable")
    page.get_by_role("button", name="Enregistrer l'étude").click()
    expect(page.get_by_role("alert")).to_contain_text("demande un motif et un texte public")
    page.get_by_label("Motif").select_option(label="déjà prévu ou financé")
    page.get_by_label("Texte public").fill("Une aire de jeux est déjà prévue en 2027.")
    page.get_by_role("button", name="Enregistrer l'étude").click()
    expect(page.get_by_role("status")).to_contain_text("Étude du projet 1 enregistrée.")
    row = next(r for r in projects(EDITION, apps.engine) if r.code == "1")
    assert (row.status, row.refusal_category) == ("non_recevable", "existant")
    assert_accessible(page, "budget review page, after a review")
    page.context.close()
