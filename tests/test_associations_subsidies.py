"""Subsidy requests, the committee's grid and scores, agreement, allocation, SCDL open data."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.associations.allocation import Candidate, propose
from workbench.associations.grid import load_edition
from workbench.associations.requests import (
    alerts,
    import_requests,
    request_fields,
    set_status,
)
from workbench.associations.scdl import (
    COLUMNS,
    check_rows,
    export_scdl,
    normalise_legacy,
    read_scdl,
)
from workbench.associations.scoring import (
    adjust,
    agreement,
    assignments,
    own_scores,
    record_decision,
    record_scores,
    results,
)
from workbench.errors import WorkbenchError
from workbench.forms.issues import SpecError

from .conftest import FIXTURES, ROOT

HEADER = ("reference;rna;siret;association;commune;annee;service;type;renouvellement;"
          "pluriannuel;intitule;budget_total;montant_demande;statut;pieces;commission")
EDITION_FILE = ROOT / "data" / "associations" / "comites" / "comite-2026.yaml"


def requests_file(tmp_path: Path, *rows: str, name: str = "demandes.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


ROWS = (
    "SUB-1;W221000001;12345678900011;Bagad de Paimpol;Paimpol;2026;identité bretonne;projet;"
    "non;non;Fest-noz des écoles;12 000;4 000;passée en comité;statuts, rib;comite-2026",
    "SUB-2;;;Tennis club de Pabu;Pabu;2026;sport;fonctionnement;oui;non;Saison 2026;;"
    "2 500,50;passée en comité;;comite-2026",
    "SUB-3;;98765432100019;Épicerie solidaire;Guingamp;2026;social;projet;non;non;"
    "Paniers d'hiver;60000;30000;votée;;comite-2026",
)


def test_requests_import_with_row_and_column_errors_and_upsert(engine, tmp_path) -> None:
    assert import_requests(requests_file(tmp_path, *ROWS), engine) == (3, 0)
    assert import_requests(requests_file(tmp_path, *ROWS), engine) == (0, 3)  # idempotent
    for cell, (old, new), expected in (
            (ROWS[1], ("2 500,50", "beaucoup"), "line 2, column 13 (montant_demande)"),
            (ROWS[1], (";sport;", ";piscine;"), "line 2, column 7 (service)"),
            (ROWS[0], ("statuts, rib", "statuts, photo"), "line 2, column 15 (pieces)"),
            (ROWS[0], ("12 000;4 000", "1 000;4 000"), "line 2, column 13 (montant_demande)"),
            (ROWS[0], ("W221000001", "W22"), "line 2, column 2 (rna)")):
        with pytest.raises(WorkbenchError) as error:
            import_requests(requests_file(tmp_path, cell.replace(old, new), name="bad.csv"),
                            engine)
        french = str(error.value)
        assert expected.replace("line", "ligne").replace("column", "colonne") in french \
            or expected in french, french


def test_alerts_missing_documents_overdue_report_and_convention(engine, tmp_path) -> None:
    import_requests(requests_file(tmp_path, *ROWS), engine)
    found = {(a.reference, a.kind): a.message for a in alerts(date(2027, 7, 1), engine)}
    assert "Liste des dirigeants" in found[("SUB-1", "pieces")]
    assert "Budget du projet" in found[("SUB-1", "pieces")]
    assert "CERFA n°15059" in found[("SUB-2", "pieces")]  # a renewal needs the last report
    assert ("SUB-2", "siret") in found
    ids = {r.reference: r.request_id
           for r in results(load_edition(EDITION_FILE), engine).requests}
    record_decision(ids["SUB-3"], 25_000, "DEL-2026-12", date(2026, 6, 1), engine)
    assert ("SUB-3", "convention") in {(a.reference, a.kind)
                                       for a in alerts(date(2027, 7, 1), engine)}
    set_status(ids["SUB-3"], "versée", engine, convention_on=date(2026, 6, 10),
               paid_on=date(2026, 7, 1))
    late = {(a.reference, a.kind) for a in alerts(date(2027, 7, 1), engine)}
    assert ("SUB-3", "bilan") in late and ("SUB-3", "convention") not in late
    assert ("SUB-3", "bilan") not in {(a.reference, a.kind)
                                      for a in alerts(date(2027, 6, 30), engine)}
    # the report arrives: recorded by a re-import with the follow-up column
    received = tmp_path / "bilans.csv"
    received.write_text(HEADER + ";bilan_recu\n" + ROWS[2].replace(";votée;", ";versée;")
                        + ";15/07/2027\n", encoding="utf-8")
    import_requests(received, engine)
    fields = request_fields(ids["SUB-3"], engine)
    assert (fields["statut"], fields["bilan_recu"], fields["convention"]) == (
        "versée", "2027-07-15", "2026-06-10")  # the convention date was not erased
    after = {(a.reference, a.kind) for a in alerts(date(2027, 7, 16), engine)}
    assert ("SUB-3", "bilan") not in after and ("SUB-3", "convention") not in after


def test_the_demo_edition_is_valid_and_errors_name_file_and_line(tmp_path) -> None:
    edition = load_edition(EDITION_FILE)
    assert edition.slug == "comite-2026" and len(edition.criteria_for("environnement")) == 6
    broken = EDITION_FILE.read_text(encoding="utf-8").replace(
        "  threshold: 2", "  threshold: 7").replace("  tourisme: 25000", "  plage: 25000")
    broken = broken.replace("  - id: benevolat", "  - id: budget")
    path = tmp_path / "comite-2026.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SpecError) as error:
        load_edition(path)
    text = error.value.message()
    assert "comite-2026.yaml:" in text and "plage" in text
    path.write_text(broken.replace("  plage: 25000", "  tourisme: 25000"), encoding="utf-8")
    with pytest.raises(SpecError) as error:
        load_edition(path)
    lines = error.value.lines()
    assert any(":58: allocation.threshold" in line for line in lines), lines
    assert any(":33: criteria[4].id" in line and "budget" in line for line in lines), lines


def test_krippendorff_alpha_on_the_published_example() -> None:
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12
    units, values 1–5 with missing data; ordinal alpha = 0.815."""
    rows = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
            "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
            "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
            "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
    ratings = {c: {u: v for u, v in enumerate(values) if v is not None}
               for c, values in rows.items()}
    assert agreement(ratings, (1, 5)) == pytest.approx(0.815, abs=0.001)
    assert agreement({"A": {1: 3}, "B": {2: 3}}, (0, 4)) is None  # no unit rated twice
    assert agreement({"A": {1: 3, 2: 3}, "B": {1: 3, 2: 3}}, (0, 4)) is None  # one value


def test_assessors_score_resume_and_the_committee_proposes(engine, tmp_path) -> None:
    import_requests(requests_file(tmp_path, *ROWS), engine)
    edition = load_edition(EDITION_FILE)
    mine = assignments(edition, "Assesseur D (fictif)", engine)  # culture, breton, youth, sport
    assert [a.reference for a in mine] == ["SUB-1", "SUB-2"]
    recused = edition.model_copy(update={"assessors": [
        a.model_copy(update={"recusals": ["W221000001"]}) if a.name == "Assesseur D (fictif)"
        else a for a in edition.assessors]})
    assert [a.reference for a in assignments(recused, "Assesseur D (fictif)", engine)] == \
        ["SUB-2"]  # déport: the Bagad (W221000001) is not theirs to score
    bagad = mine[0].request_id
    with pytest.raises(WorkbenchError, match=r"entre 0 et 4"):
        record_scores(edition, bagad, "Assesseur D (fictif)", {"budget": 5}, "", engine)
    with pytest.raises(WorkbenchError):
        record_scores(edition, assignments(edition, "Assesseur E (fictif)", engine)[0]
                      .request_id, "Assesseur D (fictif)", {"budget": 2}, "", engine)
    record_scores(edition, bagad, "Assesseur D (fictif)", {"budget": 3}, "à revoir", engine)
    assert not assignments(edition, "Assesseur D (fictif)", engine)[0].completed
    assert own_scores(edition, bagad, "Assesseur D (fictif)", engine) == ({"budget": 3},
                                                                          "à revoir")
    criteria = [c.id for c in edition.criteria_for("identité bretonne")]
    for assessor, value in (("Assesseur A (fictif)", 4), ("Assesseur D (fictif)", 1)):
        record_scores(edition, bagad, assessor, dict.fromkeys(criteria, value), "", engine)
    assert assignments(edition, "Assesseur D (fictif)", engine)[0].completed
    found = {r.reference: r for r in results(edition, engine).requests}
    assert found["SUB-1"].score == 2.5 and found["SUB-1"].spread == 3.0
    assert found["SUB-1"].flagged  # 3 points apart ≥ 1.5
    assert found["SUB-1"].proposed == 2500.0  # 4000 × 2.5 / 4, within the envelope
    adjust(found["SUB-1"].request_id, 2000, engine)
    with pytest.raises(WorkbenchError):
        adjust(found["SUB-1"].request_id, 4001, engine)
    totals = results(edition, engine).totals["identité bretonne"]
    assert totals == (30000, 2500.0, 2000.0, 0)


amounts = st.floats(min_value=1, max_value=50_000, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(requests=st.lists(st.tuples(amounts, st.one_of(st.none(), st.floats(0, 4))),
                         min_size=1, max_size=30),
       envelope=st.floats(min_value=0, max_value=200_000),
       rule=st.sampled_from(["part-de-la-demande", "part-de-l-enveloppe"]),
       threshold=st.floats(0, 4))
def test_allocation_never_exceeds_the_envelope_nor_a_request(requests, envelope, rule,
                                                             threshold) -> None:
    candidates = [Candidate(i, round(r, 2), s) for i, (r, s) in enumerate(requests)]
    proposal = propose(candidates, envelope, rule, threshold, 4, 10)
    assert sum(proposal.values()) <= envelope + 1e-6
    for c in candidates:
        assert 0 <= proposal[c.request_id] <= c.requested
        assert proposal[c.request_id] % 10 == 0 or proposal[c.request_id] == int(c.requested)
        if c.score is None or c.score < threshold:
            assert proposal[c.request_id] == 0


def test_allocation_rules_on_a_worked_example() -> None:
    candidates = [Candidate(1, 4000, 4.0), Candidate(2, 2000, 2.0), Candidate(3, 9000, 1.0)]
    # share of the request: 4000 and 1000 offered; an envelope of 3000 covers 60 %
    assert propose(candidates, 3000, "part-de-la-demande", 2, 4) == {1: 2400.0, 2: 600.0,
                                                                     3: 0.0}
    assert propose(candidates, 10_000, "part-de-la-demande", 2, 4) == {1: 4000.0, 2: 1000.0,
                                                                       3: 0.0}
    # share of the envelope: 2/3 and 1/3 of 3000; with 9000, request 1 is capped at 4000
    # and request 2 at 2000
    assert propose(candidates, 3000, "part-de-l-enveloppe", 2, 4) == {1: 2000.0, 2: 1000.0,
                                                                      3: 0.0}
    assert propose(candidates, 9000, "part-de-l-enveloppe", 2, 4) == {1: 4000.0, 2: 2000.0,
                                                                      3: 0.0}


def test_scdl_export_checks_formats_and_round_trips(engine, tmp_path) -> None:
    import_requests(requests_file(tmp_path, *ROWS), engine)
    ids = {r.reference: r.request_id
           for r in results(load_edition(EDITION_FILE), engine).requests}
    record_decision(ids["SUB-1"], 3500, "DEL-2026-042", date(2026, 6, 26), engine)
    path = tmp_path / "subventions.csv"
    assert export_scdl(2026, path, engine) == 1
    header, rows = read_scdl(path)
    assert header == list(COLUMNS) and check_rows(rows) == []
    assert rows[0]["montant"] == "3500" and rows[0]["rnaBeneficiaire"] == "W221000001"
    assert rows[0]["datesPeriodeVersement"] == "2026-01-01/2026-12-31"
    record_decision(ids["SUB-2"], 1000, "DEL-2026-042", date(2026, 6, 26), engine)
    with pytest.raises(WorkbenchError, match="idBeneficiaire"):  # Tennis club: no SIRET
        export_scdl(2026, tmp_path / "refused.csv", engine)
    assert not (tmp_path / "refused.csv").exists()


def test_the_real_scdl_example_file_against_our_columns_and_checks() -> None:
    """Roques/Sicoval 2017 (an older SCDL version): its 14 columns are ours, without
    rnaBeneficiaire and dispositifAide (and with idBeneficiaire before nomBeneficiaire: files
    are read by column name); its capitalised nature and "_" periods are what older versions
    allowed and today's checks flag. Normalised, what remains are the file's own defects:
    29 rows without a payment date or period, 4 without payment conditions, 6 "Echelonné"
    without its accent, one row without beneficiary."""
    header, rows = read_scdl(FIXTURES / "scdl_subventions_exemple_sicoval_roques.csv")
    assert len(rows) == 69
    assert set(header) < set(COLUMNS)
    assert set(COLUMNS) - set(header) == {"rnaBeneficiaire", "dispositifAide"}
    problems = check_rows(rows)
    assert any("Aide en numéraire" in p for p in problems)
    assert any("_" in p and "datesPeriodeVersement" in p for p in problems)
    remaining = Counter(p.split(", column ")[1].split(":")[0] if ", column " in p
                        else p.split(", colonne ")[1].split(" :")[0]
                        for p in check_rows([normalise_legacy(r) for r in rows]))
    assert remaining == {"datesPeriodeVersement": 29, "conditionsVersement": 10,
                         "nomBeneficiaire": 1, "idBeneficiaire": 1}


@pytest.mark.parametrize("slug", ["nope", "../../etc/passwd", "/etc/hosts.yaml",
                                  "../comites/comite-2026"])
def test_an_edition_id_is_a_plain_name_never_a_path(slug) -> None:
    with pytest.raises(WorkbenchError) as error:
        load_edition(slug)
    assert str(error.value) == f"La commission « {slug} » n'existe pas."
    assert str(ROOT) not in str(error.value)


def test_the_disagreement_sentence_agrees_with_the_number_of_files() -> None:
    from types import SimpleNamespace

    from workbench.reports.associations import agreement

    edition = load_edition(EDITION_FILE)

    def sentence(n: int) -> str:
        flagged = [SimpleNamespace(flagged=True, reference=f"SUB-{i}", association=f"Club {i}")
                   for i in range(n)]
        blocks = agreement(SimpleNamespace(edition=edition, requests=flagged, alpha={}))
        return next(b.markdown for b in blocks if hasattr(b, "markdown"))

    assert sentence(1) == ("**1 dossier** présente un fort désaccord entre assesseurs (écart "
                           "d'au moins 1,5 point) : SUB-0 (Club 0). Il est à examiner en séance.")
    assert sentence(2).startswith("**2 dossiers** présentent un fort désaccord")
    assert sentence(2).endswith("Ils sont à examiner en séance.")
