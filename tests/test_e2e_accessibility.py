"""RGAA 4.1 / WCAG 2.1 AA on the public pages: axe-core in every state, and what axe cannot see.

What axe cannot check is read from the accessibility tree (Playwright's roles, names,
states and descriptions): groups named by their question, toggles exposing their state, focus
on the first field to correct, keyboard-only completion, a visible focus, reflow at 320 px,
French page titles, a draft that survives a reload.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from workbench.demo.seed import seed_demo
from workbench.web.urls import participant_url

from .a11y import assert_accessible
from .apps import PHONE, TIMEOUT_MS, Apps

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SITE = "Guingamp-Paimpol Agglomération"
FORM = "evaluation-transport"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Apps]:
    running = Apps(tmp_path_factory.mktemp("a11y"))
    seed_demo(5, running.engine)
    yield running
    running.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def open_form(page: Page, server: Apps) -> None:
    page.goto(participant_url(server.public, FORM))
    page.get_by_role("button", name="Envoyer").wait_for()


def group(page: Page, question: str):
    """A question with several inputs: a radio group or a group named by its question."""
    name = re.compile(re.escape(question))
    return page.get_by_role("radiogroup", name=name).or_(page.get_by_role("group", name=name))


def test_the_questionnaire_passes_axe_in_every_state(phone: Page, server: Apps) -> None:
    open_form(phone, server)
    assert_accessible(phone, "questionnaire, empty")
    phone.get_by_role("button", name="Envoyer").click()
    expect(phone.get_by_text("Rien n'a encore été enregistré.")).to_be_visible()
    assert_accessible(phone, "questionnaire, errors shown")
    phone.get_by_label("Dans quelle commune habitez-vous").select_option(label="Pabu")
    group(phone, "Quel est votre âge").get_by_label("30 à 44 ans").check()
    modes = group(phone, "Quels modes de déplacement")
    modes.get_by_label("Autre (préciser)").check()
    expect(modes.get_by_label("Précisez")).to_be_visible()
    group(phone, "À quelle fréquence").get_by_label("Jamais").check()
    expect(group(phone, "Qu'est-ce qui vous empêche")).to_be_visible()
    assert_accessible(phone, "questionnaire, filled in part, conditional question shown")


def test_groups_are_named_by_their_question_and_toggles_say_their_state(
        phone: Page, server: Apps) -> None:
    open_form(phone, server)
    group(phone, "À quelle fréquence").get_by_label("Chaque semaine").check()
    # Two Likert questions share their options: each group says its own question.
    horaires = phone.get_by_role("radiogroup", name=re.compile("Les horaires des bus"))
    tad = phone.get_by_role("radiogroup", name=re.compile("transport à la demande"))
    expect(horaires.get_by_role("radio", name="Plutôt d'accord")).to_have_count(1)
    expect(tad.get_by_role("radio", name="Plutôt d'accord")).to_have_count(1)
    expect(phone.get_by_role("group", name=re.compile("Quels modes de déplacement"))
           .get_by_role("checkbox")).to_have_count(8)
    # The 0-10 scale: radios whose state is read out.
    scale = phone.get_by_role("radiogroup", name=re.compile("quelle note donnez-vous"))
    expect(scale.get_by_role("radio")).to_have_count(11)
    scale.get_by_role("radio", name="7", exact=True).check()
    expect(scale.get_by_role("radio", name="7", exact=True)).to_be_checked()
    expect(scale.get_by_role("radio", name="8", exact=True)).not_to_be_checked()
    # Ranking buttons name their item; questions are headings.
    ranking = phone.get_by_role("group", name=re.compile("Classez ces améliorations"))
    expect(ranking.get_by_role("button", name="Monter « Des tarifs plus bas »")).to_be_visible()
    ranking.get_by_role("button", name="Monter « Des tarifs plus bas »").click()
    expect(ranking.get_by_text("« Des tarifs plus bas » est maintenant en position 3 sur 5."))\
        .to_be_visible()
    expect(ranking.get_by_role("checkbox", name="Cet ordre me convient")).to_be_checked()
    expect(phone.get_by_role("heading", level=2, name=re.compile(r"^1\. Dans quelle commune")))\
        .to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Évaluation participative du réseau de transport")
    expect(phone).to_have_title(
        f"Questionnaire — Évaluation participative du réseau de transport — {SITE}")
    number = phone.get_by_label(re.compile("Combien de temps dure votre trajet"))
    expect(number).to_have_attribute("inputmode", "numeric")
    assert_accessible(phone, "questionnaire, scale chosen and ranking moved")


def test_the_first_field_to_correct_gets_focus_and_is_described_by_its_error(
        phone: Page, server: Apps) -> None:
    open_form(phone, server)
    phone.get_by_label("Dans quelle commune habitez-vous").select_option(label="Pabu")
    budget = phone.get_by_role("group", name=re.compile("Répartissez 100 points"))
    budget.get_by_label("Lignes régulières").fill("150")
    expect(budget).to_contain_text("Vous avez réparti 150 points sur 100 : 50 de trop.")
    phone.get_by_role("button", name="Envoyer").click()
    age = phone.get_by_role("radiogroup", name=re.compile("Quel est votre âge"))
    expect(age).to_have_attribute("aria-invalid", "true")
    focused = phone.locator(":focus")
    expect(focused).to_have_role("radio")
    expect(focused).to_have_accessible_name("Moins de 18 ans")
    expect(focused).to_have_accessible_description(re.compile("Cette question est obligatoire"))
    assert age.evaluate("(g, f) => g.contains(document.activeElement)", None)
    # 150 is kept as typed and refused in French, not silently turned into 100.
    expect(budget.get_by_label("Lignes régulières")).to_have_value("150")
    expect(budget.get_by_label("Lignes régulières")).to_have_attribute("aria-invalid", "true")
    # The view moved to the field (it is on screen).
    assert focused.evaluate("e => { const r = e.getBoundingClientRect();"
                            " return r.top >= 0 && r.bottom <= window.innerHeight; }")


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", colour)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_keyboard_only_with_arrows_in_groups_and_a_visible_focus(
        phone: Page, server: Apps) -> None:
    open_form(phone, server)
    keys = phone.keyboard
    phone.get_by_label("Dans quelle commune habitez-vous").focus()
    keys.type("Pabu")
    expect(phone.get_by_label("Dans quelle commune habitez-vous")).to_have_value(re.compile(r"\d"))
    keys.press("Tab")  # one Tab stop for the whole age group
    age = phone.get_by_role("radiogroup", name=re.compile("Quel est votre âge"))
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    expect(age.get_by_role("radio", name="30 à 44 ans")).to_be_checked()
    focus = phone.locator(":focus")
    style = focus.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle,"
                           " s.outlineWidth, s.outlineColor]; }")
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 3, style
    assert _contrast(style[2], "rgb(255, 255, 255)") >= 3, style
    keys.press("Tab")
    keys.press("Space")  # first mode: Voiture
    modes = phone.get_by_role("group", name=re.compile("Quels modes de déplacement"))
    expect(modes.get_by_role("checkbox", name="Voiture")).to_be_checked()
    scale = phone.get_by_role("radiogroup", name=re.compile("quelle note donnez-vous"))
    scale.get_by_role("radio", name="0", exact=True).focus()
    for _ in range(7):
        keys.press("ArrowRight")
    expect(scale.get_by_role("radio", name="7", exact=True)).to_be_checked()
    ranking = phone.get_by_role("group", name=re.compile("Classez ces améliorations"))
    ranking.get_by_role("button", name="Descendre « Des bus plus fréquents »").focus()
    keys.press("Enter")
    keys.press("Enter")  # focus followed the item: it goes down again
    expect(ranking.get_by_role("listitem").nth(2)).to_contain_text("Des bus plus fréquents")
    budget = phone.get_by_role("group", name=re.compile("Répartissez 100 points"))
    budget.get_by_label("Lignes régulières").focus()
    keys.type("100")
    expect(budget).to_contain_text("Points restant à répartir : 0 sur 100")


def test_a_draft_survives_a_reload(phone: Page, server: Apps) -> None:
    before = server.responses()
    open_form(phone, server)
    phone.get_by_label("Dans quelle commune habitez-vous").select_option(label="Pabu")
    group(phone, "Quel est votre âge").get_by_label("30 à 44 ans").check()
    words = phone.get_by_label(re.compile("En un mot"))
    words.fill("Fréquence")
    phone.wait_for_timeout(800)  # the draft is written as one types (debounced)
    phone.reload()
    phone.get_by_role("button", name="Envoyer").wait_for()
    expect(group(phone, "Quel est votre âge").get_by_label("30 à 44 ans")).to_be_checked()
    expect(phone.get_by_label(re.compile("En un mot"))).to_have_value("Fréquence")
    expect(phone.get_by_label("Dans quelle commune habitez-vous")).not_to_have_value("")
    drafts = phone.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('workbench-draft:'))")
    assert drafts, "the draft is kept on the phone"
    assert server.responses() == before, "nothing is stored before 'Envoyer'"


def test_the_home_page_lists_open_consultations_and_ways_in(phone: Page, server: Apps) -> None:
    phone.goto(server.public + "/")
    expect(phone).to_have_title(f"Participation citoyenne — {SITE}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Participation citoyenne")
    consultation = phone.get_by_role("link", name="Évaluation participative du réseau de transport")
    expect(consultation).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile("avis du conseil"))).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile("annuaire des associations"))).to_be_visible()
    assert_accessible(phone, "home page")
    phone.get_by_role("link", name=re.compile("Accessibilité")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(phone).to_have_title(f"Déclaration d'accessibilité — {SITE}")
    assert_accessible(phone, "accessibility statement")
    phone.get_by_role("link", name="Accueil").click()
    consultation.click()
    phone.get_by_role("button", name="Envoyer").wait_for()
    # Every notebook page has the footer with the statement and the personal data notice.
    expect(phone.get_by_role("contentinfo").get_by_role("link", name=re.compile(
        "Accessibilité"))).to_be_visible()
    phone.get_by_role("contentinfo").get_by_role("link", name="Données personnelles").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Données personnelles")
    expect(phone).to_have_title(f"Données personnelles — {SITE}")
    expect(phone.get_by_role("heading", name="Registre des membres du conseil de "
                                              "développement")).to_be_visible()
    expect(phone.get_by_role("table").first).to_have_accessible_name(
        "Données et durées de conservation")
    assert_accessible(phone, "personal data notice")


def test_error_pages_lead_home_and_show_no_server_path(phone: Page, server: Apps) -> None:
    phone.goto(server.public + "/voila/render/nulle-part.ipynb")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.get_by_role("link", name="Retour à l'accueil")).to_be_visible()
    assert "/tmp" not in phone.content() and "/work" not in phone.content()
    assert_accessible(phone, "page not found")
    phone.goto(participant_url(server.public, "inconnu"))
    expect(phone.locator(".wb-panel")).to_contain_text("n'existe pas")
    assert_accessible(phone, "questionnaire unknown")


@pytest.mark.parametrize(
    "path", ["/", "/accessibilite", "/donnees-personnelles",
             f"/voila/render/questionnaire.ipynb?form={FORM}"])
def test_pages_reflow_at_320_pixels(browser: Browser, server: Apps, path: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(server.public + path)
    page.wait_for_selector("main, .wb-main")
    if "questionnaire" in path:
        page.get_by_role("button", name="Envoyer").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_the_receipt_passes_axe_and_drafts_are_cleared(phone: Page, server: Apps) -> None:
    open_form(phone, server)
    phone.get_by_label("Dans quelle commune habitez-vous").select_option(label="Paimpol")
    group(phone, "Quel est votre âge").get_by_label("18 à 29 ans").check()
    group(phone, "Quels modes de déplacement").get_by_label("Vélo").check()
    group(phone, "À quelle fréquence").get_by_label("Chaque semaine").check()
    group(phone, "Les horaires des bus").get_by_label("Plutôt d'accord").check()
    group(phone, "transport à la demande").get_by_label("Plutôt d'accord").check()
    group(phone, "quelle note donnez-vous").get_by_role("radio", name="6", exact=True).check()
    ranking = group(phone, "Classez ces améliorations")
    ranking.get_by_role("checkbox", name="Cet ordre me convient").check()
    budget = group(phone, "Répartissez 100 points")
    budget.get_by_label("Lignes régulières").fill("100")
    group(phone, "participer à un atelier").get_by_label("Non").check()
    phone.wait_for_timeout(600)
    # Typed just before "Envoyer": its draft write is still pending when the answer is stored.
    phone.get_by_label(re.compile("Avez-vous des suggestions")).fill("Mon adresse : 3 rue X")
    phone.get_by_role("button", name="Envoyer").click()
    expect(phone.locator(".wb-panel")).to_contain_text("Reçu n°")
    assert_accessible(phone, "questionnaire, receipt")
    phone.wait_for_timeout(1500)
    assert phone.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('workbench-draft:'))") == []


def test_a_delphi_round_is_accessible_with_its_feedback_and_errors(phone: Page,
                                                                   server: Apps) -> None:
    from workbench.foresight import delphi_rounds
    from workbench.foresight.delphi import load_delphi
    from workbench.web.urls import delphi_url

    study = load_delphi("mobilite-2040")
    tokens = delphi_rounds.create_panel(study.slug, 5, server.engine)
    panel = [delphi_rounds.find_panelist(study.slug, t, server.engine) for t in tokens]
    delphi_rounds.open_round(study, 1, server.engine)
    for panelist, value in zip(panel, [4, 4, 5, 3, 4], strict=True):
        delphi_rounds.submit_round(study, 1, panelist,
                                   {item: (value, "") for item, _s in study.items},
                                   server.engine)
    delphi_rounds.open_round(study, 2, server.engine)
    phone.goto(delphi_url(server.public, study.slug, tokens[0]))
    phone.get_by_role("button", name="Envoyer mes réponses").wait_for()
    expect(phone).to_have_title(re.compile(f"^Enquête Delphi — {SITE}$"))
    first = phone.get_by_role("radiogroup").first
    expect(first).to_have_accessible_name(re.compile(r"^1\. "))
    expect(phone.get_by_text("Votre réponse précédente : 4.").first).to_be_visible()
    assert_accessible(phone, "Delphi round 2 with the previous round's feedback")
    first.get_by_role("radio", name="1", exact=True).check()  # far outside the quartiles
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(phone.locator(":focus")).to_have_accessible_description(re.compile("quartile"))
    assert_accessible(phone, "Delphi round 2, an answer to justify")


def _haproxy_page(name: str) -> str:
    raw = (Path(__file__).resolve().parents[1] / "deploy" / "haproxy" / "errors" / name) \
        .read_text(encoding="utf-8")
    return raw.split("\r\n\r\n", 1)[-1] if "\r\n\r\n" in raw else raw.split("\n\n", 1)[-1]


@pytest.mark.parametrize("name", ["room-full", "502.http", "503.http", "504.http"])
def test_waiting_and_proxy_error_pages_pass_axe(phone: Page, name: str) -> None:
    """Pages served without a kernel: retried by a script (axe refuses a meta refresh)."""
    from workbench.web.room import waiting_page

    page = waiting_page()[0] if name == "room-full" else _haproxy_page(name)
    assert "http-equiv=\"refresh\"" not in page
    phone.route("http://pages.invalid/", lambda route: route.fulfill(
        body=page, content_type="text/html; charset=utf-8"))
    phone.goto("http://pages.invalid/")
    expect(phone.get_by_role("link", name="Réessayer maintenant")).to_be_visible()
    assert_accessible(phone, name)


def test_labels_are_filled_in_as_text_whatever_they_contain(phone: Page) -> None:
    """The fields' script with a stand-in model: "$'" in a label is not a replacement pattern."""
    script = (Path(__file__).resolve().parents[1] / "src" / "workbench" / "web" / "share" /
              "jupyter" / "voila" / "templates" / "workbench" / "static" / "workbench-fields.js")
    phone.route("http://pages.invalid/", lambda route: route.fulfill(
        body="<!DOCTYPE html><html lang='fr'><title>t</title><main id='m'></main></html>",
        content_type="text/html"))
    phone.goto("http://pages.invalid/")
    phone.add_script_tag(path=str(script))
    phone.evaluate("""() => {
        const state = {kind: "ranking", label: "Classez", options: [["Bus $' x", "a"],
                       ["Car $& <b>y</b>", "b"]], value: null, error: "", hint: "", help: "",
                       props: {up_text: "Monter « {item} »", down_text: "Descendre « {item} »",
                               confirm_text: "Cet ordre me convient"}};
        const model = {get: (k) => state[k], set: (k, v) => { state[k] = v; },
                       save_changes: () => {}, on: () => {}, off: () => {}};
        window.workbenchFields.render({model, el: document.getElementById("m")});
    }""")
    expect(phone.get_by_role("button", name="Monter « Bus $' x »")).to_have_count(1)
    expect(phone.get_by_role("button", name="Descendre « Car $& <b>y</b> »")).to_have_count(1)
    assert phone.locator("b").count() == 0  # labels are text, never markup
