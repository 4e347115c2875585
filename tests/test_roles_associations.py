"""Who may do what with the associations (directory, subsidy requests, committee, scores) and
the participatory budget's review: the role × action matrix, the audit entries, and the
committee's scores tied to the signed-in assessor (never to a name a page sends)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select

from workbench.associations.grid import load_edition
from workbench.associations.requests import (
    import_requests,
    request_fields,
    save_request,
    set_status,
)
from workbench.associations.rna import import_rna
from workbench.associations.scdl import export_scdl
from workbench.associations.scoring import (
    adjust,
    assignments,
    own_scores,
    record_decision,
    record_scores,
    results,
    store_proposals,
)
from workbench.budget.paper import import_paper_ballots
from workbench.budget.review import review_project
from workbench.budget.voting import create_tokens
from workbench.errors import WorkbenchError
from workbench.forms.issues import SpecError
from workbench.staff import audit
from workbench.staff.acting import Refused, acting_as, current
from workbench.storage import read_connection, write_transaction
from workbench.storage.schema import (
    association,
    audit_event,
    committee_review,
    committee_score,
    pb_ballot,
    pb_edition,
    pb_project,
    pb_token,
    subsidy_request,
)

from .rna_files import rna_row, write_rna
from .roles import ADMIN, AN, AS, ROLES, A, I, L, Row, actor, check
from .test_associations_subsidies import EDITION_FILE, ROWS, requests_file

D, E = "Assesseur D (fictif)", "Assesseur E (fictif)"  # D: culture, breton, youth, sport
D_EMAIL, E_EMAIL = "assesseur.d@agglo.test", "assesseur.e@agglo.test"  # in comite-2026.yaml
OFFICER = actor(I, "agent.instruction@agglo.test")
FACILITATOR = actor(A, "animateur.bp@agglo.test")


def _budget(engine) -> None:
    """Edition ``bp``: projects 0 (60,000 €, received) and 1 (proposed, 8,000 € estimated)."""
    with write_transaction(engine) as conn:
        edition_id = conn.execute(insert(pb_edition).values(
            slug="bp", title="BP", budget=100_000, currency="EUR", ballot_kind="approval",
            max_projects=3, max_cost=100_000, eligibility="token", rule="equalshares/add1",
            source="saisie", meta_json="{}", vote_open=date(2027, 3, 1),
            vote_close=date(2027, 3, 31),
            created_at=datetime.now(UTC).replace(tzinfo=None))).inserted_primary_key[0]
        for code, cost, proposed, status in (("0", 60_000, None, "recevable"),
                                             ("1", None, 8_000, "proposee")):
            conn.execute(insert(pb_project).values(
                edition_id=edition_id, code=code, title=f"Projet {code}", description="",
                cost=cost, proposed_cost=proposed, status=status, extra_json="{}"))


def _prepare(engine, tmp_path: Path) -> SimpleNamespace:
    """Requests SUB-1 (Bagad, identité bretonne), SUB-2 (tennis, sport), SUB-3 (social,
    voted) in comite-2026, and a budget edition; done as the command line."""
    import_requests(requests_file(tmp_path, *ROWS), engine)
    _budget(engine)
    edition = load_edition(EDITION_FILE)
    with read_connection(engine) as conn:
        ids = dict(conn.execute(select(subsidy_request.c.reference, subsidy_request.c.id)).all())
        project = conn.scalar(select(pb_project.c.id).where(pb_project.c.code == "0"))
        first = conn.scalar(select(audit_event.c.id).order_by(audit_event.c.id.desc())) or 0
    return SimpleNamespace(engine=engine, tmp=tmp_path, ids=ids, edition=edition,
                           project=project, first=first)


def _snapshot(engine) -> dict[str, list]:
    """Everything the actions here may write."""
    with read_connection(engine) as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t)).all()), key=str)
                for t in (association, subsidy_request, committee_score, committee_review,
                          pb_project, pb_ballot, pb_token, audit_event)}


def _id(p, reference: str) -> int:
    with read_connection(p.engine) as conn:
        return conn.scalar(select(subsidy_request.c.id).where(
            subsidy_request.c.reference == reference))


def _entries(p) -> list:
    with read_connection(p.engine) as conn:
        return conn.execute(select(audit_event).where(audit_event.c.id > p.first)
                            .order_by(audit_event.c.id)).all()


# --- the matrix ----------------------------------------------------------------------------

def _matrix_edition(p):
    """comite-2026 with the matrix's test accounts as assessors: the assessor role's account is
    assessor D, and the administrator's is assessor A (an administrator named an assessor of
    an edition scores as one; one who is not is refused, see below)."""
    return p.edition.model_copy(update={"assessors": [
        a.model_copy(update={"email": {"Assesseur D (fictif)": "assesseur@agglo.test",
                                       "Assesseur A (fictif)": "administrateur@agglo.test"}
                             .get(a.name)}) for a in p.edition.assessors]})


def _me(edition) -> str:
    """The acting person's assessor name (D for the roles the permission check stops)."""
    mine = edition.assessor_by_email(current().label)
    return mine.name if mine else D


def _score(p) -> None:
    edition = _matrix_edition(p)
    record_scores(edition, p.ids["SUB-1"], _me(edition), {"budget": 3}, "", p.engine)


def _rna(p) -> None:
    path = write_rna(p.tmp / "rna.csv", [rna_row("W221000099", "Cercle celtique", "22070")])
    import_rna(path, p.engine)


def _scdl(p) -> None:
    export_scdl(2026, p.tmp / "scdl.csv", p.engine)


def _import(p) -> None:
    changed = ROWS[1].replace("2 500,50", "2 000")
    import_requests(requests_file(p.tmp, ROWS[0], changed, name="maj.csv"), p.engine)


def _paper(p) -> None:
    path = p.tmp / "papier.csv"
    path.write_text("projets;date\n0;2027-03-10\n", encoding="utf-8")
    assert import_paper_ballots("bp", path, p.engine) == 1


def _save(p) -> None:
    save_request({**request_fields(p.ids["SUB-2"], p.engine), "montant_demande": "2 000"},
                 p.engine)


MATRIX = (  # action, roles allowed (and the administrator), what it does
    ("associations.request.save", {I}, _save),
    ("associations.request.import", {I}, _import),
    ("associations.request.status", {I},
     lambda p: set_status(p.ids["SUB-1"], "instruite", p.engine)),
    ("associations.directory.import_rna", {I}, _rna),
    ("associations.scdl.export", {I, AN}, _scdl),  # open data: EXPORT or ASSOCIATIONS
    ("associations.committee.proposals", {I}, lambda p: store_proposals(p.edition, p.engine)),
    ("associations.committee.adjust", {I}, lambda p: adjust(p.ids["SUB-1"], 2000, p.engine)),
    ("associations.committee.decision", {I},
     lambda p: record_decision(p.ids["SUB-1"], 3500, "DEL-2026-042", date(2026, 6, 26),
                               p.engine)),
    ("associations.score.record", {AS}, _score),
    ("associations.score.assignments", {AS},
     lambda p: assignments(_matrix_edition(p), _me(_matrix_edition(p)), p.engine)),
    ("associations.score.own", {AS},
     lambda p: own_scores(_matrix_edition(p), p.ids["SUB-1"], _me(_matrix_edition(p)),
                          p.engine)),
    ("budget.project.review", {A},
     lambda p: review_project("bp", "0", "recevable", cost=55_000, engine=p.engine)),
    ("budget.paper_ballots", {A}, _paper),
    ("budget.voting_codes", {A}, lambda p: create_tokens("bp", 2, p.engine)),
)


@pytest.mark.parametrize(("action", "role"),
                         [(action, role) for action, _allowed, _run in MATRIX for role in ROLES])
def test_each_role_does_only_what_its_permissions_allow(sqlite_engine, tmp_path, action,
                                                        role) -> None:
    p = _prepare(sqlite_engine, tmp_path)
    allowed, run = next((allowed, run) for name, allowed, run in MATRIX if name == action)
    row = Row(action, allowed, lambda: run(p))
    before = _snapshot(sqlite_engine)
    check(row, role)
    if role not in row.allowed:  # refused: nothing written, no audit entry, no file
        assert _snapshot(sqlite_engine) == before
        assert not (tmp_path / "scdl.csv").exists()


# --- staff pages ---------------------------------------------------------------------------

def _pages():
    from workbench.associations.staff_committee import CommitteeTab
    from workbench.associations.staff_page import AssociationsPage
    from workbench.associations.staff_requests import RequestsTab
    from workbench.budget.staff_page import ReviewPage

    return (("associations", {I}, AssociationsPage), ("requests", {I}, RequestsTab),
            ("committee", {I}, CommitteeTab), ("budget", {A}, lambda: ReviewPage("bp")))


@pytest.fixture
def pages_database(sqlite_engine, tmp_path, monkeypatch):
    monkeypatch.setattr("workbench.storage.engine.get_engine", lambda url=None: sqlite_engine)
    return _prepare(sqlite_engine, tmp_path)


@pytest.mark.parametrize("page", ["associations", "requests", "committee", "budget"])
def test_a_staff_page_shows_only_a_french_refusal_to_a_role_without_its_permission(
        pages_database, page) -> None:
    _name, allowed, build = next(x for x in _pages() if x[0] == page)
    for role in ROLES:
        with acting_as(actor(role)):
            root = build().root
        first = root.children[0].value
        refused = len(root.children) == 1 and "Vos rôles ne vous permettent pas" in first
        assert refused == (role not in allowed | {ADMIN}), (page, role)


def test_a_page_button_shows_the_refusal_of_a_session_that_lost_its_role(pages_database) -> None:
    from workbench.budget.staff_page import ReviewPage

    with acting_as(FACILITATOR):
        page = ReviewPage("bp")
    page.project.value, page.state.value, page.cost.value = "0", "recevable", 50_000
    with acting_as(actor(L)):  # e.g. the roles changed since the page opened
        page._save()
    assert "Vos rôles ne vous permettent pas" in page.message.value
    with acting_as(FACILITATOR):
        page._save()
    assert "enregistrée" in page.message.value


# --- audit ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Audited:
    action: str
    who: object  # the actor
    run: object  # p → the action
    object_id: object  # p → the id the entry names
    before: dict | None
    after: dict
    invalid: object = None  # p → the action refused after the permission check


AUDITED = (
    Audited("associations.request.save", OFFICER, _save, lambda p: p.ids["SUB-2"],
            {"amount_requested": 2500.5, "status": "passée en comité"},
            {"amount_requested": 2000.0, "status": "passée en comité"},
            lambda p: save_request({**request_fields(p.ids["SUB-2"], p.engine),
                                    "montant_demande": "beaucoup"}, p.engine)),
    Audited("associations.request.save", OFFICER,
            lambda p: save_request({"reference": "SUB-9", "association": "Nouvelle",
                                    "annee": "2026", "service": "sport",
                                    "type": "projet", "intitule": "Tournoi",
                                    "montant_demande": "1 200"}, p.engine),
            lambda p: _id(p, "SUB-9"), None,
            {"amount_requested": 1200.0, "status": "reçue"}),
    Audited("associations.request.import", OFFICER, _import, lambda p: p.ids["SUB-2"],
            {"amount_requested": 2500.5, "status": "passée en comité"},  # SUB-1 unchanged
            {"amount_requested": 2000.0, "status": "passée en comité"},
            lambda p: import_requests(requests_file(p.tmp, ROWS[0], "SUB-7;;;X;;2026",
                                                    name="faux.csv"), p.engine)),
    Audited("associations.request.status", OFFICER,
            lambda p: set_status(p.ids["SUB-1"], "versée", p.engine, paid_on=date(2026, 7, 1)),
            lambda p: p.ids["SUB-1"], {"status": "passée en comité", "paid_on": None},
            {"status": "versée", "paid_on": "2026-07-01"},
            lambda p: set_status(p.ids["SUB-1"], "perdue", p.engine)),
    Audited("associations.committee.proposals", OFFICER,
            lambda p: store_proposals(p.edition, p.engine), lambda p: "comite-2026", None,
            {"edition": "comite-2026", "count": 3, "total": 0.0}),
    Audited("associations.committee.adjust", OFFICER,
            lambda p: adjust(p.ids["SUB-1"], 2000, p.engine), lambda p: p.ids["SUB-1"],
            {"amount_proposed": None}, {"amount_proposed": 2000},
            lambda p: adjust(p.ids["SUB-1"], 4001, p.engine)),
    Audited("associations.committee.decision", OFFICER,
            lambda p: record_decision(p.ids["SUB-1"], 3500, "DEL-2026-042", date(2026, 6, 26),
                                      p.engine), lambda p: p.ids["SUB-1"],
            {"amount_voted": None, "decision_ref": None, "decision_on": None,
             "status": "passée en comité"},
            {"amount_voted": 3500, "decision_ref": "DEL-2026-042",
             "decision_on": "2026-06-26", "status": "votée"},
            lambda p: record_decision(p.ids["SUB-1"], 4001, "DEL-2026-042", date(2026, 6, 26),
                                      p.engine)),
    Audited("budget.project.review", FACILITATOR,
            lambda p: review_project("bp", "0", "recevable", cost=55_000, engine=p.engine),
            lambda p: p.project, {"status": "recevable", "cost": 60_000.0},
            {"status": "recevable", "cost": 55_000},
            lambda p: review_project("bp", "0", "recevable", cost=0, engine=p.engine)),
)


@pytest.mark.parametrize("case", AUDITED, ids=lambda c: f"{c.action}:{c.before is None}")
def test_an_audited_action_writes_one_entry_with_who_what_before_and_after(engine, tmp_path,
                                                                          case) -> None:
    p = _prepare(engine, tmp_path)
    with acting_as(case.who):
        case.run(p)
    entries = _entries(p)
    assert [(e.action, e.actor, e.object_id) for e in entries] == [
        (case.action, case.who.label, str(case.object_id(p)))]
    assert json.loads(entries[0].before or "null") == case.before
    assert json.loads(entries[0].after) == case.after
    assert entries[0].summary


@pytest.mark.parametrize("case", AUDITED, ids=lambda c: f"{c.action}:{c.before is None}")
def test_a_failed_change_leaves_no_entry(sqlite_engine, tmp_path, case, monkeypatch) -> None:
    p = _prepare(sqlite_engine, tmp_path)
    before = _snapshot(sqlite_engine)
    if case.invalid is not None:  # refused after the permission check
        with acting_as(case.who), pytest.raises(WorkbenchError):
            case.invalid(p)
        assert _snapshot(sqlite_engine) == before
    real = audit.record

    def failing(*args, **kwargs):  # the entry is written, then the transaction fails
        real(*args, **kwargs)
        raise RuntimeError("panne")

    monkeypatch.setattr(audit, "record", failing)
    with acting_as(case.who), pytest.raises(RuntimeError):
        case.run(p)
    assert _snapshot(sqlite_engine) == before  # neither the change nor its entry


def test_saving_a_request_without_a_change_of_amount_or_status_is_not_audited(
        sqlite_engine, tmp_path) -> None:
    p = _prepare(sqlite_engine, tmp_path)
    with acting_as(OFFICER):
        save_request({**request_fields(p.ids["SUB-2"], sqlite_engine), "public": "Jeunes"},
                     sqlite_engine)
        import_requests(requests_file(tmp_path, *ROWS, name="encore.csv"), sqlite_engine)
    assert _entries(p) == []


# --- the assessor is the signed-in person --------------------------------------------------

def test_an_assessor_scores_their_own_files_and_no_one_else_s(engine, tmp_path) -> None:
    p = _prepare(engine, tmp_path)
    edition = p.edition
    bagad, social = p.ids["SUB-1"], p.ids["SUB-3"]  # social: E's service, not D's
    with acting_as(actor(AS, D_EMAIL)):
        assert [a.reference for a in assignments(edition, D, engine)] == ["SUB-1", "SUB-2"]
        record_scores(edition, bagad, D, {"budget": 3}, "solide", engine)
        assert own_scores(edition, bagad, D, engine) == ({"budget": 3}, "solide")
        # a crafted request: another assessor's file, under one's own name
        with pytest.raises(Refused):
            record_scores(edition, social, D, {"budget": 1}, "", engine)
        # or under the other assessor's name, for their file or one's own
        for request in (social, bagad):
            with pytest.raises(Refused):
                record_scores(edition, request, E, {"budget": 1}, "", engine)
        with pytest.raises(Refused):
            assignments(edition, E, engine)
        with pytest.raises(Refused):
            own_scores(edition, social, E, engine)
    with read_connection(engine) as conn:
        stored = conn.execute(select(committee_score.c.assessor, committee_score.c.request_id,
                                     committee_score.c.score)).all()
    assert [tuple(r) for r in stored] == [(D, bagad, 3)]
    with acting_as(actor(AS, E_EMAIL)):
        record_scores(edition, social, E, {"budget": 2}, "", engine)
        assert own_scores(edition, bagad, E, engine) == ({}, "")  # D's scores stay D's
    for stranger in (actor(AS, "quelquun@agglo.test"), actor(ADMIN), actor(I), actor(L)):
        with acting_as(stranger), pytest.raises(Refused):
            record_scores(edition, bagad, D, {"budget": 0}, "", engine)
    # the command line (demo, CLI) names the assessor
    record_scores(edition, bagad, D, {"budget": 4}, "", engine)
    assert own_scores(edition, bagad, D, engine)[0] == {"budget": 4}
    assert results(edition, engine).requests[0].reference  # the results need no assessor


def test_the_committee_page_scores_as_the_signed_in_assessor_only(pages_database) -> None:
    from workbench.associations.committee_page import CommitteePage

    p = pages_database
    with acting_as(actor(AS, D_EMAIL.upper())):  # e-mails compare as accounts store them
        page = CommitteePage("comite-2026")
    assert [value for _label, value in page.request.options] == [p.ids["SUB-1"], p.ids["SUB-2"]]
    assert D in page.root.children[1].value
    assert not hasattr(page, "who")  # no name to choose
    with acting_as(actor(AS, E_EMAIL)):
        page_e = CommitteePage("comite-2026")
    assert [value for _label, value in page_e.request.options] == [p.ids["SUB-3"]]
    with acting_as(actor(AS, D_EMAIL)):
        for choice in page.choices.values():
            choice.value = "3"
        page._save(advance=False)
    assert set(own_scores(p.edition, p.ids["SUB-1"], D)[0].values()) == {3}
    with acting_as(actor(AS, E_EMAIL)):  # D's page, used by someone else's session
        page._save(advance=False)
    assert "wb-error" in page.message.value
    refusals = {}
    for who in (actor(ADMIN), actor(I), actor(L), actor(AS, "quelquun@agglo.test"),
                actor(A)):
        with acting_as(who):
            shown = CommitteePage("comite-2026").root.children
        assert len(shown) == 1 and "wb-error" in shown[0].value, who
        refusals[who.label] = shown[0].value
    # the staff who run the committee are sent to the associations page; others refused
    assert refusals[actor(ADMIN).label] == refusals[actor(I).label]
    assert "associations" in refusals[actor(I).label]
    assert "Vos rôles ne vous permettent pas" in refusals[actor(L).label]
    assert "quelquun@agglo.test" in refusals["quelquun@agglo.test"]


def test_assessor_e_mails_are_addresses_and_each_names_one_assessor(tmp_path) -> None:
    text = EDITION_FILE.read_text(encoding="utf-8")
    edition = load_edition(EDITION_FILE)
    assert [a.email for a in edition.assessors] == [
        f"assesseur.{x}@agglo.test" for x in "abcde"]
    assert edition.assessor_by_email(" Assesseur.E@Agglo.test ").name == E
    path = tmp_path / "comite-2026.yaml"
    path.write_text(text.replace("email: assesseur.b@agglo.test", "email: Assesseur.A@agglo.test")
                    .replace("email: assesseur.c@agglo.test", "email: pas-une-adresse"),
                    encoding="utf-8")
    with pytest.raises(SpecError) as error:
        load_edition(path)
    lines = error.value.lines()
    assert any("assessors[1].email" in line and "assesseur.a@agglo.test" in line
               for line in lines), lines
    assert any("assessors[2].email" in line and "pas-une-adresse" in line
               for line in lines), lines
