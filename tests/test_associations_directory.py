"""WALDEC themes, the RNA import (filter, upsert, bad rows, streaming), directory, observatory."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from workbench.associations.directory import fold, search
from workbench.associations.nomenclature import theme_of, themes
from workbench.associations.observatory import observatory
from workbench.associations.rna import import_rna
from workbench.errors import WorkbenchError
from workbench.storage import write_transaction
from workbench.storage.migrate import upgrade
from workbench.storage.schema import association

from .conftest import database_at, sqlite_url
from .rna_files import HEADER, rna_row, write_rna

GUINGAMP, PAIMPOL, RENNES, BEGARD, KERMOROCH = "22070", "22162", "35238", "22004", "22091"
NOW = datetime(2026, 12, 1, 10, 0)


def test_waldec_themes_group_codes_by_their_first_three_digits() -> None:
    assert len(themes()) == 30 and themes()[-1].label == "Objet non classé"
    assert theme_of("011005").label == "Sports, activités de plein air"
    assert theme_of("022510").code == "022000"  # linked to 023000 in the file
    assert theme_of("036510").label == "Sécurité, protection civile"  # parent 037000, no label
    assert theme_of("032520").label == "Logement"
    assert theme_of("999999").label == theme_of(None).label == "Objet non classé"


def test_the_rna_import_keeps_the_territory_upserts_and_reports_bad_rows(engine,
                                                                       tmp_path) -> None:
    rows = [rna_row("W221000001", "Football Club de Guingamp", GUINGAMP),
            rna_row("W221000002", "Bagad de Paimpol", PAIMPOL, waldec="006045"),
            rna_row("W351000003", "Cercle de Rennes", RENNES),
            rna_row("W221000004", "Ancienne amicale", GUINGAMP, position="D",
                    dissolved="2019-03-01"),
            rna_row("W221000005", "Date fausse", GUINGAMP, created="2001-13-45"),
            rna_row("X12", "Identifiant faux", GUINGAMP),
            "W221000007;trop;peu;de;colonnes"]
    report = import_rna(write_rna(tmp_path / "rna.csv", rows), engine)
    assert (report.read, report.new, report.outside, report.dissolved, report.bad_rows) == \
        (7, 3, 1, 1, 3)
    assert "line 6, column date_creat" in report.errors[0] or \
        "ligne 6, colonne date_creat" in report.errors[0]
    newer = [rna_row("W221000001", "Football Club de Guingamp", GUINGAMP),
             rna_row("W221000002", "Bagad Sonerien Paimpol", PAIMPOL, waldec="006045",
                     updated="2025-06-01 09:00:00"),
             rna_row("W221000008", "Kanerien Bro Pempoull", PAIMPOL, waldec="006045")]
    again = import_rna(write_rna(tmp_path / "rna-2025.csv", newer, "cp1252"), engine)
    assert (again.new, again.updated, again.unchanged) == (1, 1, 1)
    found, total = search("bagad", engine=engine)
    assert total == 1 and found[0].title == "Bagad Sonerien Paimpol"
    assert found[0].address is None and found[0].commune == "Paimpol"  # public variant
    staff, _n = search("", commune=PAIMPOL, staff=True, engine=engine)
    assert {e.title for e in staff} == {"Bagad Sonerien Paimpol", "Kanerien Bro Pempoull"}
    assert staff[0].address == "3 RUE de la Gare"
    sports, _n = search("", theme="011000", engine=engine)
    assert [e.title for e in sports] == ["Football Club de Guingamp"]
    _everyone, total = search("", include_dissolved=True, engine=engine)
    assert total == 4


def test_an_rna_file_without_its_columns_is_refused(tmp_path) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("nom;ville\nA;B\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="adrs_codeinsee"):
        import_rna(path)


@pytest.mark.slow
def test_a_200_mb_extract_streams_under_300_mb(tmp_path: Path) -> None:
    """Most of a national extract lies outside the territory; memory must not grow with it."""
    path = tmp_path / "rna_waldec_national.csv"
    outside = rna_row("W751000000", "Association parisienne d'exemple " + "x" * 120, "75056")
    inside = [rna_row(f"W22{n:07d}", f"Association {n} de Guingamp", GUINGAMP)
              for n in range(2000)]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        block = "\n".join([outside] * 1000) + "\n"
        while handle.tell() < 200 * 1024 * 1024:
            handle.write(block)
        handle.write("\n".join(inside) + "\n")
    url = sqlite_url(tmp_path)
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from workbench.storage import get_engine\n"
        "from workbench.storage.migrate import upgrade\n"
        "from workbench.associations.rna import import_rna\n"
        f"engine = get_engine({url!r}); upgrade(engine)\n"
        f"report = import_rna(Path({str(path)!r}), engine)\n"
        # VmHWM, not getrusage: ru_maxrss survives exec and would count the forked pytest
        "rss = int(next(line.split()[1] for line in open('/proc/self/status')\n"
        "               if line.startswith('VmHWM:'))) / 1024\n"
        "print(json.dumps({'new': report.new, 'outside': report.outside, 'rss_mb': rss}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    figures = json.loads(result.stdout)
    assert figures["new"] == 2000 and figures["outside"] > 400_000
    assert figures["rss_mb"] < 300, figures
    print(f"200 MB RNA extract: peak RSS {figures['rss_mb']:.0f} MB")


def test_the_observatory_counts_per_commune_theme_year_and_age(engine, tmp_path) -> None:
    rows = [rna_row("W221000001", "Football Club", GUINGAMP, created="2020-02-01"),
            rna_row("W221000002", "Bagad", PAIMPOL, waldec="006045", created="1975-09-01"),
            rna_row("W221000003", "Tennis", GUINGAMP, waldec="011165", created="2024-05-01"),
            rna_row("W221000004", "Amicale", GUINGAMP, position="D", created="1990-01-01",
                    dissolved="2024-03-01")]
    import_rna(write_rna(tmp_path / "rna.csv", rows), engine)
    found = observatory(2024, engine)
    assert found.active == 3
    by_commune = {name: (count, rate) for name, _pop, count, rate in found.by_commune}
    assert by_commune["Guingamp"][0] == 2 and by_commune["Paimpol"][0] == 1
    assert dict((t, n) for t, n, _s in found.by_theme)["Sports, activités de plein air"] == 2
    assert dict((y, (c, d)) for y, c, d in found.by_year)[2024] == (1, 1)
    assert dict(found.by_age) == {"moins de 5 ans": 2, "5 à 9 ans": 0, "10 à 19 ans": 0,
                                  "20 à 49 ans": 1, "50 ans et plus": 0}


def test_fold_drops_accents_case_ligatures_and_punctuation_differences() -> None:
    assert fold("École") == fold("ecole") == fold("ECOLE") == "ecole"
    assert fold("L’École") == fold("l'ecole") == fold("lʼÉcole") == "l ecole"
    assert fold("Saint-Brieuc") == fold("saint  brieuc") == fold("SAINT–BRIEUC") == \
        "saint brieuc"
    assert fold("Œuvres, Æsculape") == "oeuvres aesculape"
    assert fold("Straße « Kermoroc'h »") == "strasse kermoroc h"
    assert fold("100 % bio_x") == "100 % bio_x"  # LIKE's wildcards are kept: they are escaped
    assert fold(None) == fold("") == fold(" - ") == ""


def _add(conn, title: str, commune: str = GUINGAMP, **values) -> None:
    """A row written as the staff page and the demo do (the key comes from the schema)."""
    conn.execute(sa.insert(association).values(title=title, commune=commune, position="A",
                                               source="saisie", imported_at=NOW, **values))


def titles(text: str, engine) -> set[str]:
    return {e.title for e in search(text, engine=engine)[0]}


def test_search_ignores_accents_case_ligatures_apostrophes_and_hyphens(engine,
                                                                      tmp_path) -> None:
    with write_transaction(engine) as conn:
        _add(conn, "École de musique")
        _add(conn, "Amis de l’École publique", PAIMPOL)
        _add(conn, "Tennis club", BEGARD)
        _add(conn, "Cercle celtique de Saint-Brieuc", object="Danses bretonnes")
        _add(conn, "Œuvres laïques", short_title="OL")
        _add(conn, "Bio 100% local")
        _add(conn, "Bio 1000 pousses")
        _add(conn, "Club a_b")
        _add(conn, "Club axb")
        _add(conn, "Comité des fêtes", KERMOROCH)
    import_rna(write_rna(tmp_path / "rna.csv", [
        rna_row("W221000001", "Bagad de Bégard", BEGARD, waldec="006045")]), engine)
    both_schools = {"École de musique", "Amis de l’École publique"}
    assert titles("École", engine) == titles("ecole", engine) == titles("ECOLE", engine) == \
        both_schools
    assert titles("Begard", engine) == titles("bégard", engine) == titles("BÉGARD", engine) \
        == {"Tennis club", "Bagad de Bégard"}  # the commune's name, folded, is searched too
    assert titles("tennis begard", engine) == {"Tennis club"}  # every word must occur
    assert titles("saint brieuc", engine) == titles("Saint-Brieuc", engine) == \
        titles("saint-BRIEUC", engine) == {"Cercle celtique de Saint-Brieuc"}
    assert titles("bretonnes", engine) == {"Cercle celtique de Saint-Brieuc"}  # the object
    assert titles("l’école", engine) == titles("l'ecole", engine) == \
        titles("L'ÉCOLE", engine) == both_schools  # "l" and "ecole"
    assert titles("lecole", engine) == {"Amis de l’École publique"}  # also stored joined
    assert titles("kermoroch", engine) == titles("Kermoroc’h", engine) == \
        titles("KERMOROC'H", engine) == {"Comité des fêtes"}
    assert titles("oeuvres laiques", engine) == titles("Œuvres", engine) == {"Œuvres laïques"}
    assert titles("100%", engine) == {"Bio 100% local"}  # % matches itself, not anything
    assert titles("%", engine) == {"Bio 100% local"}
    assert titles("a_b", engine) == {"Club a_b"}
    assert titles("zzz", engine) == set()
    assert len(titles("", engine)) == 11
    found, _total = search("", engine=engine)
    assert found[0].title == "Amis de l’École publique"  # sorted on the folded name
    assert [e.title for e in found].index("École de musique") < \
        [e.title for e in found].index("Œuvres laïques")


def test_an_rna_update_computes_the_search_key_again(engine, tmp_path) -> None:
    import_rna(write_rna(tmp_path / "a.csv", [rna_row("W221000002", "Bagad", PAIMPOL)]),
               engine)
    assert titles("sonerien", engine) == set()
    again = import_rna(write_rna(tmp_path / "b.csv", [
        rna_row("W221000002", "Bagad Sonérien", BEGARD, updated="2025-06-01 09:00:00")]),
        engine)
    assert again.updated == 1
    assert titles("sonerien begard", engine) == {"Bagad Sonérien"}
    assert titles("paimpol", engine) == set()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_at_0013(request, tmp_path):
    """An empty database migrated up to 0013 only (before the search key)."""
    with database_at(request.param, tmp_path, "0013") as engine:
        yield engine


def test_migration_0014_gives_existing_rows_their_search_key(engine_at_0013) -> None:
    old = sa.table("association", *(sa.column(c) for c in (
        "title", "short_title", "object", "commune", "position", "source", "imported_at")))
    with engine_at_0013.begin() as conn:
        conn.execute(sa.insert(old), [
            {"title": "École de musique", "short_title": None, "object": None,
             "commune": BEGARD, "position": "A", "source": "rna", "imported_at": NOW},
            {"title": "Cercle de Saint-Brieuc", "short_title": "CSB", "object": "Danse",
             "commune": GUINGAMP, "position": "A", "source": "rna", "imported_at": NOW}])
    status = upgrade(engine_at_0013)
    assert status.up_to_date
    assert titles("ecole begard", engine_at_0013) == {"École de musique"}
    assert titles("saint brieuc", engine_at_0013) == titles("csb", engine_at_0013) == \
        {"Cercle de Saint-Brieuc"}
