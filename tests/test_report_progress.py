"""``workbench report run --all``: a progress bar on stderr, each report's line as it ends."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import main
from workbench.reports import run as report_run
from workbench.reports.run import RunResult


def test_each_report_line_is_printed_as_soon_as_the_report_ends(monkeypatch, capsys) -> None:
    ended = [RunResult("bilan-participation", Path("/r/bilan"), True, duration_s=4.2),
             RunResult("en-echec", Path("/r/echec"), False, "cellule 4 : ZeroDivisionError"),
             RunResult("questionnaire", Path("/r/q"), True, duration_s=9.0)]
    printed: list[tuple[str, str]] = []

    def run_all(plan, year, root=None, workers=None, progress=None):
        for result in ended:  # what the terminal shows when each report ends
            progress(result)
            printed.append(capsys.readouterr())
        return ended

    monkeypatch.setattr(report_run, "plan_year", lambda year: [("plan", {})] * 3)
    monkeypatch.setattr(report_run, "run_all", run_all)
    try:
        main.main(["report", "run", "--all", "--year", "2026"], prog_name="workbench")
    except SystemExit as leaving:
        assert leaving.code == 1  # one report failed
    assert "OK      bilan-participation (4.2 s) : /r/bilan" in printed[0].out
    assert "questionnaire" not in printed[0].out and "en-echec" not in printed[0].out
    assert "ÉCHEC   en-echec : cellule 4 : ZeroDivisionError" in printed[1].out
    assert "OK      questionnaire (9.0 s) : /r/q" in printed[2].out
    assert "Rapports 1/3" in printed[0].err and "Rapports 2/3" in printed[1].err
    rest = capsys.readouterr()
    assert "1 rapport en échec sur 3." in rest.err + rest.out
    assert "bilan-participation" not in rest.out  # not printed a second time
