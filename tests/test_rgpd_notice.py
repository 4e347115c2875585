"""Information notices (issue 19, part): the pages that collect personal data say why."""

from __future__ import annotations

from workbench.rgpd.catalogue import load_catalogue
from workbench.rgpd.notice import notice_html


def test_a_notice_gives_the_essentials_and_links_the_full_notice() -> None:
    text = notice_html("conseil-registre", ("presences",), base_url="/")
    processing = load_catalogue().processing("conseil-registre")
    assert "<h2 id='wb-notice-conseil-registre'>Vos données personnelles</h2>" in text
    assert "Guingamp-Paimpol Agglomération recueille ces données" in text
    assert "mission d’intérêt public" in text
    assert processing.category("presences").retention in text
    assert processing.category("identite").label not in text  # only what is collected
    assert "href='/donnees-personnelles#conseil-registre'" in text


def test_each_collecting_page_shows_its_notice(sqlite_engine, monkeypatch, tmp_path) -> None:
    """The meeting sign-in, the project proposal form and an identified questionnaire."""
    from workbench.forms.loader import load_spec_text
    from workbench.forms.render import FormView

    from .test_rgpd_purge import SPEC

    spec = load_spec_text(SPEC.format(slug="nominatif", closes="2027-06-30",
                                      anonymity="identified"), "nominatif.yaml", "nominatif")
    assert "wb-notice-questionnaires" in _html(FormView(spec, draft_key="n").widget)
    anonymous = load_spec_text(SPEC.format(slug="anonyme", closes="2027-06-30",
                                           anonymity="anonymous"), "anonyme.yaml", "anonyme")
    assert "wb-notice" not in _html(FormView(anonymous, draft_key="a").widget)


def _html(widget) -> str:
    """Every HTML value in a widget tree."""
    found = [getattr(widget, "value", "")] if hasattr(widget, "value") and isinstance(
        widget.value, str) else []
    for child in getattr(widget, "children", ()):
        found.append(_html(child))
    return "".join(found)


def test_the_project_proposal_form_shows_its_notice_by_the_contact_fields() -> None:
    from datetime import date
    from types import SimpleNamespace

    from workbench.budget.proposal_form import ProposalForm

    page = ProposalForm("bp", SimpleNamespace(title="BP", proposals_close=date(2027, 1, 31)),
                        None, "x" * 32)
    text = _html(page.root)
    assert "wb-notice-budget-participatif" in text and "1 an après les résultats" in text


def test_the_meeting_sign_in_page_shows_its_notice(sqlite_engine, monkeypatch) -> None:
    from workbench.council.signin_page import SignInPage

    monkeypatch.setenv("QUERY_STRING", "")
    assert "wb-notice" not in _html(SignInPage(None, None).root)  # refused: nothing collected
