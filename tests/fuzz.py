"""The fuzzing harness of the staff commands that read files (issue 17).

One rule for every entry point: given any file, a command either succeeds or exits 1 with a
French message (``Erreur : …``), never a traceback, and a failure leaves every table's row count
and content exactly as they were. ``ENTRY_POINTS`` lists the commands; ``check_entry_point``
runs one on one file's bytes; the strategies build hostile files: arbitrary bytes, tables with
the right header and adversarial cells (NUL, NaN, inf, huge numbers, formulas, 200 kB fields,
mixed encodings), YAML with wrong types, aliases and other encodings.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import Engine

from workbench.cli import main
from workbench.settings import project_home
from workbench.storage.schema import metadata

__all__ = ["ENTRY_POINTS", "EntryPoint", "check_entry_point", "files_for", "place_file",
           "snapshot"]

SECONDS = 10  # at most, for one command on one (small) hostile file
RNA_HEADER = ("id", "titre", "adrs_codeinsee", "position", "date_creat", "date_disso",
              "objet", "siret")
CENSUS_HEADER = ("CODGEO", "P19_POP", "P19_POP0014", "P19_POP1529", "P19_POP3044",
                 "P19_POP4559", "P19_POP6074", "P19_POP75P", "P19_POPH", "P19_POPF",
                 *(f"C19_POP15P_CS{i}" for i in range(1, 9)))
REQUEST_HEADER = ("reference", "association", "annee", "service", "type", "intitule",
                  "montant_demande", "budget_total", "rna", "siret", "commune", "debut", "fin",
                  "pieces", "renouvellement")
REQUEST = ("S-1", "Les Amis du Trieux", "2026", "culture", "projet", "Festival", "1500", "3000",
           "W221000001", "", "22070", "2026-03-01", "2026-06-30", "statuts", "non")
MEMBER_HEADER = ("nom", "email", "telephone", "commune", "sexe", "tranche_age", "college",
                 "elu_communautaire", "entree", "sortie", "consentement",
                 "conservation_jusqu_au")


def _slug(path: Path) -> str:
    """An identifier of its own for each file (a study created once per name)."""
    return "fuzz-" + hashlib.sha256(str(path).encode()).hexdigest()[:10]


@dataclass(frozen=True)
class EntryPoint:
    """A command reading one file: its arguments around the file, the file's kind and, for
    tables, the header that gets hostile cells past the column check."""

    name: str
    args: Callable[[Path], list[str]]
    suffix: str = ".csv"
    header: tuple[str, ...] = ()
    kind: str = "table"  # table | yaml | pabulib | json
    valid: tuple[str, ...] = ()  # a row that passes, cell for cell with the header
    example: str = ""  # YAML: a valid file (in the checkout) to mutate
    place: str = ""  # a file found by name: its place in a project home of its own
    stores: bool = False  # writes to the database: fuzzed on PostgreSQL too


ENTRY_POINTS: tuple[EntryPoint, ...] = (
    EntryPoint("import-rna", lambda f: ["associations", "import-rna", str(f)],
               header=RNA_HEADER, valid=("W221000001", "Les Amis du Trieux", "22070", "A",
                                         "2001-05-12", "0001-01-01", "Culture", ""), stores=True),
    EntryPoint("import-requests", lambda f: ["associations", "import-requests", str(f)],
               header=REQUEST_HEADER, valid=REQUEST, stores=True),
    EntryPoint("import-requests-xlsx", lambda f: ["associations", "import-requests", str(f)],
               suffix=".xlsx", header=REQUEST_HEADER, valid=REQUEST, stores=True),
    EntryPoint("council-members", lambda f: ["council", "members", "import", str(f)],
               header=MEMBER_HEADER, valid=("Ana Le Goff", "ana@example.org", "0600000000",
                                            "22070", "F", "30-44 ans", "habitants", "non",
                                            "2026-01-01", "", "oui", "2030-01-01"), stores=True),
    EntryPoint("import-census", lambda f: ["evaluation", "import-census", str(f)],
               header=CENSUS_HEADER, valid=("22070", *["1000"] * 9, *["12,5"] * 8)),
    EntryPoint("budget-paper", lambda f: ["pb", "paper", "--edition", "papier", str(f)],
               header=("projets", "points", "date"), valid=("1", "2", "2026-01-01"), stores=True),
    EntryPoint("budget-import", lambda f: ["pb", "import", "--edition", "fuzz", str(f)],
               suffix=".pb", kind="pabulib", stores=True),
    EntryPoint("budget-results", lambda f: ["pb", "results", str(f)], suffix=".pb",
               kind="pabulib"),
    EntryPoint("micmac", lambda f: ["foresight", "micmac", str(f)],
               header=("", "A", "B", "C"), valid=("B", "1", "0", "P")),
    EntryPoint("scoring-study", lambda f: ["foresight", "scoring-study", _slug(f), "--title",
                                           "Étude", "--from-matrix", str(f)],
               header=("", "A", "B", "C"), valid=("B", "1", "0", "P"), stores=True),
    EntryPoint("draw-verify", lambda f: ["council", "draw-verify", str(f)], suffix=".json",
               kind="json"),
    EntryPoint("invitations", lambda f: ["invitations", "create", "evaluation-transport",
                                         "--csv", str(f)],
               header=("nom", "email"), valid=("Ana", "ana@example.org"), stores=True),
    EntryPoint("council-draw", lambda f: ["council", "draw", "--pool", str(f), "--quotas",
                                          str(f), "--seats", "2", "--seed", "1"],
               header=("id", "sexe", "feature", "value", "min", "max"),
               valid=("1", "F", "sexe", "F", "0", "2")),
    EntryPoint("forms-check", lambda f: ["forms", "check", str(f)], suffix=".yaml",
               kind="yaml",
               example="widgets/evaluation-transport.yaml"),
    EntryPoint("mactor", lambda f: ["foresight", "mactor", str(f)], suffix=".yaml",
               kind="yaml",
               example="data/examples/mactor-mobilite.yaml"),
    EntryPoint("morpho", lambda f: ["foresight", "morpho", str(f)], suffix=".yaml",
               kind="yaml",
               example="data/examples/morpho-mobilite.yaml"),
    EntryPoint("evaluation-check", lambda f: ["evaluation", "check", "fichier"],
               suffix=".yaml", kind="yaml", example="data/evaluations/evaluation-transport.yaml",
               place="data/evaluations/fichier.yaml"),
    EntryPoint("forms-publish", lambda f: ["forms", "publish", "fichier"], suffix=".yaml",
               kind="yaml", example="widgets/evaluation-transport.yaml",
               place="widgets/fichier.yaml", stores=True),
    EntryPoint("delphi", lambda f: ["foresight", "delphi", "fichier", "--round", "1"],
               suffix=".yaml", kind="yaml", example="data/delphi/mobilite-2040.yaml",
               place="data/delphi/fichier.yaml"),
    EntryPoint("committee-check", lambda f: ["associations", "committee-check", str(f)],
               suffix=".yaml", kind="yaml",
               example="data/associations/comites/comite-2026.yaml"),
    EntryPoint("avis-import", lambda f: ["council", "avis-import", str(f)], suffix=".yaml",
               kind="yaml",
               example="data/examples/avis-mobilite.yaml", stores=True),
    EntryPoint("council-draft", lambda f: ["council", "draft", str(f), "--output",
                                           str(f.parent / "sortie")],
               suffix=".yaml", kind="yaml", example="data/examples/compte-rendu-pleniere.yaml"),
)

# -- strategies ----------------------------------------------------------------------------------

HOSTILE_CELLS = ("\x00", "a\x00b", "NaN", "nan", "inf", "-inf", "Infinity", "1e29", "1e400",
                 "-1", "-0", "99999999999999999999", "0x1F", "1_000", "²", "١٢", "٣",
                 "=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "=cmd|'/C calc'!A0",
                 "2026-02-30", "0001-01-01", "31/12/9999", "\ufeff", "\u202e", "é" * 3,
                 "\"", "'", ";", ",", "\r", "\n", " ", "", "x" * 200_000, "W" + "9" * 9)


cells = st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=12))


@st.composite
def rows(draw: st.DrawFn, entry: EntryPoint) -> list[str]:
    """A valid row with up to two cells made hostile, or a row of hostile cells."""
    if entry.valid and draw(st.integers(0, 3)):
        row = list(entry.valid)
        for _ in range(draw(st.integers(0, 2))):
            row[draw(st.integers(0, len(row) - 1))] = draw(cells)
        return row
    return draw(st.lists(cells, max_size=len(entry.header) + 2))


def _csv_bytes(rows: list[list[str]], delimiter: str, encodings: list[str]) -> bytes:
    """Rows written by hand (no quoting: cells may break the syntax), each line in its own
    encoding (a file edited by two programs)."""
    out = bytearray()
    for number, row in enumerate(rows):
        encoding = encodings[number % len(encodings)]
        out += (delimiter.join(row) + "\n").encode(encoding, errors="replace")
    return bytes(out)


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell)[:32_767] for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def tables(draw: st.DrawFn, entry: EntryPoint) -> bytes:
    """The entry point's header (sometimes shuffled or cut), then rows of hostile cells."""
    header = list(entry.header)
    if not draw(st.integers(0, 3)):
        header = draw(st.permutations(header))[:draw(st.integers(1, len(header)))]
    lines = [header, *draw(st.lists(rows(entry), max_size=4))]
    if entry.suffix == ".xlsx":
        return _xlsx_bytes(lines)
    encodings = draw(st.lists(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "cp1252",
                                               "latin-1", "utf-16")), min_size=1, max_size=3))
    return _csv_bytes(lines, draw(st.sampled_from((";", ","))), encodings)


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return ("\n".join(lines) + f"\ntitle: *a{levels}\nactors: *a{levels}\n").encode()


HOSTILE_YAML = (
    billion_laughs(), b"a: &x [*x]\n", b"[" * 3000 + b"]" * 3000, b"a: 2026-02-30\n",
    b"a: !!python/object/apply:os.system ['true']\n", b"a: !!binary '\xc3\xa9'\n",
    "title: Élus\n".encode("latin-1"), "title: é\n".encode("utf-16"), b"\x00\x01\x02",
    b"- 1\n- 2\n", b"just text\n", b"? [a]\n: b\n", b"title: .nan\nquestions: .inf\n",
    b"actors: [a, b]\nobjectives: [c]\nmid: [[0, .nan], [1e400, 0]]\nmao: [[1], [-1e308]]\n",
    b"components: {a: [x, y], b: [z]}\nexclusions: [[a, x, b, q]]\n",
    b"slug: x\ntitle: t\nkind: saisine\nadopted_on: 2026-01-01\nrecommendations: 3\n",
    b"type: avis\ntitre: x\ninstance: y\ndate: 2026-01-01\nsections: {a: 1}\n",
)

yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
              st.sampled_from(HOSTILE_CELLS[:20]), st.dates(),
              st.datetimes(timezones=st.sampled_from([None, UTC]))),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12)
KEYS = ("title", "questions", "slug", "actors", "objectives", "mid", "mao", "components",
        "exclusions", "preferred", "criteria", "envelopes", "assessors", "services", "kind",
        "adopted_on", "recommendations", "type", "titre", "instance", "date", "sections")


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    """A mapping with the keys the YAML commands read, holding values of any type."""
    data = draw(st.dictionaries(st.sampled_from(KEYS), yaml_values, max_size=6))
    return yaml.safe_dump(data, allow_unicode=True).encode(
        draw(st.sampled_from(("utf-8", "utf-8", "latin-1"))), errors="replace")


@st.composite
def pabulib_files(draw: st.DrawFn) -> bytes:
    """META, PROJECTS and VOTES sections with hostile values."""
    cell = st.one_of(cells, st.sampled_from(("1", "2", "1,2", "approval", "cumulative",
                                             "100000", "cost", "greedy")))
    meta = [["key", "value"], ["budget", draw(cell)], ["vote_type", draw(cell)],
            ["num_projects", draw(cell)], ["num_votes", draw(cell)]]
    projects = [["project_id", "cost"]] + [[draw(cell), draw(cell)] for _ in range(2)]
    votes = [["voter_id", "vote"]] + [[draw(cell), draw(cell)] for _ in range(2)]
    lines = ["META", *(";".join(r) for r in meta), "PROJECTS", *(";".join(r) for r in projects),
             "VOTES", *(";".join(r) for r in votes)]
    return ("\n".join(lines) + "\n").encode("utf-8", errors="replace")


@st.composite
def mutated_yaml(draw: st.DrawFn, example: str) -> bytes:
    """A valid file (its slug left to the file name) with one or two values replaced."""
    data = yaml.safe_load((project_home() / example).read_text(encoding="utf-8"))
    data.pop("slug", None)
    for _ in range(draw(st.integers(1, 2))):
        key = draw(st.sampled_from(sorted(data) + list(KEYS)))
        value = data.get(key)
        if isinstance(value, list) and value and draw(st.booleans()):
            value[draw(st.integers(0, len(value) - 1))] = draw(yaml_values)
        elif isinstance(value, dict) and value and draw(st.booleans()):
            value[draw(st.sampled_from(sorted(value, key=str)))] = draw(yaml_values)
        else:
            data[key] = draw(yaml_values)
    return yaml.safe_dump(data, allow_unicode=True).encode()


AUDIT_KEYS = ("format", "seed", "seats", "inputs_sha256", "pool", "quotas", "panel",
              "probabilities", "lottery", "versions", "algorithm", "seated")
json_documents = st.builds(
    lambda data: json.dumps(data, ensure_ascii=False, default=str).encode(),
    st.dictionaries(st.sampled_from(AUDIT_KEYS), yaml_values, max_size=8).map(
        lambda d: {**d, "format": d.get("format", "workbench-council-draw/1")}))


def files_for(entry: EntryPoint) -> st.SearchStrategy[bytes]:
    """Hostile files for ``entry``: arbitrary bytes, or structured but wrong."""
    structured = {"table": lambda: tables(entry), "yaml": lambda: st.one_of(
        yaml_documents(), st.sampled_from(HOSTILE_YAML), mutated_yaml(entry.example)),
        "pabulib": pabulib_files, "json": lambda: json_documents}
    return st.one_of(st.binary(max_size=512), structured[entry.kind]())


# -- the check -----------------------------------------------------------------------------------

def snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows (in a stable order)."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            out[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def place_file(entry: EntryPoint, data: bytes, folder: Path) -> tuple[Path, dict[str, str]]:
    """Write ``data`` where ``entry`` reads it; the environment to run it with (a project home
    of its own in ``folder`` for a file found by name)."""
    path = folder / (entry.place or f"fichier{entry.suffix}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if not entry.place:
        return path, {}
    (folder / "data" / "territory").mkdir(parents=True, exist_ok=True)
    shutil.copy(project_home() / "data" / "territory" / "communes.csv",
                folder / "data" / "territory")
    return path, {"WORKBENCH_HOME": str(folder)}


def check_entry_point(entry: EntryPoint, data: bytes, folder: Path, engine: Engine,
                      env: dict[str, str]) -> None:
    """Run ``entry`` on a file holding ``data`` with ``env`` (the database…): success, or
    exit 1 in French with the database unchanged; anything else (a traceback, another exit
    code) fails."""
    path, home = place_file(entry, data, folder)
    before = snapshot(engine)
    started = time.monotonic()
    result = CliRunner().invoke(main, entry.args(path), env=env | home, catch_exceptions=True)
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS, f"{entry.name}: {elapsed:.1f} s on {data[:200]!r}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{entry.name}: traceback on {data[:200]!r}") from result.exception
    assert result.exit_code in (0, 1), (entry.name, result.exit_code, result.output[-2000:])
    if result.exit_code == 1:
        assert "Erreur" in result.output, (entry.name, result.output[-2000:])
        assert snapshot(engine) == before, f"{entry.name} changed the database and failed"
