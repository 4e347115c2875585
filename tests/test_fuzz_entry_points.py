"""Every staff command that reads a file, given hostile files (issue 17): success, or exit 1
with a French message and the database unchanged; never a traceback; bounded memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from sqlalchemy import create_engine, insert, text

from workbench.storage import get_engine
from workbench.storage.migrate import upgrade
from workbench.storage.schema import pb_edition, pb_project

from .conftest import DEMO_SPEC, POSTGRES_URL, postgres_or_fail, sqlite_url
from .fuzz import ENTRY_POINTS, EntryPoint, check_entry_point, files_for
from .rna_files import HEADER

# Reproducible (derandomized, no example database) and bounded: no shrinking, whose time
# has no bound on a slow command; the failing file is printed as it was generated.
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate])


@pytest.fixture(scope="module")
def workbench_db(tmp_path_factory):
    """One SQLite database for the module: migrated, the demo questionnaire and a small
    cumulative budget edition in it (so that invitations and paper ballots get past their
    first checks)."""
    folder = tmp_path_factory.mktemp("fuzz")
    yield from _prepared(sqlite_url(folder), folder)


@pytest.fixture(scope="module")
def workbench_postgresql(tmp_path_factory):
    """The same in a PostgreSQL schema of its own, dropped afterwards."""
    postgres_or_fail()
    schema = f"fuzz_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"create schema {schema}"))
    try:
        yield from _prepared(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}",
                             tmp_path_factory.mktemp("fuzz-pg"))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"drop schema {schema} cascade"))
        admin.dispose()


def _prepared(url: str, folder: Path):
    from workbench.forms.publish import publish_spec_file

    engine = get_engine(url)
    upgrade(engine)
    publish_spec_file(DEMO_SPEC, engine)
    paper_edition(engine)
    # the environment of each run only (CliRunner), never the test process's
    yield engine, folder, {"WORKBENCH_DATABASE_URL": url,
                           "WORKBENCH_CENSUS_FILE": str(folder / "census.csv")}
    engine.dispose()


def paper_edition(engine) -> None:
    """Edition ``papier``: three projects, five points to share, at most three on one."""
    with engine.begin() as conn:
        edition = conn.execute(insert(pb_edition).values(
            slug="papier", title="Papier", budget=1000, ballot_kind="cumulative", points=5,
            max_points_per_project=3, created_at=datetime(2026, 1, 1))).inserted_primary_key[0]
        conn.execute(insert(pb_project), [
            {"edition_id": edition, "code": str(n), "title": f"Projet {n}", "cost": 100 * n,
             "status": "recevable"} for n in (1, 2, 3)])


def _fuzz(entry: EntryPoint, database: tuple) -> None:
    engine, folder, env = database

    @FUZZ
    @given(data=files_for(entry))
    def run(data: bytes) -> None:
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            check_entry_point(entry, data, Path(scratch), engine, env)

    run()


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=[e.name for e in ENTRY_POINTS])
def test_hostile_files_never_give_a_traceback(entry: EntryPoint, workbench_db) -> None:
    _fuzz(entry, workbench_db)


STORING = [e for e in ENTRY_POINTS if e.stores]


@pytest.mark.postgres
@pytest.mark.parametrize("entry", STORING, ids=[e.name for e in STORING])
def test_hostile_files_store_nothing_wrong_on_postgresql(entry: EntryPoint,
                                                          workbench_postgresql) -> None:
    """PostgreSQL refuses what SQLite stores (NUL bytes, long texts, big numbers): the
    commands that write are fuzzed there too."""
    _fuzz(entry, workbench_postgresql)


@pytest.mark.slow
def test_a_huge_bad_rna_file_streams_in_bounded_memory(tmp_path) -> None:
    """A 1 GB extract: the header, then NUL bytes without a line break (sparse on disk)."""
    path = tmp_path / "rna_nul.csv"
    with path.open("wb") as handle:
        handle.write(HEADER.encode() + b"\n")
        handle.truncate(1024 ** 3)
    url = sqlite_url(tmp_path)
    upgrade(get_engine(url))
    code = (
        "import json, sys\n"
        "from workbench.cli import main\n"
        "try:\n"
        f"    main(['associations', 'import-rna', {str(path)!r}])\n"
        "except SystemExit as end:\n"
        "    status = end.code\n"
        # VmHWM, not getrusage: ru_maxrss survives exec and would count the forked pytest
        "rss = int(next(line.split()[1] for line in open('/proc/self/status')\n"
        "               if line.startswith('VmHWM:'))) / 1024\n"
        "print(json.dumps({'status': status, 'rss_mb': rss}), file=sys.stderr)\n"
    )
    env = {**os.environ, "WORKBENCH_DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=60, check=False)
    last = (result.stderr.strip().splitlines() or [""])[-1]
    assert last.startswith("{"), result.stderr[-3000:]  # else it died (MemoryError…)
    figures = json.loads(last)
    assert figures["status"] == 1, result.stderr
    assert "ligne 2" in result.stderr and "rna_nul.csv" in result.stderr
    assert "Traceback" not in result.stderr
    assert figures["rss_mb"] < 300, figures
