"""The associations' pages (widgets) and reports on the demo data."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workbench.associations.grid import load_edition
from workbench.associations.scoring import assignments, own_scores
from workbench.staff.acting import acting_as

from .roles import AS, actor

ASSESSOR_E = actor(AS, "assesseur.e@agglo.test")  # "Assesseur E (fictif)" in comite-2026


@pytest.fixture
def demo(engine, monkeypatch):
    from workbench.demo.associations import seed_associations

    assert seed_associations(engine) is True
    assert seed_associations(engine) is False  # once
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    return engine


def test_an_assessor_scores_a_file_and_the_page_resumes(demo) -> None:
    from workbench.associations.committee_page import CommitteePage

    with acting_as(ASSESSOR_E):
        page = CommitteePage("comite-2026")
    edition = load_edition("comite-2026")
    before = assignments(edition, "Assesseur E (fictif)", demo)
    waiting = [a for a in before if not a.completed]
    assert waiting and page.request.value == waiting[0].request_id  # resumes there
    assert "fichiers" not in page.progress.value and "dossiers notés sur" in page.progress.value
    assert "Montant demandé" in page.summary.value and "Pièces manquantes" in page.summary.value
    assert "Assesseur E (fictif)" in page.root.children[1].value  # who scores, not a choice
    choices = list(page.choices.values())
    with acting_as(ASSESSOR_E):  # the kernel's actor: the signed-in assessor
        choices[0].value = "3"
        page._save(advance=True)
        assert "encore" in page.message.value  # not all criteria scored: stays on the file
        assert page.request.value == waiting[0].request_id
        for choice in page.choices.values():  # the grid is drawn anew after a save
            choice.value = "2"
        page.comment.value = "<b>Projet solide</b>"
        page._save(advance=True)
    assert "Enregistré." in page.message.value
    scores, comment = own_scores(edition, waiting[0].request_id, "Assesseur E (fictif)", demo)
    assert set(scores.values()) == {2} and comment == "<b>Projet solide</b>"
    after = assignments(edition, "Assesseur E (fictif)", demo)
    assert sum(a.completed for a in after) == sum(a.completed for a in before) + 1
    assert page.request.value != waiting[0].request_id or len(waiting) == 1
    assert "introuvable" in CommitteePage("nexiste-pas").root.children[0].value


def _boxes(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _boxes(child)


def test_the_public_directory_searches_with_a_button_and_announces_the_count(demo) -> None:
    import ipywidgets as w
    from sqlalchemy import insert

    from workbench.associations.directory_page import DirectoryView
    from workbench.storage import write_transaction
    from workbench.storage.schema import association

    page = DirectoryView()
    heading = page.root.children[0].value
    assert heading == "<h1>Annuaire des associations</h1>"
    assert page.text.description == "Rechercher une association"  # the input's <label>
    assert page.text.style.description_width == "initial"  # shown whole
    assert page.go.description == "Rechercher"
    assert "role='status' aria-live='polite'" in page.status.value
    assert "associations trouvées." in page.status.value
    page.text.value = "ECOLE  de musique"  # Enter (continuous_update=False)
    assert "associations trouvées." in page.status.value
    assert "École de musique" in page.results.value
    assert "<h3>" in page.results.value and "<h1>" not in page.results.value
    page.text.value = "zz 100% <b>"
    assert "Aucune association ne correspond à « zz 100% &lt;b&gt; »." in page.status.value
    assert page.results.value == ""
    page.text.value = "zz <b>"
    with write_transaction(demo) as conn:
        conn.execute(insert(association).values(
            title="Zz <b>club</b>", commune="22004", position="A", source="saisie",
            imported_at=datetime(2026, 12, 1)))
    page.go.click()  # the button searches again, without a change in the box
    assert "1 association trouvée." in page.status.value
    assert "Zz &lt;b&gt;club&lt;/b&gt;" in page.results.value and "<b>club" not in \
        page.results.value
    page.text.value = "begard zz"  # the commune's name, accents aside
    assert "1 association trouvée." in page.status.value
    page.text.value = ""
    page.commune.value = "22004"
    page.text.value = "nothing-like-this"
    assert "Aucune association ne correspond à « nothing-like-this »." in page.status.value
    boxes = [b for b in _boxes(page.root) if isinstance(b, w.Box)]
    assert len(boxes) >= 2
    assert all(b.layout.overflow == "visible" for b in boxes)  # nothing scrolls unreachable
    assert all("overflow" not in b.value for b in _boxes(page.root) if isinstance(b, w.HTML))


def test_staff_enter_a_request_and_record_the_committee_vote(demo) -> None:
    from workbench.associations.staff_page import AssociationsPage

    page = AssociationsPage()
    assert "associations trouvées" in page.directory.status.value
    grid = page.directory.grid  # the staff variant: a data grid, with the office
    assert grid.caption == "Associations trouvées" and "Siège" in grid.columns
    assert grid.rows and page.directory.results.value == ""
    requests = page.requests
    requests.inputs["reference"].value = "SUB-2026-900"
    requests.inputs["association"].value = "Nouvelle association <i>test</i>"
    requests.inputs["intitule"].value = "Fête du quartier"
    requests.inputs["montant_demande"].value = "beaucoup"
    requests._save()
    assert "Champ « montant_demande »" in requests.message.value
    requests.inputs["montant_demande"].value = "1 200"
    requests.inputs["pieces"].value = ("statuts", "rib")
    requests._save()
    assert "Demande enregistrée" in requests.message.value
    assert "Nouvelle association &lt;i&gt;test&lt;/i&gt;" in str(
        requests.listing.widget._dt_args["data_json"])
    assert "SUB-2026-900" in requests.alerts.value  # documents missing
    committee = page.committee
    assert committee.edition.value == "comite-2026"
    assert "Alpha de Krippendorff" in committee.alpha.value
    target = committee.request.value
    committee.amount.value = 10
    committee._act(lambda e: __import__("workbench.associations.scoring", fromlist=["adjust"])
                   .adjust(target, committee.amount.value), "ok")
    committee.reference.value = ""
    committee.amount.value = 0
    from workbench.associations.scoring import record_decision

    committee._act(lambda e: record_decision(target, 0, committee.reference.value,
                                             date(2026, 6, 26)), "ok")
    assert "référence de la délibération" in committee.message.value


@pytest.mark.xdist_group("reports")
def test_the_associations_reports_run_on_the_demo_data(tmp_path, monkeypatch) -> None:
    from workbench.demo.associations import seed_associations
    from workbench.reports.catalogue import find_report
    from workbench.reports.run import run_report
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade

    from .conftest import sqlite_url

    url = sqlite_url(tmp_path)
    engine = get_engine(url)
    upgrade(engine)
    seed_associations(engine)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    observatory = run_report(find_report("observatoire-vie-associative"), {"year": 2026}, 2026,
                             tmp_path / "out")
    assert observatory.ok, observatory.error
    text = (observatory.folder / "observatoire-vie-associative.html").read_text()
    for expected in ("Observatoire de la vie associative", "associations actives",
                     "pour 1\u202f000\u00a0habitants", "fictives", "Créations et dissolutions",
                     "Subventions votées"):
        assert expected in text, expected
    assert "rue fictive" not in text  # no addresses in the published report
    committee = run_report(find_report("comite-subventions"), {"edition": "comite-2026",
                                                               "year": 2026}, 2026,
                           tmp_path / "out")
    assert committee.ok, committee.error
    text = (committee.folder / "comite-subventions.html").read_text()
    for expected in ("Grille de critères", "Enveloppes par service", "alpha de Krippendorff",
                     "Dossiers examinés", "<svg"):
        assert expected in text, expected
    for suffix in ("docx", "xlsx"):
        assert (committee.folder / f"comite-subventions.{suffix}").stat().st_size > 1000
