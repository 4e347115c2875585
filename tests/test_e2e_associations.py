"""End to end: an assessor scores a file on the staff app; the public directory."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import insert
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from workbench.associations.grid import load_edition
from workbench.associations.scoring import assignments
from workbench.storage import write_transaction
from workbench.storage.schema import association

from .a11y import assert_accessible
from .apps import PHONE, Apps, http_status, new_page, off_loop

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
ASSESSOR = "Assesseur E (fictif)"
ASSESSOR_EMAIL = "assesseur.e@agglo.test"


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> Iterator[Apps]:
    from workbench.demo.associations import seed_associations

    running = Apps(tmp_path_factory.mktemp("associations"), staff=True)
    seed_associations(running.engine)
    with write_transaction(running.engine) as conn:
        conn.execute(insert(association).values(
            rna="W229999999", title="Bagad <script>alert(1)</script> Gwengamp",
            object="<img src=x onerror=alert(2)>", waldec="006045", commune="22070",
            address="12 rue privée", position="A", source="saisie",
            imported_at=datetime.now(UTC).replace(tzinfo=None)))
    yield running
    running.stop()


def test_an_assessor_scores_their_own_files_only(browser: Browser, apps: Apps) -> None:
    """The assessor is whoever signed in: their files only, and another assessor cannot even
    reach their page's kernel with a crafted websocket."""
    url = f"{apps.staff}/voila/render/commission.ipynb?edition=comite-2026"
    assert http_status(url) in (302, 403)  # staff only
    edition = load_edition("comite-2026")
    before = [a for a in assignments(edition, ASSESSOR, apps.engine) if not a.completed]
    others = {a.request_id for a in assignments(edition, "Assesseur A (fictif)", apps.engine)}
    page = new_page(browser, {"width": 1366, "height": 1000})
    apps.sign_in(page, "assesseur", ASSESSOR_EMAIL, then=url)
    page.wait_for_selector(".wb-committee .wb-file")
    expect(page.locator(".wb-committee")).to_contain_text(ASSESSOR)
    expect(page.locator(".wb-file h3")).to_contain_text(before[0].reference)
    files = page.get_by_role("combobox", name="Dossier").locator("option")
    listed = [files.nth(i).inner_text() for i in range(files.count())]
    assert len(listed) == len(assignments(edition, ASSESSOR, apps.engine))
    mine = {a.reference for a in assignments(edition, ASSESSOR, apps.engine)}
    assert all(any(ref in text for ref in mine) for text in listed)
    assert others - {a.request_id for a in assignments(edition, ASSESSOR, apps.engine)}
    kernel = re.search(r'"kernelId": "([^"]+)"', page.content()).group(1)
    socket = (apps.staff.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
              f"?session_id={uuid.uuid4().hex}")
    intruder = apps.staff_cookie("assesseur", "assesseur.a@agglo.test")

    async def connect() -> int:
        try:
            (await websocket_connect(HTTPRequest(socket, headers={"Cookie": intruder}))).close()
        except HTTPClientError as error:
            return error.code
        return 101

    assert off_loop(connect()) == 403
    groups = page.locator(".wb-committee").get_by_role("radiogroup")
    assert groups.count() >= 2
    assert_accessible(page, "committee scoring page")
    for index in range(groups.count()):
        groups.nth(index).get_by_role("radio", name="3", exact=True).check()
        expect(groups.nth(index).get_by_role("radio", name="3", exact=True)).to_be_checked()
    expect(page.get_by_text("Bon").first).to_be_visible()  # the descriptor of 3
    page.get_by_role("button", name="Enregistrer et passer au dossier suivant").click()
    expect(page.get_by_text("Enregistré.")).to_be_visible()
    after = assignments(edition, ASSESSOR, apps.engine)
    assert next(a for a in after if a.request_id == before[0].request_id).completed
    if len(before) > 1:
        expect(page.locator(".wb-file h3")).to_contain_text(before[1].reference)


def test_the_public_directory_searches_and_escapes(browser: Browser, apps: Apps) -> None:
    assert http_status(apps.public + "/voila/render/commission.ipynb") == 404
    phone = new_page(browser, PHONE)
    phone.goto(apps.public + "/voila/render/associations.ipynb")
    phone.wait_for_selector(".wb-directory .wb-card")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Annuaire des associations")
    assert_accessible(phone, "public directory")
    search = phone.get_by_placeholder("Nom ou objet (par ex. bagad, tennis)")
    search.fill("gwengamp")
    search.press("Enter")
    expect(phone.get_by_text("1 association trouvée.")).to_be_visible()
    assert_accessible(phone, "public directory, one result")
    expect(phone.get_by_text("Bagad <script>alert(1)</script> Gwengamp")).to_be_visible()
    content = phone.content()
    assert "rue privée" not in content and "W229999999" not in content  # public variant
    search.fill("ecole")  # accent- and case-insensitive, with the button
    phone.get_by_role("button", name="Rechercher").click()
    expect(phone.get_by_role("status").filter(has_text="trouvée")).to_be_visible()
