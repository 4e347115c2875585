"""End to end: a facilitator runs a live session; phones answer; the projected results follow."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from workbench.forms.submission import submit_response
from workbench.web.urls import participant_session_url, results_url

from .a11y import assert_accessible
from .apps import PHONE, TIMEOUT_MS, Apps, demo_apps

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
SLUG = "evaluation-transport"
LIVE_MS = 2_000  # results must follow a submission within 2 s


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    yield from demo_apps(tmp_path_factory, "workshop", staff=True)


def new_page(browser: Browser, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def submit_in_session(apps: Apps, code: str, answers: dict, n: int, tag: str) -> None:
    for i in range(n):
        submit_response(SLUG, f"{tag}-{i}", answers, session_code=code, engine=apps.engine)


def wait_released(apps: Apps, code: str, question_id: str) -> None:
    """Wait until the console's click has reached the database."""
    from workbench.workshops.sessions import get_session

    deadline = time.monotonic() + 10
    while question_id not in get_session(code, apps.engine).released:
        assert time.monotonic() < deadline, f"{question_id} was not released"
        time.sleep(0.2)


def card(results: Page, label: str):
    return results.locator(".wb-card").filter(has_text=label)


def test_a_facilitator_runs_a_live_session(browser: Browser, apps: Apps) -> None:
    dialogs: list[str] = []
    staff = new_page(browser, {"width": 1280, "height": 1000})
    apps.sign_in(staff, "animateur", then=f"{apps.staff}/voila/render/console.ipynb")
    staff.wait_for_selector(".wb-console")
    staff.get_by_label("Titre de la séance").fill("Atelier mobilités, Pabu")
    staff.get_by_label("Titre de la séance").press("Tab")
    staff.get_by_role("button", name="Créer la séance").click()
    status = staff.get_by_text(re.compile(r"^Séance [A-Z0-9]{6} : pas encore ouverte$"))
    status.wait_for()
    code = re.search(r"Séance ([A-Z0-9]{6})", status.inner_text()).group(1)
    staff.get_by_role("button", name="Ouvrir la séance").click()
    staff.get_by_text(f"Séance {code} : ouverte", exact=True).wait_for()
    expect(staff.locator(".wb-qr svg")).to_be_visible()
    assert_accessible(staff, "console, session open")
    projection = new_page(browser, {"width": 1280, "height": 800})
    apps.sign_in(projection, "animateur",
                 then=f"{apps.staff}/voila/render/projection.ipynb?session={code}")
    expect(projection.locator(".wb-code")).to_contain_text(code)
    assert_accessible(projection, "projected QR page")
    staff.get_by_label("1. Dans quelle commune habitez-vous ?").check()
    wait_released(apps, code, "commune")
    submit_in_session(apps, code, {"commune": "22070"}, 4, "seed")
    results = new_page(browser, {"width": 1280, "height": 900})
    results.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    results.goto(results_url(apps.public, code))
    commune_card = card(results, "Dans quelle commune habitez-vous ?")
    expect(commune_card).to_contain_text("moins de 5 réponses")
    expect(results.get_by_role("status").filter(has_text="Résultats en direct")).to_be_visible()
    assert "Pabu" not in commune_card.inner_text()  # hidden categories are never named
    assert_accessible(results, "projected results, fewer than 5 answers")

    phones = [new_page(browser, PHONE) for _ in range(3)]
    for phone in phones:
        phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        phone.goto(participant_session_url(apps.public, code))
        phone.wait_for_selector(".wb-form")
    assert_accessible(phones[0], "participant page in a live session")
    for n, (phone, commune) in enumerate(zip(phones, ["Guingamp", "Guingamp", "Guingamp"],
                                             strict=True), start=5):
        phone.get_by_label("Dans quelle commune habitez-vous").select_option(label=commune)
        phone.get_by_role("button", name="Envoyer").click()
        expect(phone.locator(".wb-status")).to_contain_text("Reçu n°")
        expect(commune_card).to_contain_text(f"{n} réponses", timeout=LIVE_MS)
        expect(phone.locator(".wb-status")).to_contain_text("prochaine question")
    # Guingamp 7, no small cell: a chart (one Pabu would hide both, see the unit tests).
    expect(commune_card.locator("svg")).to_be_visible()
    expect(commune_card.get_by_role("img")).to_have_accessible_name(re.compile("commune"))
    expect(commune_card.get_by_role("table")).to_have_count(1)  # the chart's figures, as text
    assert_accessible(results, "projected results with a chart")
    expect(projection.locator(".wb-count")).to_contain_text("participants ont répondu")
    expect(staff.locator(".wb-console")).to_contain_text(
        "Dans quelle commune habitez-vous ? : 7")
    expect(staff.locator(".wb-console")).to_contain_text("3 participants connectés",
                                                         timeout=15_000)

    # Freeze: the projected results stop moving for the discussion, then follow again.
    staff.get_by_role("button", name="Figer les résultats").click()
    expect(results.locator(".wb-results")).to_contain_text("Résultats figés",
                                                           timeout=LIVE_MS + 1000)
    submit_in_session(apps, code, {"commune": "22070"}, 1, "frozen")
    time.sleep(3)
    expect(commune_card).to_contain_text("7 réponses")
    staff.get_by_role("button", name="Figer les résultats").click()
    expect(commune_card).to_contain_text("8 réponses", timeout=LIVE_MS + 1000)

    # Releasing a question shows it on the phones; withdrawing it hides it again.
    words = "En un mot, le réseau aujourd'hui"
    staff.get_by_label(re.compile(r"^13\. En un mot")).check()
    expect(phones[0].get_by_label(words)).to_be_visible(timeout=5000)
    staff.get_by_label(re.compile(r"^13\. En un mot")).uncheck()
    expect(phones[0].get_by_label(words)).to_be_hidden(timeout=5000)

    # Free text is shown as text on the projected page, never run.
    staff.get_by_label(re.compile(r"^13\. En un mot")).check()
    wait_released(apps, code, "mot")
    submit_in_session(apps, code, {"mot": "pratique"}, 4, "words")
    payload = "<img src=x onerror=alert(1)>"
    field = phones[1].get_by_label(words)
    field.wait_for()
    field.fill(payload)
    field.press("Tab")
    phones[1].get_by_role("button", name="Envoyer").click()
    words_card = card(results, words)
    expect(words_card).to_contain_text(payload, timeout=LIVE_MS + 1000)
    assert words_card.locator("img").count() == 0

    # Closing (confirmed) closes the participant pages.
    staff.get_by_role("button", name="Clore la séance…").click()
    expect(staff.locator(".wb-confirm")).to_contain_text("Vous pourrez la rouvrir")
    assert_accessible(staff, "console, closing to confirm")
    staff.get_by_role("button", name="Oui, clore la séance").click()
    expect(phones[2].locator(".wb-panel")).to_contain_text("La séance est terminée",
                                                           timeout=5000)
    expect(results.get_by_role("status").filter(has_text="Séance close")).to_be_visible(
        timeout=5000)
    assert_accessible(results, "projected results, session closed")
    assert_accessible(phones[2], "participant page, session over")
    assert dialogs == []

    # The closed session stays chosen, with its documents and its reopening (issue 20).
    expect(staff.get_by_text(f"Séance {code} : close", exact=True)).to_be_visible()
    expect(staff.get_by_role("button", name="Rouvrir la séance")).to_be_enabled()
    staff.get_by_role("button", name="Rapport de séance").click()
    job = staff.locator(".wb-job")
    expect(job).to_be_visible()  # progress and a cancel button, while the page stays usable
    expect(job.get_by_role("button", name="Annuler")).to_be_enabled()
    staff.get_by_label("Afficher").select_option(label="Séances closes")
    expect(staff.get_by_label("Séance", exact=True)).to_contain_text(code)
    assert_accessible(staff, "console, report in progress")
    expect(staff.get_by_role("link", name=f"rapport-seance-{code}.docx")).to_be_visible(
        timeout=120_000)
    expect(job).to_be_hidden()
    staff.reload()  # after a reload too
    staff.wait_for_selector(".wb-console")
    staff.get_by_label("Afficher").select_option(label="Séances closes")
    chooser = staff.get_by_label("Séance", exact=True)
    chooser.select_option(label=chooser.locator("option", has_text=code).inner_text())
    expect(staff.get_by_text(f"Séance {code} : close", exact=True)).to_be_visible()
    staff.get_by_role("button", name="Rouvrir la séance").click()
    staff.get_by_text(f"Séance {code} : ouverte", exact=True).wait_for()
    staff.close()
