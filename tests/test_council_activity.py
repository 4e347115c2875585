"""Meetings and attendance, the demo council, and the council's yearly activity report."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.council.meetings import add_meeting, attendance_stats, create_body
from workbench.storage.schema import council_member
from workbench.territory.clock import local_today


def test_attendance_rates_and_three_absences_in_a_row(engine, monkeypatch) -> None:
    from sqlalchemy import insert

    from workbench.storage import write_transaction

    with write_transaction(engine) as conn:
        ids = [conn.scalar(insert(council_member).values(
            name=name, commune="22070", sex="F", age_band="30-44 ans", college="habitants",
            community_councillor=False, entry_date=date(2025, 1, 1), consent=True,
            created_at=date(2025, 1, 1)).returning(council_member.c.id))
            for name in ("Alice", "Bruno")]
    body = create_body("Assemblée plénière", "plénière", engine)
    for month, alice in ((2, False), (4, False), (6, False), (9, True)):
        add_meeting(body, date(2026, month, 10), "Guingamp", "", {ids[0]: alice, ids[1]: True},
                    engine)
    add_meeting(body, date(2025, 12, 1), "Paimpol", "", {ids[0]: True, ids[1]: False}, engine)
    stats = attendance_stats(2026, engine)
    assert stats.meetings == 4
    assert dict((n, r) for n, _i, r in stats.by_member) == {"Alice": 25.0, "Bruno": 100.0}
    assert stats.flagged == ("Alice",)
    assert stats.by_body == (("Assemblée plénière", 4, 62.5),)
    assert stats.by_commune == (("22070", 2, 62.5),)


@pytest.mark.xdist_group("reports")
def test_the_activity_report_runs_on_the_demo_council(tmp_path, monkeypatch) -> None:
    from workbench.demo.council import seed_council
    from workbench.demo.seed import seed_demo
    from workbench.reports.catalogue import find_report
    from workbench.reports.run import run_report
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade

    from .conftest import sqlite_url

    url = sqlite_url(tmp_path)
    engine = get_engine(url)
    upgrade(engine)
    seed_demo(40, engine)
    assert seed_council(2026, engine) is True
    assert seed_council(2026, engine) is False  # once
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    monkeypatch.setenv("WORKBENCH_CENSUS_FILE", str(tmp_path / "absent.csv"))
    result = run_report(find_report("observatoire-participation"), {"year": 2026}, 2026,
                        tmp_path / "out")
    assert result.ok, result.error
    text = (result.folder / "observatoire-participation.html").read_text()
    for expected in ("Rapport d&#x27;activité du conseil de développement",
                     "Réunions et présence par instance", "Parité respectée : 30 femmes et "
                     "30 hommes", "Droit de suite des avis", "Participation par commune",
                     "Les 30-44 ans sont sous-représentés"):
        assert expected in text, expected
    assert "Membre fictif" not in text  # no personal data in the published report
    assert "des membres contre" in text


def test_the_staff_page_keeps_the_registry_meetings_and_follow_up(engine, monkeypatch) -> None:
    from workbench.council.avis import import_avis, load_ledger
    from workbench.council.meetings import attendance_sheet
    from workbench.council.staff_page import CouncilPage
    from workbench.demo.council import seed_council

    from .conftest import ROOT

    seed_council(2026, engine)
    import_avis(ROOT / "data" / "examples" / "avis-mobilite.yaml", engine)
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    monkeypatch.setenv("WORKBENCH_CENSUS_FILE", "/nonexistent/census.csv")
    page = CouncilPage("https://participer.example")
    members = page.members
    assert "Parité respectée : 30 femmes et 30 hommes" in members.composition.value
    assert "Membre fictif 01" in str(members.registry.widget._dt_args["data_json"])
    assert members.export.value == ""  # made on demand (each export is audited)
    members._export()
    assert "registre-conseil.csv" in members.export.value
    members.inputs["nom"].value = "<b>Nouvelle</b> Membre"
    members.inputs["email"].value = "pas-une-adresse"
    members._save()
    assert "Champ « Courriel »" in members.message.value
    members.inputs["email"].value = "nouvelle@exemple.invalid"
    members._save()
    assert "Membre enregistré" in members.message.value
    shown = str(members.registry.widget._dt_args["data_json"])
    assert "&lt;b&gt;Nouvelle&lt;/b&gt;" in shown and "<b>" not in shown  # escaped data
    members.registry.widget.selected_rows = [0]  # a selected row is the member to edit
    assert members.inputs["nom"].value == members.shown[0].fields["nom"]
    assert "Parité non respectée : 31 femmes et 30 hommes" not in members.composition.value

    meetings = page.meetings
    meetings.body.value = next(v for _n, v in meetings.body.options if v)
    meetings.held_on.day = local_today()
    meetings.place.value = "Pontrieux"
    meetings.documents.value = "Projet d'avis\nDiaporama"
    meetings._plan()
    assert "Réunion programmée" in meetings.message.value
    assert "emargement.ipynb?reunion=" in meetings.details.value
    assert "<svg" in meetings.details.value
    for _member, box in meetings.boxes[:5]:
        box.value = True
    meetings._save_sheet()
    assert "5 présents sur" in meetings.message.value
    assert sum(bool(p) for *_x, p in attendance_sheet(meetings.meeting.value, engine)) == 5
    assert "Absents à trois réunions de suite" in meetings.stats.value

    avis = page.avis
    avis.only_pending.value = True
    target = avis.recommendation.value
    avis.position.value = "retenue"
    avis.answered_on.day = date(2026, 11, 21)
    avis._save_answer()
    assert "Réponse enregistrée" in avis.message.value
    avis.only_pending.value = False
    avis.recommendation.value = target
    avis.status.value = "engagée"
    avis.evidence.value = "Délibération du 12 décembre"
    avis._save_milestone()
    assert "Étape enregistrée" in avis.message.value
    entry = next(e for e in load_ledger(engine) if e.id == target)
    assert entry.position == "retenue" and entry.status == "engagée"
    assert "relances-2026.csv" in avis.indicators.value
