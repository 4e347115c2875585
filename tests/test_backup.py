"""``workbench backup`` / ``restore``: one checked file, all or nothing, SQLite and PostgreSQL."""

from __future__ import annotations

import gettext
import io
import json
import multiprocessing as mp
import sqlite3
import tarfile
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from workbench import i18n
from workbench.storage.backup import (
    BackupError,
    BackupIncompatible,
    BackupInvalid,
    BackupMismatch,
    backup,
    dated_backups,
    digests,
    inspect_backup,
    restore,
)
from workbench.storage.engine import get_engine, read_connection, write_transaction
from workbench.storage.migrate import head_revision
from workbench.storage.schema import metadata

from .conftest import sqlite_url

PO = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "workbench.po"


@pytest.fixture(autouse=True)
def french(monkeypatch) -> None:
    """The French catalogue read from the .po (the .mo is compiled by 'make i18n')."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    monkeypatch.setattr(i18n, "_translation", gettext.GNUTranslations(buffer))


def seed(engine: Engine, responses: int = 120) -> None:
    """The demo questionnaire, council and associations: most tables have rows."""
    from workbench.demo.associations import seed_associations
    from workbench.demo.council import seed_council
    from workbench.demo.seed import seed_demo

    seed_demo(responses, engine)
    seed_council(2026, engine)
    seed_associations(engine)


def state(engine: Engine) -> dict:
    with read_connection(engine) as conn:
        return digests(conn)


def change(engine: Engine) -> None:
    """Delete some responses (and their answers), add a form: the database moved on."""
    with write_transaction(engine) as conn:
        conn.execute(text("delete from response where id in "
                          "(select id from response order by id limit 7)"))
        conn.execute(text("delete from council_attendance"))
        conn.execute(text("insert into form (slug, created_at) "
                          "values ('ajout-apres-sauvegarde', '2026-12-01 12:00:00')"))


def rewrite(source: Path, target: Path, *, manifest=None, data=None, extra=None) -> Path:
    """A copy of a backup with its manifest or database bytes changed, or an entry added."""
    with tarfile.open(source) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    name = next(n for n in members if n != "manifest.json")
    if manifest is not None:
        members["manifest.json"] = json.dumps(
            manifest(json.loads(members["manifest.json"]))).encode()
    if data is not None:
        members[name] = data(members[name])
    with tarfile.open(target, "w") as tar:
        for member, content in [*members.items(), *(extra or {}).items()]:
            info = tarfile.TarInfo(member)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return target


# --- round trip -----------------------------------------------------------------------------


def test_round_trip_restores_every_table(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    before = state(engine)
    manifest = backup(tmp_path / "sauvegarde.tar", engine)
    with tarfile.open(manifest.path) as tar:
        names = tar.getnames()
        written = json.loads(tar.extractfile("manifest.json").read())
    member = "database.sqlite" if manifest.dialect == "sqlite" else "database.pgdump"
    assert names == ["manifest.json", member]
    assert written["format"] == "workbench-backup" and written["version"] == 1
    assert written["dialect"] == engine.dialect.name and written["revision"] == head_revision()
    assert set(written["tables"]) == {*metadata.tables, "alembic_version"}
    assert {n: (d.rows, d.sha256) for n, d in before.items()} == {
        n: (d["rows"], d["sha256"]) for n, d in written["tables"].items()}
    assert sum(1 for d in before.values() if d.rows) >= 15
    change(engine)
    assert state(engine) != before
    restored = restore(manifest.path, engine)
    assert state(engine) == before == restored.tables


def test_a_folder_gets_dated_names_and_keep_prunes_the_oldest(sqlite_engine, tmp_path) -> None:
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    (folder / "notes.txt").write_text("à garder")
    paths = [backup(folder, sqlite_engine, keep=2).path for _ in range(3)]
    assert dated_backups(folder) == paths[1:]
    assert all(p.name.startswith("workbench-") and p.suffix == ".tar" for p in paths)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["notes.txt", paths[1].name, paths[2].name])


def test_a_failed_backup_leaves_no_file(sqlite_engine, tmp_path: Path, monkeypatch) -> None:
    from workbench.storage import backup as module

    target = tmp_path / "b.tar"
    target.write_bytes(b"previous backup")

    def boom(*_args) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(module.os, "replace", boom)
    with pytest.raises(module.BackupError, match="disk full"):
        backup(target, sqlite_engine)
    assert target.read_bytes() == b"previous backup"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("workbench.sqlite")] \
        == ["b.tar"]


def test_a_failing_pg_dump_is_reported_in_french(postgresql_engine, tmp_path, monkeypatch):
    from workbench.storage import backup as module

    script = tmp_path / "pg_dump"
    script.write_text("#!/bin/sh\necho 'pg_dump: error: first' >&2\n"
                      "echo 'pg_dump: error: the last line' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setattr(module, "_tool", lambda _name: str(script))
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(module.ToolFailed) as failed:
        backup(folder, postgresql_engine)
    assert str(failed.value) == "pg_dump a échoué : pg_dump: error: the last line"
    monkeypatch.setattr(module, "_tool", lambda _name: str(tmp_path / "absent"))
    with pytest.raises(module.ToolFailed, match="installez les outils clients de PostgreSQL"):
        backup(folder, postgresql_engine)
    assert list(folder.iterdir()) == []


# --- refusals -------------------------------------------------------------------------------


def test_another_schema_revision_is_refused(engine: Engine, tmp_path: Path) -> None:
    seed(engine, responses=20)
    original = backup(tmp_path / "a.tar", engine).path
    change(engine)
    changed = state(engine)
    older = rewrite(original, tmp_path / "b.tar",
                    manifest=lambda m: {**m, "revision": "0012"})
    with pytest.raises(BackupIncompatible) as refused:
        restore(older, engine)
    message = str(refused.value)
    assert message.startswith(
        f"Cette sauvegarde est au schéma 0012, ce logiciel attend {head_revision()}")
    assert "workbench db upgrade" in message and "Rien n'a été restauré" in message
    assert state(engine) == changed


def test_another_dialect_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    original = backup(tmp_path / "a.tar", sqlite_engine).path
    other = rewrite(original, tmp_path / "b.tar", manifest=lambda m: {**m, "dialect": "postgresql"})
    with pytest.raises(BackupInvalid, match="n'est pas une sauvegarde du workbench"):
        restore(other, sqlite_engine)


def test_a_backup_of_postgresql_is_refused_by_sqlite(postgresql_engine, sqlite_engine,
                                                    tmp_path: Path) -> None:
    original = backup(tmp_path / "a.tar", postgresql_engine).path
    with pytest.raises(BackupIncompatible, match="provient d'une base postgresql, la base cible "
                                                 "est sqlite"):
        restore(original, sqlite_engine)


def test_a_corrupted_file_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    seed(sqlite_engine, responses=20)
    original = backup(tmp_path / "a.tar", sqlite_engine).path
    change(sqlite_engine)
    changed = state(sqlite_engine)

    def flip(data: bytes) -> bytes:
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]

    damaged = rewrite(original, tmp_path / "b.tar", data=flip)
    with pytest.raises(BackupInvalid, match="est endommagé"):
        restore(damaged, sqlite_engine)
    truncated = tmp_path / "c.tar"
    truncated.write_bytes(original.read_bytes()[:5000])
    with pytest.raises(BackupInvalid):
        restore(truncated, sqlite_engine)
    assert state(sqlite_engine) == changed


def test_a_manifest_that_lies_about_a_table_is_caught(engine: Engine, tmp_path: Path) -> None:
    seed(engine, responses=20)
    original = backup(tmp_path / "a.tar", engine).path

    def lie(manifest: dict) -> dict:
        manifest["tables"]["response"]["sha256"] = "0" * 64
        return manifest

    forged = rewrite(original, tmp_path / "b.tar", manifest=lie)
    with pytest.raises(BackupError) as caught:
        restore(forged, engine)
    if engine.dialect.name == "sqlite":  # checked before anything is replaced
        assert isinstance(caught.value, BackupInvalid)
        assert "est incohérent : ses tables diffèrent de son manifeste (response)" in str(
            caught.value)
    else:  # the dump can only be checked once restored
        assert isinstance(caught.value, BackupMismatch)
        assert str(caught.value).startswith("La base restaurée ne correspond pas au manifeste "
                                            "de la sauvegarde (tables : response).")


def test_the_libpq_address_keeps_the_options_but_not_the_password() -> None:
    from sqlalchemy import create_engine

    from workbench.storage.backup import _libpq

    uri, env = _libpq(create_engine(
        "postgresql+psycopg://agent:s%40cret@db.local:5433/wb?options=-csearch_path%3Dt_x"))
    assert uri == "postgresql://agent@db.local:5433/wb?options=-csearch_path%3Dt_x"
    assert env["PGPASSWORD"] == "s@cret"


@pytest.mark.parametrize("entry", ["../../evil.sqlite", "notes.txt", "database.pgdump"])
def test_an_unexpected_entry_is_refused(sqlite_engine, tmp_path, entry: str) -> None:
    original = backup(tmp_path / "a.tar", sqlite_engine).path
    odd = rewrite(original, tmp_path / "b.tar", extra={entry: b"x"})
    with pytest.raises(BackupInvalid, match="entrée inattendue"):
        inspect_backup(odd)
    with pytest.raises(BackupInvalid, match="entrée inattendue"):
        restore(odd, sqlite_engine)
    assert not (tmp_path.parent / "evil.sqlite").exists()


def test_a_link_entry_is_refused(sqlite_engine, tmp_path: Path) -> None:
    original = backup(tmp_path / "a.tar", sqlite_engine).path
    odd = tmp_path / "b.tar"
    with tarfile.open(original) as source, tarfile.open(odd, "w") as tar:
        tar.addfile(source.getmember("manifest.json"),
                    source.extractfile("manifest.json"))
        link = tarfile.TarInfo("database.sqlite")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    with pytest.raises(BackupInvalid, match="entrée inattendue"):
        restore(odd, sqlite_engine)


# --- SQLite while servers write -------------------------------------------------------------


def _writer(url: str, worker: int, start, stop, written) -> None:
    from workbench.forms.submission import submit_response

    from .test_forms_answers import valid_answers

    engine = get_engine(url)
    answers = valid_answers()
    start.wait()
    i = 0
    while not stop.is_set():
        submit_response("evaluation-transport", f"bk{worker}-{i}", answers, engine=engine,
                        now=datetime(2026, 12, 1, 10))
        i += 1
    written.put(i)


def test_sqlite_backups_are_consistent_while_responses_arrive(tmp_path: Path) -> None:
    from workbench.forms.publish import publish_spec_file
    from workbench.storage.migrate import upgrade

    from .conftest import DEMO_SPEC

    url = sqlite_url(tmp_path)
    engine = get_engine(url)
    upgrade(engine)
    publish_spec_file(DEMO_SPEC, engine)
    context = mp.get_context("spawn")
    start, stop, written = context.Event(), context.Event(), context.Queue()
    writers = [context.Process(target=_writer, args=(url, n, start, stop, written))
               for n in range(3)]
    for writer in writers:
        writer.start()
    start.set()
    manifests = []
    try:
        time.sleep(3)
        for n in range(5):
            manifests.append(backup(tmp_path / f"b{n}.tar", engine))
            time.sleep(0.3)
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
    assert all(writer.exitcode == 0 for writer in writers)
    total = sum(written.get(timeout=5) for _ in writers)
    counts = [m.tables["response"].rows for m in manifests]
    assert counts == sorted(counts) and len(set(counts)) > 1 and counts[-1] <= total
    assert all(m.tables["answer"].rows == 14 * m.tables["response"].rows for m in manifests)
    for n, manifest in enumerate(manifests):
        fresh = get_engine(sqlite_url(tmp_path / f"restored{n}"))
        restore(manifest.path, fresh)
        assert state(fresh) == manifest.tables
        fresh.dispose()
        with sqlite3.connect(tmp_path / f"restored{n}" / "workbench.sqlite") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- the commands ---------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch):
    """Run ``workbench …`` against a fresh SQLite database."""
    from workbench.cli import main

    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path))
    runner = CliRunner()

    def run(*args: str, code: int = 0, given: str | None = None) -> str:
        result = runner.invoke(main, list(args), input=given)
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    return run


def test_the_commands_back_up_keep_and_restore(cli, tmp_path: Path) -> None:
    cli("db", "upgrade")
    cli("demo", "seed", "--responses", "15")
    engine = get_engine(sqlite_url(tmp_path))
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    outputs = [cli("backup", str(folder), "--keep", "2") for _ in range(3)]
    assert "Sauvegarde écrite : " in outputs[0]
    tables = len(metadata.tables) + 1  # and alembic_version
    assert f"révision {head_revision()}, {tables} tables, " in outputs[0]
    assert " lignes" in outputs[0]
    kept = dated_backups(folder)
    assert len(kept) == 2
    before = state(engine)
    change(engine)
    changed = state(engine)
    output = cli("restore", str(kept[-1]), given="n\n", code=1)
    assert "remplace TOUTE la base" in output and "Restauration annulée" in output
    assert state(engine) == changed
    output = cli("restore", str(kept[-1]), given="y\n")
    assert "Base restaurée depuis" in output
    assert state(engine) == before
    change(engine)
    assert "Base restaurée depuis" in cli("restore", str(kept[0]), "--yes")
    assert state(engine) == before


def test_the_commands_report_errors_in_french(cli, tmp_path: Path) -> None:
    cli("db", "upgrade")
    output = cli("restore", str(tmp_path / "absente.tar"), "--yes", code=1)
    assert "Erreur : Le fichier" in output
    junk = tmp_path / "pas-une-sauvegarde.tar"
    junk.write_text("bonjour")
    assert "n'est pas une sauvegarde du workbench" in cli("restore", str(junk), "--yes", code=1)
    assert "Erreur : --keep" in cli("backup", str(tmp_path / "x.tar"), "--keep", "2", code=1)
    assert "Erreur : Le dossier" in cli("backup", str(tmp_path / "absent" / "x.tar"), code=1)


def test_an_unwritable_or_missing_destination_is_told_in_french(cli, tmp_path: Path) -> None:
    """A folder that cannot be written used to end in a traceback; a missing 'folder/'
    used to become a file of that name."""
    cli("db", "upgrade")
    assert "/proc" in cli("backup", "/proc/sauvegarde.tar", code=1)
    missing = tmp_path / "absent"
    assert "n'existe pas" in cli("backup", f"{missing}/", code=1)
    assert not missing.exists()
