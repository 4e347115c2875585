"""Meetings and attendance, the demo council, and the council's yearly activity report."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.council.meetings import add_meeting, attendance_stats, create_body
from workbench.storage.schema import council_member


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
                     "Les 15-29 ans sont"):
        assert expected in text, expected
    assert "Membre fictif" not in text  # no personal data in the published report
    assert "des membres contre" in text


def test_the_staff_page_records_a_sign_in_sheet_and_an_answer(engine, monkeypatch) -> None:
    from workbench.council.avis import import_avis, load_ledger
    from workbench.council.staff_page import CouncilPage
    from workbench.demo.council import seed_council

    from .conftest import ROOT

    seed_council(2026, engine)
    import_avis(ROOT / "data" / "examples" / "avis-mobilite.yaml", engine)
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    page = CouncilPage()
    page.held_on.value = date(2026, 11, 20)
    for box in page.present[:40]:
        box.value = True
    page._save_meeting()
    assert "40 présents sur 60" in page.message.value
    target = page.recommendation.options[0][1]
    page.position.value = "retenue"
    page.answered_on.value = date(2026, 11, 21)
    page._save_answer()
    assert "Réponse enregistrée" in page.message.value
    assert next(e for e in load_ledger(engine) if e.id == target).position == "retenue"
