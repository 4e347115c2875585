"""End to end: the participatory budget's vote on a phone (real Voilà server, Chromium, axe)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from workbench.budget.voting import create_tokens
from workbench.demo.budget import EDITION, seed_budget
from workbench.storage import read_connection
from workbench.storage.schema import pb_ballot

from .a11y import assert_accessible
from .apps import PHONE, TIMEOUT_MS, Apps

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    running = Apps(tmp_path_factory.mktemp("budget"))
    seed_budget(running.engine)
    yield running
    running.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def ballots(apps: Apps) -> int:
    with read_connection(apps.engine) as conn:
        return conn.scalar(select(func.count()).select_from(pb_ballot))


def open_ballot(page: Page, apps: Apps, token: str) -> None:
    page.goto(f"{apps.public}/voila/render/budget.ipynb?edition={EDITION}&t={token}")
    page.wait_for_selector(".wb-submit, .wb-panel", timeout=TIMEOUT_MS)


def test_a_phone_votes_within_the_envelope_and_a_code_votes_once(apps: Apps, phone: Page,
                                                                 browser: Browser) -> None:
    token = create_tokens(EDITION, 1, apps.engine)[0]
    before = ballots(apps)
    open_ballot(phone, apps, token)
    expect(phone).to_have_title(re.compile("Budget participatif de démonstration"))
    projects = phone.get_by_role("group", name="Vos projets")
    status = phone.locator(".wb-progress")
    expect(status).to_contain_text("0 projet choisi · reste 300\u202f000\u00a0€ sur "
                                   "300\u202f000\u00a0€")
    assert_accessible(phone, "budget ballot, empty")
    # Over the envelope: told at once, in French, and the vote is not sent.
    for name in ("Piste cyclable vers la gare", "Skatepark", "Terrain multisport",
                 "Piste de pumptrack"):
        projects.get_by_role("checkbox", name=re.compile(name)).check()
    expect(projects).to_contain_text("Ces projets coûtent 335\u202f000\u00a0€, plus que les "
                                     "300\u202f000\u00a0€ à répartir : décochez un projet.")
    expect(status).to_contain_text("4 projets choisis · reste 0\u00a0€")
    assert_accessible(phone, "budget ballot, overspent")
    phone.get_by_role("button", name="Voter").click()
    # Focus back on the question to correct (its first ticked box).
    expect(projects.get_by_role("checkbox", name=re.compile("Piste cyclable"))).to_be_focused()
    assert ballots(apps) == before
    # Within it: a receipt.
    projects.get_by_role("checkbox", name=re.compile("Piste de pumptrack")).uncheck()
    expect(status).to_contain_text("3 projets choisis · reste 30\u202f000\u00a0€")
    phone.get_by_role("button", name="Voter").click()
    panel = phone.locator(".wb-panel")
    expect(panel).to_contain_text("Votre vote est enregistré")
    expect(panel).to_contain_text("Reçu n°")
    assert ballots(apps) == before + 1
    assert_accessible(phone, "budget ballot, receipt")
    # The same code on another phone: refused, nothing stored.
    other = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    other.set_default_timeout(TIMEOUT_MS)
    open_ballot(other, apps, token)
    other.get_by_role("group", name="Vos projets").get_by_role(
        "checkbox", name=re.compile("Boîtes à livres")).check()
    other.get_by_role("button", name="Voter").click()
    expect(other.get_by_role("alert")).to_contain_text(
        "Ce code de vote a déjà servi : un seul bulletin par personne.")
    assert ballots(apps) == before + 1
    other.context.close()


def test_a_page_without_code_asks_for_it(apps: Apps, phone: Page) -> None:
    phone.goto(f"{apps.public}/voila/render/budget.ipynb?edition={EDITION}")
    phone.wait_for_selector(".wb-submit", timeout=TIMEOUT_MS)
    phone.get_by_role("group", name="Vos projets").get_by_role(
        "checkbox", name=re.compile("Boîtes à livres")).check()
    phone.get_by_role("button", name="Voter").click()
    code = phone.get_by_label("Votre code de vote")
    expect(code).to_be_focused()
    expect(code).to_have_accessible_description(re.compile("Indiquez votre code de vote."))
    assert_accessible(phone, "budget ballot, code missing")


def test_an_unknown_edition_says_so(apps: Apps, phone: Page) -> None:
    phone.goto(f"{apps.public}/voila/render/budget.ipynb?edition=inconnue")
    expect(phone.locator(".wb-panel")).to_contain_text("Budget participatif introuvable")
    assert_accessible(phone, "budget, unknown edition")


def test_a_declared_ballot_shows_why_it_asks_who_votes(apps: Apps, phone: Page) -> None:
    """Where eligibility is declared, the name, birth year and commune come with the notice of
    the voter roll's processing (RGPD art. 13)."""
    from sqlalchemy import update

    from workbench.storage import write_transaction
    from workbench.storage.schema import pb_edition

    def eligibility(value: str) -> None:
        with write_transaction(apps.engine) as conn:
            conn.execute(update(pb_edition).where(pb_edition.c.slug == EDITION)
                         .values(eligibility=value))

    eligibility("declared")
    try:
        phone.goto(f"{apps.public}/voila/render/budget.ipynb?edition={EDITION}")
        phone.wait_for_selector(".wb-submit", timeout=TIMEOUT_MS)
        expect(phone.get_by_label("Votre année de naissance")).to_be_visible()
        notice = phone.get_by_role("complementary", name="Vos données personnelles")
        expect(notice).to_contain_text("Liste des votants")
        expect(notice).to_contain_text("2 mois après la proclamation des résultats")
        assert_accessible(phone, "declared ballot with its notice")
    finally:
        eligibility("token")


def test_after_the_vote_the_page_shows_the_results(apps: Apps, phone: Page) -> None:
    """Last in this module: it closes the demo vote."""
    from datetime import timedelta

    from sqlalchemy import update

    from workbench.storage import write_transaction
    from workbench.storage.schema import pb_edition
    from workbench.territory.clock import local_today

    with write_transaction(apps.engine) as conn:
        conn.execute(update(pb_edition).values(vote_close=local_today() - timedelta(days=1)))
    phone.goto(f"{apps.public}/voila/render/budget.ipynb?edition={EDITION}")
    phone.wait_for_selector(".wb-pb-results", timeout=TIMEOUT_MS)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("les résultats")
    table = phone.get_by_role("table", name="Les projets et les règles côte à côte")
    expect(table.get_by_role("columnheader", name="Parts égales (avec Add1)",
                             exact=True)).to_be_visible()
    expect(phone.get_by_role("region", name=re.compile("Par commune"))).to_be_visible()
    expect(phone.locator(".wb-pb-results")).to_contain_text("Piscine couverte (fictif)")
    assert_accessible(phone, "budget results")

