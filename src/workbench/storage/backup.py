"""Backups and restores of the whole database: one plain tar, a manifest that proves it.

A backup holds exactly two members: ``manifest.json`` and the database itself
(``database.sqlite``, a copy made with SQLite's online backup API, or ``database.pgdump``,
``pg_dump --format=custom``). The manifest gives, for every table, its row count and a hash of
its content, taken from the same snapshot as the copy; a restore checks the file, the schema
revision and the dialect before touching anything, then checks the restored tables against
the manifest.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, column, create_engine, select, table, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from workbench.i18n import _
from workbench.storage.engine import get_engine
from workbench.storage.errors import StorageError
from workbench.storage.migrate import schema_status
from workbench.storage.schema import metadata

__all__ = [
    "BackupError",
    "BackupIncompatible",
    "BackupInvalid",
    "BackupMismatch",
    "Manifest",
    "TableDigest",
    "ToolFailed",
    "backup",
    "inspect_backup",
    "restore",
]

FORMAT, VERSION = "workbench-backup", 1
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
NAME_PATTERN = re.compile(r"workbench-(\d{8}-\d{6})(?:-(\d+))?\.tar")
CHUNK = 1 << 20
ROWS_PER_FETCH = 2000


# --- errors -------------------------------------------------------------------------------


class BackupError(StorageError):
    """A backup or a restore that cannot be done; the message is already French."""


class BackupInvalid(BackupError):
    """The file is not a sound workbench backup (structure, checksum, manifest)."""


class BackupIncompatible(BackupError):
    """A sound backup that this software or this database cannot take."""


class BackupMismatch(BackupError):
    """The tables differ from what the manifest describes."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(tables)
        self.tables = tables

    def message(self) -> str:
        return _("The restored database does not match the backup's manifest (tables: "
                 "{tables}). Restore the backup again, or another one.").format(
                     tables=", ".join(self.tables))


class ToolFailed(BackupError):
    """``pg_dump`` or ``pg_restore`` is missing or failed."""

    def __init__(self, tool: str, detail: str) -> None:
        super().__init__(tool, detail)
        self.tool, self.detail = tool, detail

    def message(self) -> str:
        return _("{tool} failed: {detail}").format(tool=self.tool, detail=self.detail)


# --- the manifest -------------------------------------------------------------------------


@dataclass(frozen=True)
class TableDigest:
    """A table's row count and content hash."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a backup holds (``manifest.json``)."""

    created_at: str
    dialect: str
    revision: str | None
    tables: dict[str, TableDigest]
    file: str
    file_sha256: str
    schema: str | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def total_rows(self) -> int:
        return sum(digest.rows for digest in self.tables.values())

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "dialect": self.dialect,
            "revision": self.revision,
            "tables": {name: {"rows": d.rows, "sha256": d.sha256}
                       for name, d in self.tables.items()},
            "file": self.file,
            "file_sha256": self.file_sha256,
        }
        if self.schema is not None:
            data["schema"] = self.schema
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse ``manifest.json``; anything unexpected is a ``BackupInvalid``."""
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT or data.get("version") != VERSION:
                raise BackupInvalid(_("This file is not a workbench backup this software can "
                                      "read (format {format}, version {version}).").format(
                                          format=data.get("format"), version=data.get("version")))
            tables = {str(name): TableDigest(int(d["rows"]), str(d["sha256"]))
                      for name, d in data["tables"].items()}
            return cls(created_at=str(data["created_at"]), dialect=str(data["dialect"]),
                       revision=data["revision"], tables=tables, file=str(data["file"]),
                       file_sha256=str(data["file_sha256"]), schema=data.get("schema"))
        except BackupInvalid:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupInvalid(_("The backup's manifest is unreadable.")) from error


# --- table digests --------------------------------------------------------------------------


def _tables() -> list:
    """Every table to describe: the schema's, and Alembic's revision table."""
    alembic = table("alembic_version", column("version_num"))
    return [*sorted(metadata.tables.values(), key=lambda t: t.name), alembic]


def _ordered(tbl) -> object:
    keys = list(tbl.primary_key)
    return select(tbl).order_by(*(keys or list(tbl.columns)))


def table_digest(conn: Connection, tbl) -> TableDigest:
    """Rows ordered by primary key, one JSON line each, hashed."""
    hasher, rows = hashlib.sha256(), 0
    result = conn.execute(_ordered(tbl).execution_options(yield_per=ROWS_PER_FETCH))
    for row in result:
        line = json.dumps(list(row), default=str, ensure_ascii=False) + "\n"
        hasher.update(line.encode("utf-8"))
        rows += 1
    return TableDigest(rows, hasher.hexdigest())


def digests(conn: Connection) -> dict[str, TableDigest]:
    """Every table's digest, read through ``conn`` (one snapshot if it is one transaction)."""
    return {tbl.name: table_digest(conn, tbl) for tbl in _tables()}


def _mismatched(expected: dict[str, TableDigest], found: dict[str, TableDigest]) -> list[str]:
    names = sorted(set(expected) | set(found))
    return [name for name in names if expected.get(name) != found.get(name)]


def _file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


# --- backup ---------------------------------------------------------------------------------


def backup(destination: Path, engine: Engine | None = None, *,
           keep: int | None = None) -> Manifest:
    """Write one backup tar at ``destination`` (a file, or a folder: a dated name inside).

    With a folder and ``keep``, only the newest ``keep`` dated backups of that folder remain.
    """
    engine = engine or get_engine()
    destination = Path(destination)
    folder = destination if destination.is_dir() else destination.parent
    if not folder.is_dir():
        raise BackupError(_("The folder {folder} does not exist.").format(folder=folder))
    target = _dated_name(destination) if destination.is_dir() else destination
    try:
        with tempfile.TemporaryDirectory(dir=folder, prefix=".workbench-backup-") as work:
            member = Path(work) / MEMBERS[_dialect(engine)]
            if _dialect(engine) == "sqlite":
                manifest = _copy_sqlite(engine, member)
            else:
                manifest = _dump_postgresql(engine, member)
            _write_tar(target, manifest, member)
    except OSError as error:  # not writable, disk full…: nothing half written is left
        raise BackupError(_("The backup cannot be written in {folder}: {reason}").format(
            folder=folder, reason=error.strerror or error)) from error
    if keep is not None and destination.is_dir():
        prune(destination, keep)
    return dataclasses.replace(manifest, path=target)


def _dialect(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in MEMBERS:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not {dialect}.").format(
            dialect=name))
    return name


def _now() -> datetime:
    return datetime.now(UTC)


def _dated_name(folder: Path) -> Path:
    """``workbench-YYYYMMDD-HHMMSS.tar`` (UTC), with a counter if that second is taken."""
    stamp = _now().strftime("%Y%m%d-%H%M%S")
    candidate, counter = folder / f"workbench-{stamp}.tar", 0
    while candidate.exists():
        counter += 1
        candidate = folder / f"workbench-{stamp}-{counter}.tar"
    return candidate


def dated_backups(folder: Path) -> list[Path]:
    """The folder's dated backups, oldest first."""
    found = []
    for path in folder.iterdir():
        match = NAME_PATTERN.fullmatch(path.name)
        if match and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 0)), path))
    return [path for _key, path in sorted(found)]


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the dated backups beyond the newest ``keep``; the deleted paths."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    old = dated_backups(folder)[:-keep]
    for path in old:
        path.unlink()
    return old


def _write_tar(target: Path, manifest: Manifest, member: Path) -> None:
    """Write the tar next to ``target`` then move it in place: never half a backup."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".workbench-",
                                         suffix=".tar.part")
    os.close(handle)
    try:
        with tarfile.open(temporary, "w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, manifest.to_json().encode("utf-8"))
            info = tar.gettarinfo(str(member), arcname=member.name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o600
            with member.open("rb") as data:
                tar.addfile(info, data)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
        _fsync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _fsync_folder(folder: Path) -> None:
    """Make the new directory entry durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(_now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(database)


@contextlib.contextmanager
def _sqlite_file_engine(path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def _copy_sqlite(engine: Engine, copy: Path) -> Manifest:
    """Copy the live database with the online backup API, then describe the copy."""
    live = _sqlite_path(engine)
    if not live.is_file():
        raise BackupError(_("The database {path} does not exist.").format(path=live))
    try:
        source = sqlite3.connect(live, timeout=60)
        try:
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(_("The SQLite copy failed: {detail}").format(detail=error)) from error
    with _sqlite_file_engine(copy) as snapshot, snapshot.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        tables = digests(conn)
    return Manifest(created_at=_now().isoformat(timespec="seconds"), dialect="sqlite",
                    revision=revision, tables=tables, file=copy.name,
                    file_sha256=_file_sha256(copy))


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The libpq URI of ``engine`` (no driver, no password) and the environment for it."""
    url: URL = engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    bare = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                      database=url.database, query=url.query)
    uri = bare.render_as_string(hide_password=False)
    return uri, env


def _tool(name: str) -> str:
    return shutil.which(name) or f"/usr/bin/{name}"


def _run(tool: str, arguments: list[str], env: dict[str, str]) -> None:
    """Run ``pg_dump``/``pg_restore``; a ``ToolFailed`` with stderr's last line if it fails."""
    try:
        done = subprocess.run([_tool(tool), *arguments], env=env, capture_output=True,
                              text=True, check=False)
    except OSError as error:
        raise ToolFailed(tool, _("the program cannot be run ({detail}); install the "
                                 "PostgreSQL client tools.").format(detail=error.strerror)
                         ) from error
    if done.returncode != 0:
        raise ToolFailed(tool, _last_error(done.stderr) or _("exit status {code}").format(
            code=done.returncode))


def _last_error(stderr: str) -> str:
    """The tool's last ``error:`` line (not a quoted command, no DETAIL with row values)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line.lower()]
    return (errors or lines or [""])[-1]


def _dump_postgresql(engine: Engine, dump: Path) -> Manifest:
    """``pg_dump`` on an exported snapshot; the manifest read in that same snapshot."""
    uri, env = _libpq(engine)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.scalar(text("select pg_export_snapshot()"))
            schema = conn.scalar(text("select current_schema()"))
            arguments = ["--format=custom", f"--snapshot={snapshot}", f"--file={dump}"]
            if schema != "public":
                arguments.append(f"--schema={schema}")
            _run("pg_dump", [*arguments, f"--dbname={uri}"], env)
            revision = MigrationContext.configure(conn).get_current_revision()
            tables = digests(conn)
    return Manifest(created_at=_now().isoformat(timespec="seconds"), dialect="postgresql",
                    revision=revision, tables=tables, file=dump.name,
                    file_sha256=_file_sha256(dump), schema=schema)


# --- reading a backup -----------------------------------------------------------------------


def _not_a_backup(source: Path) -> BackupInvalid:
    return BackupInvalid(_("{path} is not a workbench backup (a tar holding manifest.json and "
                           "the database).").format(path=source))


def _members(tar: tarfile.TarFile, source: Path) -> dict[str, tarfile.TarInfo]:
    """The tar's members, checked: the manifest and one database, regular files, once each."""
    found: dict[str, tarfile.TarInfo] = {}
    allowed = {MANIFEST, *MEMBERS.values()}
    for info in tar.getmembers():
        second_database = info.name != MANIFEST and any(name != MANIFEST for name in found)
        if info.name not in allowed or not info.isfile() or info.name in found \
                or second_database:
            raise BackupInvalid(_("{path} holds an unexpected entry ({name}): it is not a "
                                  "workbench backup, nothing was restored.").format(
                                      path=source, name=info.name))
        found[info.name] = info
    if MANIFEST not in found or len(found) != 2:
        raise _not_a_backup(source)
    return found


def _extract(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path | None) -> str:
    """One member's sha256, its bytes copied to ``target`` if given (never a path from the tar)."""
    hasher = hashlib.sha256()
    source = tar.extractfile(info)
    if source is None:
        raise BackupInvalid(_("The backup's entry {name} is unreadable.").format(name=info.name))
    with source, (target.open("wb") if target else contextlib.nullcontext()) as out:
        while chunk := source.read(CHUNK):
            hasher.update(chunk)
            if out is not None:
                out.write(chunk)
    return hasher.hexdigest()


def _open_backup(source: Path, work: Path | None) -> tuple[Manifest, Path | None]:
    """Check the tar and its checksum; the manifest, and the database copied into ``work``."""
    source = Path(source)
    if not source.is_file():
        raise BackupInvalid(_("The file {path} does not exist.").format(path=source))
    try:
        with tarfile.open(source, "r:") as tar:
            members = _members(tar, source)
            manifest_file = tar.extractfile(members[MANIFEST])
            manifest = Manifest.from_json(manifest_file.read() if manifest_file else b"")
            if manifest.dialect not in MEMBERS or manifest.file != MEMBERS[manifest.dialect] \
                    or manifest.file not in members:
                raise _not_a_backup(source)
            database = work / manifest.file if work else None
            checksum = _extract(tar, members[manifest.file], database)
    except (tarfile.TarError, EOFError) as error:
        raise _not_a_backup(source) from error
    if checksum != manifest.file_sha256:
        raise BackupInvalid(_("{path} is damaged: the database it holds does not match its "
                              "checksum. Use another backup; nothing was restored.").format(
                                  path=source))
    return dataclasses.replace(manifest, path=source), database


def inspect_backup(source: Path, engine: Engine | None = None) -> Manifest:
    """The manifest of a sound backup (structure and checksum checked).

    With ``engine``, also refuse a backup that could not be restored into it.
    """
    manifest, _database = _open_backup(source, None)
    if engine is not None:
        _check_compatible(manifest, engine)
    return manifest


# --- restore --------------------------------------------------------------------------------


def restore(source: Path, engine: Engine | None = None) -> Manifest:
    """Replace the whole database with the backup ``source``, after checking it can."""
    engine = engine or get_engine()
    dialect = _dialect(engine)
    folder = _sqlite_path(engine).parent if dialect == "sqlite" else None
    with tempfile.TemporaryDirectory(dir=folder, prefix=".workbench-restore-") as work:
        manifest, database = _open_backup(source, Path(work))
        _check_compatible(manifest, engine)
        if dialect == "sqlite":
            _restore_sqlite(database, engine, manifest)
        else:
            _restore_postgresql(database, engine)
    engine.dispose()
    with engine.connect() as conn:
        mismatched = _mismatched(manifest.tables, digests(conn))
    if mismatched:
        raise BackupMismatch(mismatched)
    return manifest


def _check_compatible(manifest: Manifest, engine: Engine) -> None:
    """Refuse another dialect, another schema revision, another PostgreSQL schema."""
    dialect = engine.dialect.name
    if manifest.dialect != dialect:
        raise BackupIncompatible(_("This backup comes from a {found} database, the target "
                                   "database is {expected}: a backup can only be restored "
                                   "into the same kind of database.").format(
                                       found=manifest.dialect, expected=dialect))
    head = schema_status(engine).head
    if manifest.revision != head:
        raise BackupIncompatible(_(
            "This backup is at schema revision {found}, this software expects {expected}: "
            "restore it with the workbench version of revision {found}; if the backup is the "
            "older one, then install this version and run 'workbench db upgrade'. Nothing "
            "was restored.").format(
                found=manifest.revision or _("none"), expected=head))
    if dialect == "postgresql":
        with engine.connect() as conn:
            schema = conn.scalar(text("select current_schema()"))
        if manifest.schema is not None and manifest.schema != schema:
            raise BackupIncompatible(_("This backup is of the PostgreSQL schema {found}, the "
                                       "target database uses {expected}: nothing was "
                                       "restored.").format(found=manifest.schema,
                                                           expected=schema))


def _restore_sqlite(database: Path, engine: Engine, manifest: Manifest) -> None:
    """Check the copy against the manifest, then copy it over the live database."""
    with _sqlite_file_engine(database) as copy, copy.connect() as conn:
        mismatched = _mismatched(manifest.tables, digests(conn))
    if mismatched:
        raise BackupInvalid(_("{path} is inconsistent: its tables differ from its manifest "
                              "({tables}). Use another backup; nothing was restored.").format(
                                  path=manifest.path, tables=", ".join(mismatched)))
    engine.dispose()
    try:
        source = sqlite3.connect(database)
        try:
            target = sqlite3.connect(_sqlite_path(engine), timeout=60)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(_("The SQLite restore failed: {detail}").format(
            detail=error)) from error


def _restore_postgresql(dump: Path, engine: Engine) -> None:
    """``pg_restore`` in one transaction: all or nothing."""
    uri, env = _libpq(engine)
    engine.dispose()
    _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                        "--single-transaction", f"--dbname={uri}", str(dump)], env)
