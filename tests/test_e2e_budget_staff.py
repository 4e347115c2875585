"""End to end: the services review the participatory budget's projects (staff app, axe)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from workbench.budget.review import projects
from workbench.demo.budget import EDITION, seed_budget

from .a11y import assert_accessible
from .apps import PHONE, Apps, http_status, new_page

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
    apps.sign_in(page, "animateur", then=url)
    page.wait_for_selector(".wb-pb-review", timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Budget participatif : étude de faisabilité")
    expect(page.get_by_role("table", name="Projets")).to_contain_text(
        "Piscine couverte (fictif)")
    assert_accessible(page, "budget review page")
    page.get_by_label("Projet", exact=True).select_option(
        label="1. Aire de jeux inclusive (fictif)")
    page.get_by_label("Statut", exact=True).select_option(label="non recevable")
    page.get_by_role("button", name="Enregistrer l'étude").click()
    expect(page.get_by_role("alert")).to_contain_text("demande un motif et un texte public")
    page.get_by_label("Motif", exact=True).select_option(label="déjà prévu ou financé")
    page.get_by_label("Texte public", exact=True).fill("Une aire de jeux est déjà prévue en 2027.")
    page.get_by_role("button", name="Enregistrer l'étude").click()
    expect(page.get_by_role("status").filter(has_text="Étude du projet")).to_contain_text(
        "Étude du projet 1 enregistrée.")
    row = next(r for r in projects(EDITION, apps.engine) if r.code == "1")
    assert (row.status, row.refusal_category) == ("non_recevable", "existant")
    assert_accessible(page, "budget review page, after a review")
    page.context.close()


def test_a_resident_proposes_a_project_the_services_then_see(apps: Apps,
                                                             browser: Browser) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from workbench.storage import write_transaction
    from workbench.storage.schema import pb_edition
    from workbench.territory.clock import local_today

    today = local_today()
    with write_transaction(apps.engine) as conn:
        conn.execute(update(pb_edition).values(proposals_open=today - timedelta(days=1),
                                               proposals_close=today + timedelta(days=9)))
    phone = new_page(browser, PHONE)
    phone.goto(f"{apps.public}/voila/render/budget.ipynb?edition={EDITION}")
    phone.wait_for_selector(".wb-submit", timeout=120_000)
    expect(phone.locator(".wb-hint").filter(has_text="Vos coordonnées")).to_contain_text(
        "effacées un an après les résultats")
    phone.get_by_label("Titre du projet").fill("Un banc au soleil")
    phone.get_by_label("De quoi s'agit-il, pour qui, où ?").fill(
        "Un banc face à la mer pour les promeneurs du dimanche.")
    phone.get_by_role("combobox", name="Où").select_option(label="Paimpol")
    phone.get_by_label("Thème").select_option(label="solidarité")
    cost = phone.get_by_label("Coût estimé, en euros")
    cost.fill("1500")
    cost.press("Tab")
    phone.get_by_label("Vos prénom et nom").fill("Anne Le Goff")
    # RGPD: the notice of both processings, and the consent to be recontacted, unticked.
    notice = phone.get_by_role("complementary", name="Vos données personnelles")
    expect(notice).to_contain_text("Nom et coordonnées des porteurs de projet")
    expect(notice).to_contain_text("Être recontacté·e pour les prochaines consultations")
    recontact = phone.get_by_role("checkbox", name=re.compile(
        "J’accepte que l’Agglomération conserve mon nom et mon adresse électronique"))
    expect(recontact).not_to_be_checked()
    recontact.check()
    expect(recontact).to_be_checked()
    phone.get_by_role("button", name="Proposer le projet").click()
    email = phone.get_by_label("Votre courriel")
    expect(email).to_have_accessible_description(re.compile(
        "Indiquez une adresse électronique ou un numéro de téléphone."))
    expect(email).to_be_focused()
    expect(phone.get_by_text(re.compile("Donnez votre adresse électronique pour être "
                                        "prévenu·e"))).to_be_visible()
    assert_accessible(phone, "budget proposal, contact missing")
    email.fill("anne@example.fr")
    email.press("Tab")
    phone.get_by_role("button", name="Proposer le projet").click()
    expect(phone.locator(".wb-panel")).to_contain_text("Votre projet porte le numéro 25")
    assert_accessible(phone, "budget proposal, receipt")
    phone.context.close()
    row = next(r for r in projects(EDITION, apps.engine) if r.code == "25")
    assert (row.title, row.status, row.proposed_cost) == ("Un banc au soleil", "proposee", 1500)
    from workbench.rgpd.consent import active_contacts

    [contact] = active_contacts(engine=apps.engine)
    assert (contact.email, contact.source) == ("anne@example.fr", "budget-participatif")
