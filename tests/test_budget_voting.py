"""Casting participatory budget ballots on SQLite and PostgreSQL: the ballot rules checked by
the server, single-use codes, declared voters' duplicates flagged, idempotent and secret."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, insert, select

from workbench.budget.voting import (
    BallotError,
    Declaration,
    cast_ballot,
    create_tokens,
)
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    pb_ballot,
    pb_ballot_choice,
    pb_edition,
    pb_project,
    pb_token,
    pb_voter_roll,
)

DAY = date(2027, 3, 10)


@pytest.fixture
def edition(engine, monkeypatch):
    """An open approval vote: 100,000 € to share, at most 3 projects; four projects."""
    monkeypatch.setenv("WORKBENCH_PB_IDENTITY_KEY", "test-key")
    with write_transaction(engine) as conn:
        edition_id = conn.execute(insert(pb_edition).values(
            slug="bp", title="BP", budget=100_000, currency="EUR", ballot_kind="approval",
            max_projects=3, max_cost=100_000, eligibility="token", rule="equalshares/add1",
            source="saisie", meta_json="{}", vote_open=date(2027, 3, 1),
            vote_close=date(2027, 3, 31),
            created_at=datetime.now(UTC).replace(tzinfo=None))).inserted_primary_key[0]
        ids = [conn.execute(insert(pb_project).values(
            edition_id=edition_id, code=str(n), title=f"Projet {n}", description="",
            cost=cost, status=status, extra_json="{}")).inserted_primary_key[0]
            for n, (cost, status) in enumerate([(60_000, "recevable"), (30_000, "recevable"),
                                                (20_000, "recevable"),
                                                (5_000, "non_recevable")])]
    return ids


def ballots(engine) -> int:
    with read_connection(engine) as conn:
        return conn.scalar(select(func.count()).select_from(pb_ballot))


def test_a_ballot_within_the_budget_is_stored_once(engine, edition) -> None:
    token = create_tokens("bp", 1, engine)[0]
    receipt = cast_ballot("bp", {edition[0]: 1, edition[1]: 1}, submission_id="a" * 32,
                          token=token, today=DAY, engine=engine)
    again = cast_ballot("bp", {edition[0]: 1, edition[1]: 1}, submission_id="a" * 32,
                        token=token, today=DAY, engine=engine)
    assert again == receipt and ballots(engine) == 1
    with read_connection(engine) as conn:
        assert conn.scalar(select(pb_token.c.used_on)) == DAY


@pytest.mark.parametrize(("choice", "message"), [
    ([0, 1, 2], "Vos projets coûtent 110\u202f000 €, plus que les 100\u202f000 €"),
    ([3], "un projet qui n'est pas sur le bulletin"),
    ([], "Choisissez au moins un projet."),
])
def test_the_server_refuses_what_the_page_should_have_prevented(engine, edition, choice,
                                                                message) -> None:
    token = create_tokens("bp", 1, engine)[0]
    with pytest.raises(BallotError, match=message):
        cast_ballot("bp", {edition[i]: 1 for i in choice}, submission_id="b" * 32,
                    token=token, today=DAY, engine=engine)
    assert ballots(engine) == 0
    with read_connection(engine) as conn:
        assert conn.scalar(select(pb_token.c.used_on)) is None  # the code can still vote


def test_a_used_or_unknown_code_is_refused(engine, edition) -> None:
    token = create_tokens("bp", 1, engine)[0]
    cast_ballot("bp", {edition[1]: 1}, submission_id="c" * 32, token=token, today=DAY,
                engine=engine)
    with pytest.raises(BallotError, match="déjà servi : un seul bulletin par personne"):
        cast_ballot("bp", {edition[2]: 1}, submission_id="d" * 32, token=token, today=DAY,
                    engine=engine)
    with pytest.raises(BallotError, match="Ce code de vote n'est pas valable"):
        cast_ballot("bp", {edition[2]: 1}, submission_id="e" * 32, token="faux", today=DAY,
                    engine=engine)
    assert ballots(engine) == 1


def test_outside_the_voting_days_nothing_is_stored(engine, edition) -> None:
    token = create_tokens("bp", 1, engine)[0]
    with pytest.raises(BallotError, match="Le vote n'est pas ouvert"):
        cast_ballot("bp", {edition[1]: 1}, submission_id="f" * 32, token=token,
                    today=date(2027, 4, 1), engine=engine)


def test_a_declared_voter_twice_is_flagged_and_both_ballots_kept(engine, edition) -> None:
    with write_transaction(engine) as conn:
        conn.execute(pb_edition.update().values(eligibility="declared", min_age=16))
    first = Declaration("Anne Le Goff", 1980, "22070")
    cast_ballot("bp", {edition[1]: 1}, submission_id="g" * 32, declaration=first, today=DAY,
                engine=engine)
    cast_ballot("bp", {edition[2]: 1}, submission_id="h" * 32,
                declaration=Declaration("  anne LE GOFF ", 1980, "22070"), today=DAY,
                engine=engine)
    with pytest.raises(BallotError, match="ouvert à partir de 16 ans"):
        cast_ballot("bp", {edition[2]: 1}, submission_id="i" * 32,
                    declaration=Declaration("Jeune", 2015, "22070"), today=DAY, engine=engine)
    assert ballots(engine) == 2
    with read_connection(engine) as conn:
        roll = conn.execute(select(pb_voter_roll)).all()
    assert [r.flagged for r in roll] == [True, True]
    assert all("anne" not in r.identity_key.lower() for r in roll)
    assert roll[0].identity_key == roll[1].identity_key


def test_cumulative_ballots_share_their_points(engine, edition) -> None:
    with write_transaction(engine) as conn:
        conn.execute(pb_edition.update().values(ballot_kind="cumulative", points=5,
                                                max_points_per_project=3))
    token = create_tokens("bp", 2, engine)
    with pytest.raises(BallotError, match="Au plus 3 points sur un même projet"):
        cast_ballot("bp", {edition[0]: 4}, submission_id="j" * 32, token=token[0],
                    today=DAY, engine=engine)
    with pytest.raises(BallotError, match="Vous avez 5 points à répartir, pas 6"):
        cast_ballot("bp", {edition[0]: 3, edition[1]: 3}, submission_id="k" * 32,
                    token=token[0], today=DAY, engine=engine)
    cast_ballot("bp", {edition[0]: 3, edition[1]: 2}, submission_id="l" * 32, token=token[1],
                today=DAY, engine=engine)
    assert ballots(engine) == 1


def test_paper_ballots_are_imported_all_or_nothing(engine, edition, tmp_path) -> None:
    from workbench.budget.paper import import_paper_ballots
    from workbench.errors import WorkbenchError

    table = tmp_path / "papier.csv"
    table.write_text("projets;date\n0, 1;10/03/2027\n1+2;\n0 1 2;\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"papier.csv, ligne 4, colonne 1 \(projets\) : "
                                             r"Vos projets coûtent 110"):
        import_paper_ballots("bp", table, engine)
    assert ballots(engine) == 0
    table.write_text("projets;date\n0, 1;10/03/2027\n1+2;\n9;\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"ligne 4.*aucun projet numéroté 9"):
        import_paper_ballots("bp", table, engine)
    table.write_text("projets;date\n0, 1;10/03/2027\n1+2;\n", encoding="utf-8")
    assert import_paper_ballots("bp", table, engine) == 2
    with read_connection(engine) as conn:
        stored = conn.execute(select(pb_ballot.c.code, pb_ballot.c.voting_method,
                                     pb_ballot.c.voted_on).order_by(pb_ballot.c.id)).all()
    assert [tuple(r) for r in stored] == [("P00001", "papier", date(2027, 3, 10)),
                                          ("P00002", "papier", None)]


def test_the_review_records_a_status_with_what_it_needs(engine, edition) -> None:
    from workbench.budget.review import ReviewError, projects, review_project

    with pytest.raises(ReviewError, match="demande un motif et un texte public"):
        review_project("bp", "1", "non_recevable", reason="cout", text=" ", engine=engine)
    with pytest.raises(ReviewError, match="fusionné avec un autre projet, recevable"):
        review_project("bp", "1", "fusionnee", merged_into="3", engine=engine)  # 3: refused
    with pytest.raises(ReviewError, match="estimation du coût"):
        review_project("bp", "1", "recevable", cost=0, engine=engine)
    review_project("bp", "1", "non_recevable", reason="competence",
                   text="Relève de la commune.", service="Aménagement", engine=engine)
    review_project("bp", "2", "fusionnee", merged_into="0", engine=engine)
    review_project("bp", "0", "recevable", cost=55_000, engine=engine)
    rows = {r.code: r for r in projects("bp", engine)}
    assert (rows["1"].status, rows["1"].refusal_category, rows["1"].service) == (
        "non_recevable", "competence", "Aménagement")
    assert rows["2"].merged_into == rows["0"].id and rows["0"].cost == 55_000


def test_a_proposal_is_stored_with_its_proposer_apart_and_once(engine, edition) -> None:
    from workbench.budget.proposals import Proposal, ProposalErrors, submit_proposal
    from workbench.storage.schema import pb_proposer

    with write_transaction(engine) as conn:
        conn.execute(pb_edition.update().values(proposals_open=date(2027, 1, 1),
                                                proposals_close=date(2027, 1, 31)))
    wrong = Proposal("Ab", "Trop court", "99999", "plage", 5, " ", "pas-une-adresse", "")
    with pytest.raises(ProposalErrors) as refused:
        submit_proposal("bp", wrong, submission_id="m" * 32, today=date(2027, 1, 10),
                        engine=engine)
    assert set(refused.value.errors) == {"title", "description", "commune", "category",
                                         "cost", "name", "email"}
    good = Proposal("Un banc au soleil", "Un banc face à la mer pour les promeneurs du "
                    "dimanche.", "22070", "solidarite", 1500, "Anne Le Goff",
                    "anne@example.fr")
    number = submit_proposal("bp", good, submission_id="n" * 32, today=date(2027, 1, 10),
                             engine=engine)
    assert submit_proposal("bp", good, submission_id="n" * 32, today=date(2027, 1, 10),
                           engine=engine) == number == "5"
    with pytest.raises(BallotError, match="dépôt des projets n'est pas ouvert"):
        submit_proposal("bp", good, submission_id="o" * 32, today=date(2027, 2, 1),
                        engine=engine)
    with read_connection(engine) as conn:
        project = conn.execute(select(pb_project).where(pb_project.c.code == "5")).one()
        proposer = conn.execute(select(pb_proposer)).one()
    assert (project.status, project.proposed_cost, project.cost) == ("proposee", 1500, None)
    assert proposer.project_id == project.id and proposer.email == "anne@example.fr"
    assert "Anne" not in (project.description + project.extra_json)


def test_ballot_ids_follow_no_order_that_matches_the_roll(engine, edition, monkeypatch) -> None:
    """Declared voters are written on the roll in the order they vote: ballots get random
    ids, so that sorting both by id does not pair a ballot with its voter."""
    import workbench.budget.voting as voting

    draws = iter([900, 300, 600])
    monkeypatch.setattr(voting.secrets, "randbelow", lambda _n: next(draws))
    with write_transaction(engine) as conn:
        conn.execute(pb_edition.update().values(eligibility="declared"))
    receipts = [cast_ballot("bp", {edition[1]: 1}, submission_id=f"{n}" * 32, today=DAY,
                            declaration=Declaration(f"Votant {n}", year, "22070"),
                            engine=engine)
                for n, year in enumerate((1970, 1980, 1990))]
    with read_connection(engine) as conn:
        ids = dict(conn.execute(select(pb_ballot.c.code, pb_ballot.c.id)).all())
        roll = conn.scalars(select(pb_voter_roll.c.id).order_by(pb_voter_roll.c.id)).all()
    assert [ids[r] - 2**30 for r in receipts] == [900, 300, 600]  # in voting order
    assert len(roll) == 3


def test_two_people_voting_on_one_phone_get_a_ballot_each(engine, edition) -> None:
    """The browser's id is per phone: the receipt also depends on who votes (a review found
    the second person's ballot silently dropped and their code left unused)."""
    first, second = create_tokens("bp", 2, engine)
    one = cast_ballot("bp", {edition[1]: 1}, submission_id="p" * 32, token=first, today=DAY,
                      engine=engine)
    two = cast_ballot("bp", {edition[2]: 1}, submission_id="p" * 32, token=second, today=DAY,
                      engine=engine)
    assert one != two and ballots(engine) == 2
    with read_connection(engine) as conn:
        assert conn.scalar(select(func.count()).where(pb_token.c.used_on.is_(None))) == 0


@pytest.mark.parametrize("declaration", [
    Declaration("Anne", 1980, "LYON"), Declaration("Anne", 0, "22070"),
    Declaration("Anne", 2999, "22070"), Declaration(" ", 1980, "22070")])
def test_a_declared_voter_gives_a_real_commune_and_year(engine, edition,
                                                        declaration) -> None:
    with write_transaction(engine) as conn:
        conn.execute(pb_edition.update().values(eligibility="declared", min_age=16))
    with pytest.raises(BallotError, match="Indiquez votre nom, votre année de naissance"):
        cast_ballot("bp", {edition[1]: 1}, submission_id="q" * 32, declaration=declaration,
                    today=DAY, engine=engine)
    assert ballots(engine) == 0


def test_points_must_be_whole_numbers(engine, edition) -> None:
    token = create_tokens("bp", 1, engine)[0]
    with pytest.raises(BallotError, match="nombres entiers"):
        cast_ballot("bp", {edition[1]: 1.5}, submission_id="r" * 32, token=token, today=DAY,
                    engine=engine)


def test_the_closed_ballot_box_is_shaken_once_and_exports_no_receipt(engine, edition) -> None:
    from workbench.budget import pabulib, store
    from workbench.budget.voting import mix_ballot_box

    receipts = [cast_ballot("bp", {edition[i % 3]: 1}, submission_id=f"{i:032d}",
                            token=t, today=DAY, engine=engine)
                for i, t in enumerate(create_tokens("bp", 6, engine))]
    assert not mix_ballot_box("bp", engine, today=DAY)  # the vote is still open
    with read_connection(engine) as conn:
        before = conn.execute(select(pb_ballot.c.code, pb_ballot.c.id)).all()
    after_close = date(2027, 4, 1)
    assert mix_ballot_box("bp", engine, today=after_close)
    assert not mix_ballot_box("bp", engine, today=after_close)  # once
    with read_connection(engine) as conn:
        after = dict(conn.execute(select(pb_ballot.c.code, pb_ballot.c.id)).all())
        choices = conn.scalar(select(func.count()).select_from(pb_ballot_choice))
    assert set(after) == set(receipts) and choices == 6
    assert all(after[code] != old for code, old in before)  # every ballot has a new id
    text = pabulib.dumps(store.export_pabulib("bp", engine))
    assert not any(receipt in text for receipt in receipts)


def test_proposals_sent_at_once_get_a_number_each(engine, edition) -> None:
    """Issue 17, defect 8 audit: the next project number was read then inserted (a unique
    key): proposals sent together on PostgreSQL failed."""
    from workbench.budget.proposals import Proposal, submit_proposal

    from .test_concurrency import _at_once

    with write_transaction(engine) as conn:
        conn.execute(pb_edition.update().values(proposals_open=date(2027, 1, 1),
                                                proposals_close=date(2027, 1, 31)))
    numbers: list[str] = []

    def propose(i: int) -> None:
        proposal = Proposal(f"Un banc au soleil {i}", "Un banc face à la mer pour les "
                            "promeneurs du dimanche.", "22070", "solidarite", 1500,
                            "Anne Le Goff", "anne@example.fr")
        numbers.append(submit_proposal("bp", proposal, submission_id=f"{i:032d}",
                                       today=date(2027, 1, 10), engine=engine))

    assert _at_once(propose, 12) == []
    assert sorted(numbers, key=int) == [str(n) for n in range(5, 17)]
