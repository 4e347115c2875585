"""End to end: a real Voilà server, Chromium at phone size, the demo questionnaire."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from workbench.demo.seed import seed_demo
from workbench.forms.invitations import create_invitations
from workbench.forms.publish import publish_spec_file
from workbench.storage import read_connection
from workbench.storage.schema import answer, response
from workbench.web.urls import participant_url

from .a11y import assert_accessible
from .apps import PHONE, TIMEOUT_MS, Apps
from .conftest import TOKEN_SPEC

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


class Server(Apps):
    """The public app seeded with the demo and an invitation-only questionnaire."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        seed_demo(5, self.engine)
        publish_spec_file(TOKEN_SPEC, self.engine)
        self.tokens = [i.token for i in create_invitations(
            "consultation-conseil", [None, None], engine=self.engine)]
        spec = folder / "consultation-nominative.yaml"
        spec.write_text(TOKEN_SPEC.read_text(encoding="utf-8").replace(
            "anonymity: anonymous", "anonymity: identified\nprocessing: questionnaires"),
            encoding="utf-8")
        publish_spec_file(spec, self.engine)
        [self.named] = [i.token for i in create_invitations(
            "consultation-nominative", ["Anne <anne@exemple.invalid>"], engine=self.engine)]
        self.base = self.public


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("voila"))
    yield running
    running.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh phone-sized browser (its own storage: a new participant)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def open_form(page: Page, server: Server, slug: str = "evaluation-transport",
              token: str | None = None) -> None:
    page.goto(participant_url(server.base, slug, token))
    page.wait_for_selector(".wb-submit, .wb-panel", timeout=TIMEOUT_MS)


def question(page: Page, text: str):
    return page.locator(".wb-question").filter(has_text=text)


def fill_demo(page: Page) -> None:
    """Answer the demo questionnaire as a weekly bus user would."""
    page.get_by_label("Dans quelle commune habitez-vous").select_option(label="Pabu")
    question(page, "Quel est votre âge").get_by_label("30 à 44 ans").check()
    modes = question(page, "Quels modes de déplacement")
    modes.get_by_label("Bus du réseau").check()
    modes.get_by_label("Marche").check()
    question(page, "À quelle fréquence").get_by_label("Chaque semaine").check()
    question(page, "Les horaires des bus").get_by_label("Plutôt d'accord").check()
    question(page, "transport à la demande est une bonne").get_by_label(
        "Ne se prononce pas").check()
    question(page, "quelle note donnez-vous").get_by_role("radio", name="7",
                                                          exact=True).check()
    duration = page.get_by_label("Combien de temps dure votre trajet")
    duration.fill("35")
    duration.press("Tab")
    ranking = question(page, "Classez ces améliorations")
    ranking.get_by_role("button", name="Descendre « Des bus plus fréquents »").click()
    expect(ranking.get_by_label("Cet ordre me convient")).to_be_checked()
    budget = question(page, "Répartissez 100 points")
    for label, points in [("Lignes régulières", "40"), ("Transport à la demande", "30"),
                          ("Navettes estivales", "10"), ("Aménagements vélo", "10"),
                          ("Aires de covoiturage", "10")]:
        budget.get_by_label(label).fill(points)
        budget.get_by_label(label).press("Tab")
    expect(budget).to_contain_text("Points restant à répartir : 0 sur 100")
    words = page.get_by_label("En un mot")
    words.fill("<img src=x onerror=alert(1)>")
    words.press("Tab")
    question(page, "participer à un atelier").get_by_label("Oui").check()


def test_a_participant_answers_on_a_phone_and_gets_a_receipt(phone: Page, server) -> None:
    before = server.responses()
    dialogs: list[str] = []
    phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_form(phone, server)
    expect(phone.locator(".wb-header")).to_contain_text("Guingamp-Paimpol Agglomération")
    expect(phone.locator(".wb-demo")).to_contain_text("réponses déjà enregistrées sont "
                                                      "synthétiques")
    expect(phone.locator(".wb-progress")).to_contain_text("Questions répondues : 0 sur 12")
    fill_demo(phone)
    expect(phone.locator(".wb-progress")).to_contain_text("Questions répondues : 12 sur 14")
    phone.get_by_role("button", name="Envoyer").click()
    panel = phone.locator(".wb-panel")
    expect(panel).to_contain_text("Votre réponse est enregistrée. Reçu n°")
    receipt = panel.inner_text().split("Reçu n°")[1].strip().rstrip(".")
    assert server.responses() == before + 1
    with read_connection(server.engine) as conn:
        stored = conn.execute(select(response.c.receipt, response.c.is_synthetic)
                              .order_by(response.c.id.desc()).limit(1)).one()
    assert stored.receipt == receipt and not stored.is_synthetic
    assert dialogs == []
    # A reload after submitting shows the same receipt, never a second form.
    phone.reload()
    phone.wait_for_selector(".wb-panel", timeout=TIMEOUT_MS)
    expect(phone.locator(".wb-panel")).to_contain_text("Vous avez déjà répondu")
    expect(phone.locator(".wb-panel")).to_contain_text(receipt)
    assert server.responses() == before + 1


def test_the_page_fits_a_phone_and_labels_are_tied_to_inputs(phone: Page, server) -> None:
    open_form(phone, server)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert phone.evaluate("document.documentElement.lang") == "fr"
    for label in ("Dans quelle commune habitez-vous", "Combien de temps dure votre trajet",
                  "Avez-vous des suggestions"):
        expect(phone.get_by_label(label)).to_be_visible()
    size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector("
                          "'.wb-question input[type=text]')).fontSize)")
    assert size >= 16


def test_invalid_answers_get_french_messages_and_nothing_is_stored(phone: Page, server) -> None:
    before = server.responses()
    open_form(phone, server)
    phone.get_by_label("Dans quelle commune habitez-vous").select_option(label="Paimpol")
    budget = question(phone, "Répartissez 100 points")
    budget.get_by_label("Lignes régulières").fill("50")
    budget.get_by_label("Lignes régulières").press("Tab")
    phone.get_by_role("button", name="Envoyer").click()
    expect(question(phone, "Quel est votre âge")).to_contain_text(
        "Cette question est obligatoire.")
    expect(budget).to_contain_text(
        "Vous avez réparti 50 points sur 100 : le total doit être exactement 100.")
    expect(phone.locator(".wb-form")).to_contain_text("Corrigez les")
    expect(phone.locator(".wb-form")).to_contain_text("Rien n'a encore été enregistré.")
    expect(phone.get_by_role("button", name="Envoyer")).to_be_enabled()
    assert server.responses() == before


def test_a_double_click_stores_one_answer(phone: Page, server) -> None:
    before = server.responses()
    open_form(phone, server, "consultation-conseil", server.tokens[1])
    question(phone, "Votre collège").get_by_label("Habitants").check()
    question(phone, "Votre satisfaction").get_by_role("radio", name="9", exact=True).check()
    phone.get_by_role("button", name="Envoyer").dblclick()
    expect(phone.locator(".wb-panel")).to_contain_text("Reçu n°")
    phone.wait_for_timeout(1000)
    assert server.responses() == before + 1


def test_a_used_invitation_is_refused_politely(phone: Page, browser: Browser, server) -> None:
    open_form(phone, server, "consultation-conseil", server.tokens[0])
    question(phone, "Votre collège").get_by_label("Associations").check()
    question(phone, "Votre satisfaction").get_by_role("radio", name="6", exact=True).check()
    phone.get_by_role("button", name="Envoyer").click()
    expect(phone.locator(".wb-panel")).to_contain_text("Reçu n°")
    before = server.responses()
    other = browser.new_context(viewport=PHONE).new_page()
    open_form(other, server, "consultation-conseil", server.tokens[0])
    expect(other.locator(".wb-panel")).to_contain_text("Ce lien d'invitation a déjà servi")
    expect(other.get_by_role("button", name="Envoyer")).to_have_count(0)
    other.context.close()
    assert server.responses() == before


def test_a_token_form_without_token_says_so(phone: Page, server) -> None:
    open_form(phone, server, "consultation-conseil")
    expect(phone.locator(".wb-panel")).to_contain_text(
        "Ce questionnaire est réservé aux personnes invitées")


def kernel_status(base: str, kernel: str) -> int:
    try:
        with urllib.request.urlopen(f"{base}/api/kernels/{kernel}", timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("path", ["/voila/render/questionnaire.ipynb?form=evaluation-transport",
                                  "/voila/render/associations.ipynb"],
                         ids=["light front end", "Voilà's front end"])
def test_a_page_left_shuts_its_kernel_down(server: Server, phone: Page, path: str) -> None:
    """Leaving a page frees its kernel at once (a place in the room): the page sets the
    _xsrf cookie its front end posts with the shutdown (before: 403, kept 30 minutes)."""
    phone.goto(server.base + path)
    phone.wait_for_selector(".wb-submit, .wb-directory", timeout=TIMEOUT_MS)
    cookie = next(c for c in phone.context.cookies() if c["name"] == "_xsrf")
    assert cookie["sameSite"] == "Strict"
    kernel = phone.evaluate("() => JSON.parse(document.getElementById("
                            "'jupyter-config-data').textContent).kernelId")
    assert kernel_status(server.base, kernel) == 200
    phone.goto(server.base + "/accessibilite")  # another page: the form's is left
    deadline = time.monotonic() + 30
    while kernel_status(server.base, kernel) == 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert kernel_status(server.base, kernel) == 404


def test_an_answer_typed_into_a_dead_connection_is_sent_again(server: Server,
                                                              phone: Page) -> None:
    """A socket can die while it still says "open" (a phone between two networks): what
    the kernel never acknowledged goes again once reconnected, before "Envoyer"."""
    open_form(phone, server)
    fill_demo(phone)
    phone.evaluate("""() => {
      const send = WebSocket.prototype.send;
      window.deadSocket = true;
      WebSocket.prototype.send = function (data) {
        if (!window.deadSocket) { return send.call(this, data); }
      };
    }""")
    suggestions = phone.get_by_label("Avez-vous des suggestions")
    suggestions.fill("Un bus le dimanche")
    suggestions.press("Tab")
    phone.wait_for_timeout(1500)  # the field's delayed sends, lost too
    phone.evaluate("() => { window.deadSocket = false; "
                   "window.workbenchWidgets.kernel.socket.close(); }")
    phone.wait_for_function("() => window.workbenchWidgets.kernel.socket.readyState === 1"
                            " && window.workbenchWidgets.kernel.tries === 0")
    phone.get_by_role("button", name="Envoyer").click()
    expect(phone.locator(".wb-panel")).to_contain_text("Votre réponse est enregistrée.")
    with read_connection(server.engine) as conn:
        stored = conn.execute(
            select(answer.c.value_json).join(response, response.c.id == answer.c.response_id)
            .where(answer.c.question_id == "suggestions")
            .order_by(response.c.id.desc()).limit(1)).scalar_one()
    assert "Un bus le dimanche" in stored


def test_an_identified_questionnaire_shows_its_personal_data_notice(phone: Page,
                                                                    server) -> None:
    """RGPD art. 13: where answers are linked to a person, the page says who processes them,
    why, on what basis, how long, and where the rights are."""
    open_form(phone, server, "consultation-nominative", server.named)
    notice = phone.get_by_role("complementary", name="Vos données personnelles")
    expect(notice).to_contain_text("mission d’intérêt public")
    expect(notice).to_contain_text("2 ans après la clôture du questionnaire")
    expect(notice.get_by_role("link", name="Vos droits et comment les exercer")).to_have_attribute(
        "href", re.compile(r"donnees-personnelles#questionnaires$"))
    assert_accessible(phone, "identified questionnaire with its notice")
    open_form(phone, server, "consultation-conseil", server.tokens[1])
    expect(phone.get_by_role("complementary", name="Vos données personnelles")).to_have_count(0)
