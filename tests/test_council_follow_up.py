"""Droit de suite: indicators on a known ledger; avis, answers, milestones; the CLI."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from workbench.council.avis import add_milestone, import_avis, load_ledger, record_answer
from workbench.council.follow_up import LedgerEntry, indicators, summary

from .conftest import ROOT
from .test_light_front_end import assert_drawn


def test_indicators_on_a_known_ledger() -> None:
    d = date
    ledger = [
        LedgerEntry(1, "a", "r1", "x", d(2026, 1, 10), answered_on=d(2026, 2, 9),
                    position="retenue", milestones=((d(2026, 6, 1), "réalisée"),)),
        LedgerEntry(2, "a", "r2", "x", d(2026, 1, 10), answered_on=d(2026, 4, 10),
                    position="à l'étude"),
        LedgerEntry(3, "a", "r3", "y", d(2026, 1, 10)),  # due 2026-04-11: overdue
        LedgerEntry(4, "b", "r4", "y", d(2026, 9, 1), due_on=d(2026, 12, 31)),  # not yet due
        LedgerEntry(5, "c", "r5", "z", d(2025, 5, 1)),  # another year
    ]
    result = indicators(ledger, 2026, today=d(2026, 11, 29))
    assert result.recommendations == 4 and result.answered == 2
    assert result.answered_share == 50.0
    assert result.median_delay_days == (30 + 90) / 2
    assert result.implemented == 1 and result.implemented_share == 25.0
    assert [e.id for e in result.overdue] == [3]
    assert ledger[0].status == "réalisée" and ledger[2].status == "sans réponse"


def test_the_summary_agrees_with_each_count() -> None:
    d = date
    done = LedgerEntry(1, "a", "r1", "x", d(2026, 1, 10), answered_on=d(2026, 1, 11),
                       position="retenue", milestones=((d(2026, 6, 1), "réalisée"),))
    one = indicators([done], 2026, today=d(2026, 11, 29))
    assert summary(one) == ("1 recommandation, 1 avec réponse (100.0 %), délai médian 1 jour, "
                            "1 réalisée.")
    other = LedgerEntry(2, "a", "r2", "x", d(2026, 1, 10), answered_on=d(2026, 1, 13),
                        position="retenue", milestones=((d(2026, 6, 1), "réalisée"),))
    two = indicators([done, other], 2026, today=d(2026, 11, 29))
    assert summary(two) == ("2 recommandations, 2 avec réponse (100.0 %), délai médian 2.0 jours, "
                            "2 réalisées.")
    none = indicators([LedgerEntry(3, "a", "r3", "x", d(2026, 11, 1))], 2026,
                      today=d(2026, 11, 29))
    assert summary(none) == "1 recommandation, 0 avec réponse (0.0 %), délai médian —, 0 réalisée."


def test_an_avis_is_followed_up_and_reported(engine, monkeypatch, tmp_path) -> None:
    from workbench.cli import main

    assert import_avis(ROOT / "data" / "examples" / "avis-mobilite.yaml", engine) == (
        "avis-mobilite-2026", 3)
    first, second, third = (e.id for e in load_ledger(engine))
    record_answer(first, date(2026, 4, 20), "retenue", "Dès la rentrée.", engine)
    add_milestone(first, date(2026, 9, 1), "réalisée", "Nouvelle grille horaire", engine)
    record_answer(second, date(2026, 5, 2), "à l'étude", "", engine)
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    reminders = tmp_path / "relances.csv"
    done = CliRunner().invoke(main, ["council", "follow-up", "--year", "2026", "--json",
                                     "--reminders", str(reminders)])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert (data["recommendations"], data["answered"], data["implemented"]) == (3, 2, 1)
    assert [o["id"] for o in data["overdue"]] == [third]
    assert "Créer des abris" in reminders.read_text(encoding="utf-8-sig")
    again = CliRunner().invoke(main, ["council", "avis-import",
                                      str(ROOT / "data" / "examples" / "avis-mobilite.yaml")])
    assert again.exit_code == 1 and "déjà enregistré" in again.output


def test_the_public_avis_page_shows_the_follow_up_escaped(engine, monkeypatch, tmp_path,
                                                           created_models) -> None:
    from workbench.council.avis_page import AvisPage

    source = (ROOT / "data" / "examples" / "avis-mobilite.yaml").read_text()
    path = tmp_path / "avis.yaml"
    path.write_text(source.replace("Prolonger les horaires", "<script>alert(1)</script> "
                                                             "Prolonger les horaires"))
    import_avis(path, engine)
    first = load_ledger(engine)[0].id
    record_answer(first, date(2026, 4, 20), "retenue", "", engine)
    add_milestone(first, date(2026, 9, 1), "réalisée", "", engine)
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: engine)
    text = AvisPage().root.children[0].value
    assert "Avis sur les mobilités du quotidien" in text and "auto-saisine" in text
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "retenue (20/04/2026)" in text and "Réalisée" in text
    assert "En attente de réponse" in text
    assert_drawn(created_models)  # avis.ipynb is on the light front end
