"""Staff accounts in the browser: sign-in, wrong password, lockout, password link, sign-out,
pages by role, and no secret in the server's log (issue 18)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from workbench.demo.seed import seed_demo
from workbench.staff import accounts, audit

from .a11y import assert_accessible
from .apps import STAFF_PASSWORD, Apps, http_status, login_request, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
DESK = {"width": 1280, "height": 900}
secrets_seen: list[str] = []


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    running = Apps(tmp_path_factory.mktemp("staff-accounts"), staff=True)
    seed_demo(0, running.engine)
    yield running
    running.stop()


def opened(url: str, cookie: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}),
                                    timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def test_sign_in_wrong_password_and_sign_out(browser: Browser, apps: Apps) -> None:
    email = apps.staff_account("animateur")
    page = new_page(browser, DESK)
    page.goto(f"{apps.staff}/voila/render/console.ipynb")
    assert "/login" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace du personnel")
    assert_accessible(page, "sign-in page")
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Adresse électronique ou mot de passe incorrect.")
    expect(page.get_by_label("Mot de passe")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "sign-in page, wrong password")
    page.get_by_label("Mot de passe").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector(".wb-console")  # back where they wanted to go
    cookie = next(c for c in page.context.cookies() if c["name"] == "workbench-staff")
    secrets_seen.append(cookie["value"])
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.goto(f"{apps.staff}/")
    expect(page.get_by_text(f"Connecté : Test animateur ({email})")).to_be_visible()
    links = page.get_by_role("link")
    expect(links.filter(has_text="Console d’animation")).to_have_count(1)
    expect(links.filter(has_text="Journal d’audit")).to_have_count(0)
    assert_accessible(page, "staff home page")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto(f"{apps.staff}/voila/render/console.ipynb")
    assert "/login" in page.url
    # The session ended on the server: the old cookie opens nothing any more.
    assert opened(f"{apps.staff}/voila/render/console.ipynb",
                  f"workbench-staff={cookie['value']}") == 200
    assert "/login" in urllib.request.urlopen(urllib.request.Request(
        f"{apps.staff}/voila/render/console.ipynb",
        headers={"Cookie": f"workbench-staff={cookie['value']}"}), timeout=60).url
    page.context.close()


def test_an_account_waits_after_five_failed_sign_ins(apps: Apps) -> None:
    email = apps.staff_account("lecture", "bloque@agglo.test")
    # Each attempt from another address: the account's own lockout, not the address's.
    for i in range(accounts.FREE_FAILURES):
        status, _h, body = login_request(apps.staff, email, "mauvais mot de passe",
                                         {"X-Forwarded-For": f"198.51.100.{i + 1}"})
        assert status == 200 and "mot de passe incorrect" in body
    status, headers, body = login_request(apps.staff, email, STAFF_PASSWORD,
                                          {"X-Forwarded-For": "198.51.100.99"})
    assert status == 429 and "Trop de connexions échouées : attendez 1 minute" in body
    assert 0 < int(headers["Retry-After"]) <= 60
    # An unknown e-mail gets the very same answers (no account enumeration).
    for i in range(accounts.FREE_FAILURES):
        status, _h, unknown = login_request(apps.staff, "inconnu@agglo.test", "x" * 12,
                                            {"X-Forwarded-For": f"198.51.100.{i + 20}"})
        assert status == 200 and "mot de passe incorrect" in unknown
    status, _h, unknown = login_request(apps.staff, "inconnu@agglo.test", "x" * 12,
                                        {"X-Forwarded-For": "198.51.100.98"})
    assert status == 429 and "Trop de connexions échouées" in unknown


def test_a_one_time_link_sets_the_password(browser: Browser, apps: Apps) -> None:
    link = accounts.add_account("nouvelle@agglo.test", "Nouvelle Personne", ["analyste"],
                                engine=apps.engine)
    secrets_seen.append(link)
    page = new_page(browser, DESK)
    page.goto(f"{apps.staff}/motdepasse?lien={link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
    assert_accessible(page, "password page")
    page.get_by_label("Nouveau mot de passe").fill("une phrase de passe choisie")
    page.get_by_label("Le même, une seconde fois").fill("une phrase de passe choisi")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_have_text("Les deux mots de passe sont différents.")
    page.get_by_label("Nouveau mot de passe").fill("une phrase de passe choisie")
    page.get_by_label("Le même, une seconde fois").fill("une phrase de passe choisie")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Votre mot de passe est enregistré")
    assert_accessible(page, "password page, done")
    page.goto(f"{apps.staff}/motdepasse?lien={link}")  # used: refused
    page.get_by_label("Nouveau mot de passe").fill("une autre phrase de passe")
    page.get_by_label("Le même, une seconde fois").fill("une autre phrase de passe")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce lien n’est plus valable")
    assert login_request(apps.staff, "nouvelle@agglo.test", "une phrase de passe choisie")[0] \
        == 302
    page.context.close()


def test_each_role_opens_its_pages_only_with_a_french_refusal(apps: Apps) -> None:
    reader = apps.staff_cookie("lecture")
    admin = apps.staff_cookie("administrateur")
    secrets_seen.extend(c.split("=", 1)[1] for c in (reader, admin))
    console = f"{apps.staff}/voila/render/console.ipynb"
    journal = f"{apps.staff}/voila/render/journal.ipynb"
    assert opened(console, reader) == 403 and opened(journal, reader) == 403
    try:
        urllib.request.urlopen(urllib.request.Request(journal, headers={"Cookie": reader}))
    except urllib.error.HTTPError as error:
        assert "Vos rôles n’ouvrent pas cette page" in error.read().decode()
    assert opened(journal, admin) == 200 and opened(console, admin) == 200
    assert http_status(journal) == 302  # not signed in: the sign-in page


def test_the_kernel_acts_as_the_signed_in_person_until_the_account_is_disabled(
        browser: Browser, apps: Apps) -> None:
    """The page's kernel knows who signed in (the server gave it the session), writes the
    audit trail in their name, and stops acting once their account is disabled."""
    email = apps.staff_account("administrateur", "chef@agglo.test")
    page = new_page(browser, DESK)
    apps.sign_in(page, email=email, then=f"{apps.staff}/voila/render/journal.ipynb")
    page.wait_for_selector(".wb-journal")
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal d’audit")
    assert_accessible(page, "audit trail page")
    page.get_by_role("button", name="Exporter (CSV)").click()
    expect(page.get_by_role("link", name="Télécharger le journal d’audit (CSV)")).to_be_visible()
    exported = [e for e in audit.events(engine=apps.engine) if e.action == "audit.export"]
    assert [e.actor for e in exported] == [email]
    table = page.locator(".wb-journal table")
    page.get_by_role("button", name="Filtrer").click()
    expect(table).to_contain_text("audit.export")
    accounts.disable_account(email, engine=apps.engine)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("alert")).to_contain_text("votre session a pris fin")
    page.context.close()


def test_another_person_cannot_shut_a_page_down_nor_sign_anyone_out_from_elsewhere(
        apps: Apps) -> None:
    """Voilà's shutdown route asked no authorizer, and a GET signed out (attacker's review)."""
    import http.cookiejar
    import urllib.parse

    owner = apps.staff_cookie("administrateur")
    with urllib.request.urlopen(urllib.request.Request(
            f"{apps.staff}/voila/render/journal.ipynb", headers={"Cookie": owner}),
            timeout=60) as reply:
        kernel = re.search(r'"kernelId": "([^"]+)"', reply.read().decode()).group(1)
    intruder = apps.staff_cookie("lecture")
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(urllib.request.Request(f"{apps.staff}/login"), timeout=30) as reply:
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', reply.read().decode()).group(1)
    xsrf_cookie = next(c.value for c in jar if c.name == "_xsrf")

    def post(path: str, cookie: str, data: dict) -> int:
        request = urllib.request.Request(
            f"{apps.staff}{path}", data=urllib.parse.urlencode(data).encode(),
            headers={"Cookie": f"{cookie}; _xsrf={xsrf_cookie}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    assert post(f"/voila/api/shutdown/{kernel}", intruder, {"_xsrf": xsrf}) == 403
    assert kernel in urllib.request.urlopen(urllib.request.Request(
        f"{apps.staff}/api/kernels/{kernel}", headers={"Cookie": owner}), timeout=30).read(
        ).decode()
    assert post(f"/voila/api/shutdown/{kernel}", owner, {}) == 403  # no CSRF token
    assert post(f"/voila/api/shutdown/{kernel}", owner, {"_xsrf": xsrf}) == 204
    # Signing out takes a form post with its token; a link from elsewhere only shows the form.
    assert opened(f"{apps.staff}/logout", owner) == 200
    assert opened(f"{apps.staff}/", owner) == 200
    assert post("/logout", owner, {}) == 403
    # A return address with control characters: back to the home page, no error.
    status, headers, _body = login_request(apps.staff, apps.staff_account(), STAFF_PASSWORD,
                                           path="/login?next=/%0B/evil.test")
    assert status == 302 and headers["Location"] == "/"


def test_the_personal_data_page_is_the_administrators(browser: Browser, apps: Apps) -> None:
    page = new_page(browser, DESK)
    apps.sign_in(page, "administrateur",
                 then=f"{apps.staff}/voila/render/donnees.ipynb")
    page.wait_for_selector(".wb-rgpd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Données personnelles")
    expect(page.get_by_role("link", name="Télécharger le registre (XLSX)")).to_be_visible()
    assert_accessible(page, "personal data page")
    page.context.close()
    assert opened(f"{apps.staff}/voila/render/donnees.ipynb", apps.staff_cookie("analyste")) \
        == 403


def test_no_password_session_or_link_in_the_log(apps: Apps) -> None:
    """Last of the module: everything it typed and received stays out of the server's log."""
    log = Path(apps.log.name).read_text()
    assert "GET /login" in log or "/login" in log or log  # the log was written
    for value in [STAFF_PASSWORD, "une phrase de passe choisie", *secrets_seen]:
        assert value not in log
    assert "@agglo.test" not in log
