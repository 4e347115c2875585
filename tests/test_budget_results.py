"""Results of a participatory budget edition: rules side by side, per commune, secret kept."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select, update

from workbench.budget import store
from workbench.budget.results import edition_results, gini
from workbench.budget.results_view import results_html
from workbench.budget.rules import count
from workbench.demo.budget import EDITION, seed_budget
from workbench.storage import write_transaction
from workbench.storage.schema import pb_edition, pb_project, pb_token
from workbench.territory.communes import communes


def test_gini_of_equal_shares_is_zero_and_of_one_holder_is_one_minus_one_over_n() -> None:
    assert gini([3.0, 3.0, 3.0], [10, 20, 30]) == 0
    assert gini([0.0, 0.0, 0.0, 8.0], [1, 1, 1, 1]) == pytest.approx(0.75)
    # weights count: the same as repeating the units
    assert gini([1.0, 5.0], [2, 1]) == pytest.approx(gini([1.0, 1.0, 5.0], [1, 1, 1]))


@pytest.fixture
def demo(engine):
    seed_budget(engine)
    return engine


def test_the_edition_rule_decides_and_every_euro_funded_is_counted_once(demo) -> None:
    results = edition_results(EDITION, demo)
    election = store.election(EDITION, demo)
    decided = count(election, results.rule)
    assert results.decided.funded == {election.projects[p] for p in decided.selected}
    assert set(results.outcomes) == {"greedy", "equalshares/add1",
                                     "equalshares/add1-comparison"}
    spread = sum(Fraction(str(c.euros_per_inhabitant)) * c.population
                 for c in results.communes)
    assert abs(float(spread - results.decided.total_cost)) < 0.01 * len(results.communes) * \
        max(c.population for c in communes())
    assert results.ballots == 2000
    assert {title for title, _c, _r in results.refused} >= {"Piscine couverte (fictif)"}


def test_a_commune_with_fewer_than_five_voters_is_not_shown(demo) -> None:
    with write_transaction(demo) as conn:
        edition = conn.scalar(select(pb_edition.c.id).where(pb_edition.c.slug == EDITION))
        mine = pb_token.c.edition_id == edition
        conn.execute(update(pb_token).where(mine, pb_token.c.commune == "22070")
                     .values(commune="22001"))
        few = conn.execute(pb_token.select().where(mine, pb_token.c.commune != "22001")
                           .limit(3)).all()
        conn.execute(update(pb_token).where(pb_token.c.id.in_([r.id for r in few]))
                     .values(commune="22070"))
    results = edition_results(EDITION, demo)
    line = next(c for c in results.communes if c.code == "22070")
    assert line.voters is None and line.turnout_pct is None
    hidden = [c for c in results.communes if c.voters is None]
    assert len(hidden) >= 2  # not recoverable from the total
    assert "statistique" in results_html(results)


def test_project_titles_are_escaped_in_the_results(demo) -> None:
    with write_transaction(demo) as conn:
        conn.execute(update(pb_project).where(pb_project.c.code == "1")
                     .values(title="<img src=x onerror=alert(1)>"))
    page = results_html(edition_results(EDITION, demo))
    assert "<img" not in page and "&lt;img src=x" in page


def test_the_yearly_report_runs_on_the_demo_edition(tmp_path, monkeypatch) -> None:
    from workbench.reports.catalogue import find_report
    from workbench.reports.run import run_report
    from workbench.storage import get_engine
    from workbench.storage.migrate import upgrade
    from workbench.territory.clock import local_today

    from .conftest import sqlite_url

    url = sqlite_url(tmp_path)
    engine = get_engine(url)
    upgrade(engine)
    seed_budget(engine)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    year = (local_today() - timedelta(days=20)).year  # the closed demo edition's year
    report = run_report(find_report("budget-participatif"), {"year": year}, year,
                        tmp_path / "out")
    assert report.ok, report.error
    text = (report.folder / "budget-participatif.html").read_text()
    for expected in ("Budget participatif de démonstration", "bulletins</strong> dépouillés",
                     "Les projets et les règles côte à côte", "Parts égales (avec Add1)",
                     "Où va l&#x27;argent", "<svg", "Piscine couverte (fictif)"):
        assert expected in text, expected
    for suffix in ("docx", "xlsx"):
        assert (report.folder / f"budget-participatif.{suffix}").stat().st_size > 1000
    empty = run_report(find_report("budget-participatif"), {"year": 2001}, 2001,
                       tmp_path / "out")
    assert empty.ok and "Aucun vote de budget participatif ne s'est clos en 2001." in (
        empty.folder / "budget-participatif.html").read_text()


def test_a_cumulative_ballot_shares_its_points_on_the_page(sqlite_engine, tmp_path,
                                                           monkeypatch) -> None:
    from workbench.budget.ballot_page import BallotPage
    from workbench.budget.voting import create_tokens
    from workbench.demo.budget import PAST_EDITION
    from workbench.territory.clock import local_today

    from .conftest import sqlite_url

    seed_budget(sqlite_engine)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    with write_transaction(sqlite_engine) as conn:
        conn.execute(update(pb_edition).where(pb_edition.c.slug == PAST_EDITION).values(
            vote_open=local_today(), vote_close=local_today()))
    page = BallotPage(PAST_EDITION, create_tokens(PAST_EDITION, 1, sqlite_engine)[0])
    first, second = (value for _label, value in page.choice.options[:2])
    page.choice.value = {first: "4"}
    assert page.choice.error == "Au plus 3 points sur un même projet."
    for hostile in ({first: "²"}, {first: "9" * 5000}, ["x"], {first: ["1"]}):
        page.choice.value = hostile  # what a hand-made page could send: never a traceback
    assert page.choice.error == "Les points sont des nombres entiers à partir de 1."
    page.choice.value = {first: "3", second: "2"}
    assert page.choice.error == "" and "2 projets soutenus" in page.left.value
    page._vote()
    assert "Votre vote est enregistré" in page.root.children[-1].value
