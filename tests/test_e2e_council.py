"""End to end: the council's staff page, members signing in on their phones, the public avis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import insert

from workbench.council.meetings import attendance_sheet, list_meetings
from workbench.storage import write_transaction
from workbench.storage.schema import avis_recommendation, council_avis
from workbench.territory.clock import local_today
from workbench.web.urls import signin_url

from .a11y import assert_accessible
from .apps import PHONE, Apps, http_status, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    from workbench.demo.council import seed_council
    from workbench.demo.seed import seed_demo

    running = Apps(tmp_path_factory.mktemp("council"), staff=True)
    seed_demo(0, running.engine)
    seed_council(local_today().year, running.engine)
    with write_transaction(running.engine) as conn:
        avis = conn.scalar(insert(council_avis).values(
            slug="avis-test", title="Avis <script>alert(1)</script> sur l'eau",
            kind="auto-saisine", adopted_on=date.today(), text="").returning(council_avis.c.id))
        conn.execute(insert(avis_recommendation).values(
            avis_id=avis, text="<img src=x onerror=alert(2)> Protéger les captages",
            addressee="Service eau"))
    yield running
    running.stop()


def todays_meeting(apps: Apps):
    return next(m for m in list_meetings(apps.engine) if m.held_on == local_today())


def test_a_member_signs_in_on_a_phone(browser: Browser, apps: Apps) -> None:
    meeting = todays_meeting(apps)
    phone = new_page(browser, PHONE)
    phone.goto(signin_url(apps.public, meeting.id, meeting.signin_code))
    expect(phone.get_by_role("heading", name="Émargement")).to_be_visible()
    expect(phone).to_have_title("Émargement de la réunion — Guingamp-Paimpol Agglomération")
    notice = phone.get_by_role("complementary", name="Vos données personnelles")
    expect(notice).to_contain_text("Présences aux réunions")
    expect(notice.get_by_role("link", name="Vos droits et comment les exercer")).to_have_attribute(
        "href", "/donnees-personnelles#conseil-registre")
    assert_accessible(phone, "sign-in page")
    email = phone.get_by_role("textbox", name="Votre courriel")
    expect(email).to_have_attribute("type", "email")
    expect(email).to_have_attribute("autocomplete", "email")
    phone.get_by_placeholder("prenom.nom@exemple.fr").fill("pas-une-adresse")
    phone.get_by_role("button", name="Je suis présent·e").click()
    expect(phone.get_by_role("alert")).to_contain_text("elle contient @")
    expect(phone.locator(":focus")).to_have_accessible_description(
        re.compile("elle contient @"))
    assert_accessible(phone, "sign-in page, not an address")
    # Any address gets the same answer: the room's code does not tell who is invited.
    neutral = "Si cette adresse est celle d'un membre invité à cette réunion"
    phone.get_by_placeholder("prenom.nom@exemple.fr").fill("inconnu@exemple.invalid")
    phone.get_by_role("button", name="Je suis présent·e").click()
    expect(phone.get_by_text(neutral)).to_be_visible()
    unknown = phone.content()
    phone.get_by_role("button", name="Émarger pour un autre membre").click()
    expect(phone.get_by_text(neutral)).to_have_count(0)
    phone.get_by_placeholder("prenom.nom@exemple.fr").fill("Membre-Fictif-07@exemple.invalid")
    # The first view's delayed commit ("inconnu…", 400 ms after its keystroke) must not
    # overwrite what was typed in the redrawn field.
    phone.wait_for_timeout(600)
    phone.get_by_role("button", name="Je suis présent·e").click()
    expect(phone.get_by_text(neutral)).to_be_visible()
    assert re.sub(r"\s", "", phone.content()) == re.sub(r"\s", "", unknown)
    assert_accessible(phone, "sign-in page, attendance recorded")
    assert "Membre fictif" not in phone.content()  # nothing personal shown back
    marks = {name: present for _id, name, present in attendance_sheet(meeting.id, apps.engine)}
    assert marks["Membre fictif 07"] is True and marks["Membre fictif 08"] is None

    wrong = new_page(browser, PHONE)
    wrong.goto(signin_url(apps.public, meeting.id, "faux-code"))
    expect(wrong.get_by_text("Lien non reconnu")).to_be_visible()


def test_the_staff_page_needs_the_token_and_shows_the_room_qr_code(browser: Browser,
                                                                   apps: Apps) -> None:
    url = apps.staff + "/voila/render/conseil.ipynb"
    assert http_status(url) in (302, 403)
    assert http_status(apps.public + "/voila/render/conseil.ipynb") == 404
    staff = new_page(browser, {"width": 1280, "height": 1000})
    apps.sign_in(staff, "secretariat-conseil", then=url)
    staff.wait_for_selector(".wb-council")
    expect(staff.get_by_text("Parité respectée")).to_be_visible()
    # The registry is a data grid: sorted, filtered, paged; a row selected is edited.
    grid = staff.get_by_role("table", name="Membres du conseil")
    expect(grid).to_contain_text("Membre fictif 01")
    members = staff.locator(".wb-members")
    expect(members.get_by_text("Lignes 1 à 25 sur 60", exact=True)).to_be_visible()
    header = grid.get_by_role("columnheader").first
    sort = header.get_by_role("button")
    expect(sort).to_have_accessible_name("Nom\u00a0: trier selon cette colonne")
    sort.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    sort.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(grid.locator("tbody tr").first).to_contain_text("Membre fictif 60")
    members.get_by_role("searchbox").fill("fictif 07")
    expect(members.get_by_text("Lignes 1 à 1 sur 1 (filtrées parmi 60)", exact=True)
           ).to_be_visible()
    assert_accessible(staff, "council members grid, sorted and filtered")
    grid.locator("tbody tr").first.click()
    expect(staff.get_by_label("Nom", exact=True)).to_have_value("Membre fictif 07")
    staff.get_by_role("tab", name="Réunions").click()
    meeting = todays_meeting(apps)
    label = f"{local_today():%d/%m/%Y} · Assemblée plénière · {meeting.place}"
    staff.get_by_label("Réunion", exact=True).select_option(label=label)
    expect(staff.locator(".wb-signin-code svg")).to_be_visible()
    expect(staff.locator(".wb-signin-code a")).to_have_attribute(
        "href", signin_url(apps.public, meeting.id, meeting.signin_code))
    assert_accessible(staff, "council staff page, meetings tab")
    staff.get_by_role("tab", name="Avis").click()
    expect(staff.get_by_text("Indicateurs du droit de suite")).to_be_visible()
    assert_accessible(staff, "council staff page, avis tab")


def test_the_public_avis_page_escapes_and_shows_no_personal_data(browser: Browser,
                                                                 apps: Apps) -> None:
    page = new_page(browser, {"width": 1280, "height": 900})
    page.goto(apps.public + "/voila/render/avis.ipynb")
    expect(page.get_by_role("heading", name="Avis <script>alert(1)</script> sur l'eau")) \
        .to_be_visible()
    expect(page.get_by_text("<img src=x onerror=alert(2)> Protéger les captages")).to_be_visible()
    expect(page.get_by_role("heading", name="Avis sur les mobilités du quotidien")).to_be_visible()
    content = page.content()
    assert "Membre fictif" not in content and "exemple.invalid" not in content
    assert_accessible(page, "public avis page")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "public avis page on a phone")
