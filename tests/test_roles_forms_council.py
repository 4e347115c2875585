"""Roles in questionnaires, live sessions, the council, evaluations and foresight.

One table (``ROWS``) lists every staff action of these domains with the roles allowed to do
it; the matrix runs each as every role on a prepared database: the allowed ones act, the
others are refused in French and leave the database exactly as it was (no audit entry
either). A second table (``AUDITED``) checks that each audited action writes one entry, and
that a change failing after its check leaves none.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from workbench.council import avis, draw, meetings, members, registry
from workbench.errors import WorkbenchError
from workbench.evaluation import records
from workbench.foresight.morpho import load_morphology
from workbench.foresight.scenarios import save_scenario
from workbench.forms import export, invitations, publish
from workbench.forms.loader import spec_from_dict
from workbench.staff import audit
from workbench.staff.acting import NOBODY, Refused, acting_as
from workbench.storage import read_connection, write_transaction
from workbench.storage.engine import get_engine
from workbench.storage.forms import latest_version
from workbench.storage.migrate import upgrade
from workbench.storage.schema import audit_event, metadata
from workbench.workshops import sessions

from .conftest import DEMO_SPEC, ROOT, TOKEN_SPEC, sqlite_url
from .roles import ADMIN, AN, AS, ROLES, A, I, L, Row, S, actor, check

SLUG = "evaluation-transport"
TOKEN_SLUG = "consultation-conseil"
EXAMPLES = ROOT / "data" / "examples"
ALL = set(ROLES)
READERS = ALL - {AS}
PAST = date(2020, 1, 1)


def member_fields(name: str, email: str = "", **changes: str) -> dict[str, str]:
    return {"nom": name, "email": email, "telephone": "", "commune": "22070", "sexe": "F",
            "tranche_age": "30-44 ans", "college": "habitants", "elu_communautaire": "non",
            "entree": "2025-01-15", "sortie": "", "consentement": "oui",
            "conservation_jusqu_au": ""} | changes


_drawn: list = []


def a_draw():
    """A small council draw (computed once: the lottery takes a moment)."""
    if not _drawn:
        pool = [{"id": f"P{i}", "sexe": "FH"[i % 2]} for i in range(12)]
        quotas = [draw.Quota("sexe", "F", 2, 4), draw.Quota("sexe", "H", 2, 4)]
        _drawn.append(draw.draw(pool, quotas, 6, 7))
    return _drawn[0]


def prepare(engine, folder: Path) -> SimpleNamespace:
    """What the actions need, made as the command line: a published questionnaire, a draft
    and an open paced session, three members (one past retention), a planned meeting, an avis,
    a finding and a recommendation."""
    publish.publish_spec_file(DEMO_SPEC, engine)
    draft = sessions.create_session(SLUG, "Brouillon", paced=True, engine=engine).code
    running = sessions.create_session(SLUG, "En cours", paced=True, engine=engine).code
    sessions.open_session(running, engine)
    sessions.release(running, "commune", engine)
    anne = registry.save_member(member_fields("Anne Le Goff", "anne@example.org"),
                                engine=engine)
    yann = registry.save_member(member_fields("Yann Morvan", "yann@example.org",
                                              sexe="H"), engine=engine)
    gone = registry.save_member(member_fields(
        "Ancienne Membre", "ancienne@example.org", entree="2015-01-01", sortie="2019-01-01",
        conservation_jusqu_au="2019-06-01"), engine=engine)
    body = meetings.create_body("Bureau", "bureau", engine)
    meeting = meetings.plan_meeting(body, date.today(), "Pabu", "Ordre du jour", "",
                                    [anne, yann], engine)
    avis.import_avis(EXAMPLES / "avis-mobilite.yaml", engine)
    recommendation = avis.load_ledger(engine)[0].id
    finding = records.add_finding(SLUG, "rural", "Constat", engine)
    advice = records.add_recommendation(SLUG, "Recommandation", "Service", "haute", engine)
    members_file = folder / "membres.csv"
    members_file.write_text(
        "nom;email;telephone;commune;sexe;tranche_age;college;elu_communautaire;entree;"
        "sortie;consentement;conservation_jusqu_au\n"
        "Nouveau Membre;nouveau@example.org;;22070;H;45-59 ans;habitants;non;2026-01-01;;oui;\n",
        encoding="utf-8")
    avis_file = folder / "avis.yaml"
    avis_file.write_text("slug: avis-test\ntitle: Avis de test\nkind: saisine\n"
                         "adopted_on: 2026-05-01\nrecommendations:\n"
                         "  - text: Faire mieux\n    addressee: Service\n", encoding="utf-8")
    return SimpleNamespace(engine=engine, folder=folder, draft=draft, running=running,
                           anne=anne, yann=yann, gone=gone, body=body, meeting=meeting,
                           recommendation=recommendation, finding=finding, advice=advice,
                           members_file=members_file, avis_file=avis_file)


db = SimpleNamespace()  # the prepared database of the running test (set by the fixtures)


def _spec():
    with read_connection(db.engine) as conn:
        return spec_from_dict(latest_version(conn, SLUG).spec)


ROWS = [
    # Questionnaires: publishing and invitations (FORMS), answers' exports (EXPORT).
    Row("publish a questionnaire", {A}, lambda: publish.publish_spec_file(TOKEN_SPEC, db.engine)),
    Row("create invitations", {A}, lambda: invitations.create_invitations(
        SLUG, ["a@example.org", None], db.engine)),
    Row("export answers (csv)", {AN}, lambda: export.export_responses(
        SLUG, db.folder / "x.csv", "csv", engine=db.engine)),
    Row("export answers (xlsx)", {AN}, lambda: export.export_responses(
        SLUG, db.folder / "x.xlsx", "xlsx", engine=db.engine)),
    Row("export a session's answers", {AN}, lambda: export.export_responses(
        SLUG, db.folder / "s.xlsx", "xlsx", db.running, db.engine)),
    Row("write an answers file", {AN}, lambda: export.write_csv(_spec(), [],
                                                                 db.folder / "y.csv")),
    # Live sessions (SESSIONS).
    Row("create a session", {A}, lambda: sessions.create_session(SLUG, "Atelier", False,
                                                                 db.engine)),
    Row("open a session", {A}, lambda: sessions.open_session(db.draft, db.engine)),
    Row("close a session", {A}, lambda: sessions.close_session(db.running, db.engine)),
    Row("freeze a session", {A}, lambda: sessions.freeze_session(db.running, True, db.engine)),
    Row("release a question", {A}, lambda: sessions.release(db.running, "satisfaction",
                                                            db.engine)),
    Row("withdraw a question", {A}, lambda: sessions.withdraw(db.running, "commune",
                                                              db.engine)),
    # The council (COUNCIL), its public sign-in excepted.
    Row("add a member", {S}, lambda: registry.save_member(
        member_fields("Nouvelle", "nouvelle@example.org"), engine=db.engine)),
    Row("edit a member", {S}, lambda: registry.save_member(
        member_fields("Anne Le Goff", "anne.legoff@example.org", college="associations"),
        db.anne, db.engine)),
    Row("list the registry", {S}, lambda: registry.list_members(db.engine)),
    Row("export the registry (page)", {S}, lambda: registry.members_csv(db.engine)),
    Row("export the registry (file)", {S}, lambda: registry.export_members(
        db.folder / "registre.xlsx", db.engine)),
    Row("anonymise past members", {S}, lambda: registry.purge_expired(engine=db.engine)),
    Row("import members", {S}, lambda: members.import_members(db.members_file, db.engine)),
    Row("create a body", {S}, lambda: meetings.create_body("Plénière", "plénière", db.engine)),
    Row("add a past meeting", {S}, lambda: meetings.add_meeting(
        db.body, PAST, "Pabu", "", {db.anne: True}, db.engine)),
    Row("plan a meeting", {S}, lambda: meetings.plan_meeting(
        db.body, date.today() + timedelta(7), "Pabu", "", "", [db.anne], db.engine)),
    Row("record attendance", {S}, lambda: meetings.record_attendance(
        db.meeting, {db.anne: True}, db.engine)),
    Row("read a sign-in sheet", {S}, lambda: meetings.attendance_sheet(db.meeting, db.engine)),
    Row("read the sign-in activity", {S}, lambda: meetings.signin_activity(db.meeting,
                                                                          db.engine)),
    Row("record a council draw", {S}, lambda: draw.record_draw(a_draw(), db.engine)),
    Row("import an avis", {S}, lambda: avis.import_avis(db.avis_file, db.engine)),
    Row("record an official answer", {S}, lambda: avis.record_answer(
        db.recommendation, date(2026, 6, 1), "retenue", "Oui", db.engine)),
    Row("add a follow-up milestone", {S}, lambda: avis.add_milestone(
        db.recommendation, date(2026, 7, 1), "engagée", "Délibération", db.engine)),
    Row("sign in to a meeting (public)", ALL, lambda: meetings.sign_in(
        db.meeting, _signin_code(), "yann@example.org", date.today(), db.engine)),
    # Evaluations (REPORTS) and foresight (FORESIGHT).
    Row("record a finding", {AN}, lambda: records.add_finding(SLUG, "rural", "Vu",
                                                              db.engine)),
    Row("record a recommendation", {AN}, lambda: records.add_recommendation(
        SLUG, "Faire", "Service", "basse", db.engine)),
    Row("remove a finding", {AN}, lambda: records.remove_finding(db.finding, db.engine)),
    Row("remove a recommendation", {AN}, lambda: records.remove_recommendation(
        db.advice, db.engine)),
    Row("name a scenario", {A}, lambda: save_scenario(
        "mobilite-2040", load_morphology(EXAMPLES / "morpho-mobilite.yaml"), "Le bus partout",
        (2, 2, 2, 2, 1), db.engine)),
]


def _signin_code() -> str:
    from workbench.storage.schema import council_meeting

    with read_connection(db.engine) as conn:
        return conn.scalar(select(council_meeting.c.signin_code)
                           .where(council_meeting.c.id == db.meeting))


def dump(engine) -> dict[str, list]:
    """Every row of every table: what a refused action must leave unchanged."""
    with read_connection(engine) as conn:
        return {table.name: sorted(map(repr, conn.execute(select(table)).all()))
                for table in metadata.sorted_tables}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, SimpleNamespace]:
    folder = tmp_path_factory.mktemp("roles-template")
    engine = get_engine(sqlite_url(folder))
    upgrade(engine)
    prepared = prepare(engine, folder)
    engine.dispose()
    return folder / "workbench.sqlite", prepared


@pytest.fixture
def prepared(template, tmp_path) -> SimpleNamespace:
    """A copy of the prepared SQLite database for this test (``db`` points to it)."""
    source, made = template
    target = tmp_path / "workbench.sqlite"
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    for name in ("members_file", "avis_file"):
        (tmp_path / getattr(made, name).name).write_bytes(getattr(made, name).read_bytes())
    vars(db).clear()
    vars(db).update(vars(made) | {"engine": get_engine(sqlite_url(tmp_path)),
                                  "folder": tmp_path,
                                  "members_file": tmp_path / made.members_file.name,
                                  "avis_file": tmp_path / made.avis_file.name})
    yield db
    db.engine.dispose()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=[r.action for r in ROWS])
def test_each_action_is_done_by_the_roles_allowed_and_refused_to_the_others(
        prepared, row: Row, role) -> None:
    before = dump(prepared.engine)
    check(row, role)
    if role not in row.allowed:
        assert dump(prepared.engine) == before, "a refused action wrote something"


def test_the_public_sign_in_needs_no_staff_account(prepared) -> None:
    with acting_as(NOBODY):
        assert meetings.sign_in(prepared.meeting, _signin_code(), "anne@example.org",
                                date.today(), prepared.engine) == meetings.SignIn.SIGNED
        with pytest.raises(Refused, match="pas connecté"):
            meetings.record_attendance(prepared.meeting, {prepared.anne: True},
                                       prepared.engine)


# The audit trail -------------------------------------------------------------------------

PERSONAL = ("anne", "Anne", "Le Goff", "Yann", "Ancienne", "example.org", "Nouveau")


def _member_edit(d):
    return registry.save_member(member_fields("Anne Le Goff", "anne.legoff@example.org",
                                              college="associations"), d.anne, d.engine)


AUDITED = [
    # (action, role, run, object id, expected before ⊂, expected after ⊂)
    ("form.publish", A, lambda d: publish.publish_spec_file(TOKEN_SPEC, d.engine),
     lambda d: TOKEN_SLUG, None, {"slug": TOKEN_SLUG, "version": 1}),
    ("form.invitations", A, lambda d: invitations.create_invitations(
        SLUG, ["a@example.org", None, None], d.engine),
     lambda d: SLUG, None, {"count": 3, "named": 1}),
    ("responses.export", AN, lambda d: export.export_responses(
        SLUG, d.folder / "x.csv", "csv", engine=d.engine),
     lambda d: SLUG, None, {"format": "csv", "rows": 0, "session": None}),
    ("session.create", A, lambda d: sessions.create_session(SLUG, "Atelier", True, d.engine),
     None, None, {"slug": SLUG, "paced": True}),
    ("session.open", A, lambda d: sessions.open_session(d.draft, d.engine),
     lambda d: d.draft, {"status": "draft"}, {"status": "open"}),
    ("session.close", A, lambda d: sessions.close_session(d.running, d.engine),
     lambda d: d.running, {"status": "open"}, {"status": "closed"}),
    ("session.freeze", A, lambda d: sessions.freeze_session(d.running, True, d.engine),
     lambda d: d.running, {"frozen": False}, {"frozen": True}),
    ("council.member_add", S, lambda d: registry.save_member(
        member_fields("Nouvelle Membre", "nouvelle@example.org"), engine=d.engine),
     None, None, {"college": "habitants"}),
    ("council.member_edit", S, _member_edit, lambda d: str(d.anne),
     {"fields": ["email", "college"], "college": "habitants"},
     {"fields": ["email", "college"], "college": "associations"}),
    ("council.member_anonymise", S, lambda d: registry.purge_expired(engine=d.engine),
     lambda d: str(d.gone), None, {"fields": ["nom", "email", "telephone", "consentement"]}),
    ("council.members_import", S, lambda d: members.import_members(d.members_file, d.engine),
     lambda d: "*", None, {"created": 1, "updated": 0}),
    ("council.members_export", S, lambda d: registry.export_members(
        d.folder / "registre.csv", d.engine),
     lambda d: "*", None, {"format": "csv", "rows": 3}),
    ("council.attendance", S, lambda d: meetings.record_attendance(
        d.meeting, {d.anne: True, d.yann: False}, d.engine),
     lambda d: str(d.meeting), {"present": 0, "unmarked": 2},
     {"present": 1, "absent": 1, "unmarked": 0}),
    ("council.draw", S, lambda d: draw.record_draw(a_draw(), d.engine),
     None, None, {"seats": 6, "seed": 7}),
    ("council.avis_import", S, lambda d: avis.import_avis(d.avis_file, d.engine),
     lambda d: "avis-test", {"status": None}, {"status": "recorded", "recommendations": 1}),
    ("council.avis_answer", S, lambda d: avis.record_answer(
        d.recommendation, date(2026, 6, 1), "retenue", "Oui", d.engine),
     lambda d: str(d.recommendation), {"position": None}, {"position": "retenue"}),
    ("council.avis_milestone", S, lambda d: avis.add_milestone(
        d.recommendation, date(2026, 7, 1), "engagée", "", d.engine),
     lambda d: str(d.recommendation), {"status": None}, {"status": "engagée"}),
]


@pytest.fixture
def fresh(engine, tmp_path) -> SimpleNamespace:
    """The prepared data on SQLite and PostgreSQL (the ``engine`` fixture)."""
    return prepare(engine, tmp_path)


def _entries(engine, after_id: int) -> list:
    with read_connection(engine) as conn:
        return conn.execute(select(audit_event).where(audit_event.c.id > after_id)
                            .order_by(audit_event.c.id)).all()


def _last_id(engine) -> int:
    with read_connection(engine) as conn:
        return max(conn.scalars(select(audit_event.c.id)), default=0)


@pytest.mark.parametrize(("name", "role", "run", "object_id", "before", "after"), AUDITED,
                         ids=[a[0] for a in AUDITED])
def test_an_audited_action_writes_one_entry_in_its_transaction(
        fresh, monkeypatch, name, role, run, object_id, before, after) -> None:
    engine = fresh.engine
    start = dump(engine)
    mark = _last_id(engine)
    real = audit.record

    def failing(conn, *args, **kwargs):  # the change fails after its entry is written
        real(conn, *args, **kwargs)
        raise RuntimeError("the change fails")

    monkeypatch.setattr(audit, "record", failing)
    with acting_as(actor(role)), pytest.raises(RuntimeError):
        run(fresh)
    assert _entries(engine, mark) == [] and dump(engine) == start  # rolled back, entry too
    monkeypatch.setattr(audit, "record", real)

    with acting_as(actor(role)):
        run(fresh)
    [entry] = _entries(engine, mark)
    assert (entry.action, entry.actor) == (name, f"{role.value}@agglo.test")
    if object_id is not None:
        assert entry.object_id == object_id(fresh)
    written = {"before": json.loads(entry.before) if entry.before else None,
               "after": json.loads(entry.after) if entry.after else None}
    for side, expected in (("before", before), ("after", after)):
        if expected is not None:
            assert written[side] is not None and expected.items() <= written[side].items(), (
                side, written[side])
    assert entry.summary
    if name.startswith("council.member"):  # never a name, an e-mail or a phone
        text = f"{entry.summary} {entry.before} {entry.after}"
        assert not any(value in text for value in PERSONAL), text


def test_failing_input_after_the_check_leaves_no_entry(fresh) -> None:
    engine = fresh.engine
    mark = _last_id(engine)
    with acting_as(actor(S)):
        with pytest.raises(WorkbenchError, match="position"):
            avis.record_answer(fresh.recommendation, date(2026, 6, 1), "peut-être", "",
                               engine)
        with pytest.raises(WorkbenchError, match="déjà"):
            avis.import_avis(EXAMPLES / "avis-mobilite.yaml", engine)
        with pytest.raises(WorkbenchError, match="membre"):
            registry.save_member(member_fields("X", "anne@example.org"), fresh.yann, engine)
        with pytest.raises(WorkbenchError):
            meetings.record_attendance(99999, {fresh.anne: True}, engine)
        with pytest.raises(WorkbenchError):
            registry.export_members(fresh.folder / "registre.pdf", engine)
    with acting_as(actor(A)):
        with pytest.raises(WorkbenchError):
            sessions.open_session("ZZZZZZ", engine)
        sessions.freeze_session(fresh.running, False, engine)  # no change: nothing to record
        publish.publish_spec_file(DEMO_SPEC, engine)  # unchanged: no new version
    with acting_as(actor(AN)), pytest.raises(WorkbenchError):
        export.export_responses("inconnu", fresh.folder / "x.csv", "csv", engine=engine)
    assert _entries(engine, mark) == []


def test_an_export_of_an_identified_questionnaire_has_no_direct_identifier(
        sqlite_engine, tmp_path) -> None:
    """EXPORT is enough to export answers: the recipients of the invitations (names,
    e-mails) are never in the file, even when the questionnaire is in identified mode."""
    from workbench.forms.submission import submit_response

    spec = tmp_path / TOKEN_SPEC.name  # the slug is the file's name
    spec.write_text(TOKEN_SPEC.read_text(encoding="utf-8").replace(
        "anonymity: anonymous", "anonymity: identified"), encoding="utf-8")
    publish.publish_spec_file(spec, sqlite_engine)
    [issued] = invitations.create_invitations(TOKEN_SLUG, ["Anne Le Goff <anne@example.org>"],
                                              sqlite_engine)
    submit_response(TOKEN_SLUG, "s1", {"college": "habitants", "satisfaction": 7},
                    token=issued.token, engine=sqlite_engine)
    with acting_as(actor(AN)):
        assert export.export_responses(TOKEN_SLUG, tmp_path / "x.csv", "csv",
                                       engine=sqlite_engine) == 1
    text = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert "anne" not in text.lower() and "Le Goff" not in text


# The staff pages ---------------------------------------------------------------------------

REFUSAL = "Vos rôles ne vous permettent pas"
REFUSED_PAGE = "role='alert'>" + REFUSAL  # the refusal as an error (a page not opened)


def _console():
    from workbench.workshops.console import FacilitatorConsole

    return FacilitatorConsole("https://participer.example")


def _projection():
    from workbench.workshops.projection import ProjectionPage

    return ProjectionPage(db.running, "https://participer.example")


def _council():
    from workbench.council.staff_page import CouncilPage

    return CouncilPage("https://participer.example")


def _evaluation():
    from workbench.evaluation.page import EvaluationPage

    return EvaluationPage(SLUG)


def _scenarios():
    from workbench.foresight.scenario_page import ScenarioPage

    return ScenarioPage("mobilite-2040")


PAGES = [("console", {A}, _console), ("projection", {A}, _projection),
         ("council", {S}, _council), ("evaluation", READERS, _evaluation),
         ("scenarios", {A}, _scenarios)]


@pytest.fixture
def pages(prepared, monkeypatch) -> SimpleNamespace:
    """The pages read the prepared database and do not poll."""
    from workbench.workshops import console, projection

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(prepared.folder))
    monkeypatch.setenv("WORKBENCH_CENSUS_FILE", "/nonexistent/census.csv")
    for module in (console, projection):
        monkeypatch.setattr(module, "every", lambda _s, _f: None)
    return prepared


def _text(widget) -> str:
    """Every HTML value under ``widget``."""
    own = getattr(widget, "value", "")
    return (own if isinstance(own, str) else "") + "".join(
        _text(child) for child in getattr(widget, "children", ()))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "allowed", "build"), PAGES, ids=[p[0] for p in PAGES])
def test_a_staff_page_opens_for_its_roles_and_says_why_not_to_the_others(
        pages, name, allowed, build, role) -> None:
    with acting_as(actor(role)):
        page = build()
    text = _text(page.root)
    if role in allowed | {ADMIN}:
        assert REFUSED_PAGE not in text, name
    else:
        assert REFUSED_PAGE in text, name
        assert len(page.root.children) == 1, name


def test_the_evaluation_page_is_read_only_without_the_reports_permission(demo_url) -> None:
    from workbench.evaluation.page import EvaluationPage

    def buttons(page) -> list[str]:
        return [c.description for c in page.root.children if hasattr(c, "on_click")]

    with acting_as(actor(L)):
        page = EvaluationPage(SLUG)
    assert "Enregistrer le constat" not in buttons(page)
    assert REFUSAL in _text(page.root) and "travailler sur les évaluations" in _text(page.root)
    assert "sur-représentés" in page.root.children[4].value  # the rest is there
    with acting_as(actor(AN)):
        page = EvaluationPage(SLUG)
        assert "Enregistrer le constat" in buttons(page)
    with acting_as(actor(I)):  # a session that lost REPORTS meanwhile: refused on click
        page.finding_text.value = "Constat"
        next(c for c in page.root.children
             if getattr(c, "description", "") == "Enregistrer le constat").click()
    assert REFUSAL in page.message.value


def test_the_console_hides_the_export_from_those_who_may_not_export(pages) -> None:
    with acting_as(actor(A)):
        console = _console()
        assert console.export_button.layout.display == "none"
        console.session_choice.value = pages.running
        console.open_button.click()
    with acting_as(actor(ADMIN)):
        assert _console().export_button.layout.display != "none"
    with acting_as(actor(L)):  # an action refused on click says why, in French
        console.close_button.click()
        console.confirm_button.click()
    assert REFUSAL in console.message.value
    with read_connection(pages.engine) as conn:
        actions = [e.action for e in conn.execute(select(audit_event.c.action))]
    assert "session.close" not in actions


def test_the_registry_export_is_made_on_demand_and_audited(pages) -> None:
    with acting_as(actor(S)):
        page = _council()
        assert page.members.export.value == ""
        page.members._export()
    assert "registre-conseil.csv" in page.members.export.value
    with write_transaction(pages.engine) as conn:
        exports = conn.execute(select(audit_event).where(
            audit_event.c.action == "council.members_export")).all()
    assert len(exports) == 1 and json.loads(exports[0].after)["rows"] == 3
