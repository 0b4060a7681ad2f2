"""Backups of the database and restores from them (`flask backup`, `flask restore`).

* **SQLite**: the online backup API copies the whole database in one step while
  the app keeps serving. The copy is a consistent snapshot (in WAL mode a reader
  never blocks the writers, and the one-step copy is a single read), switched to
  an ordinary single-file journal so it can be moved and opened on its own.
* **PostgreSQL**: `pg_dump -Fc` inside an exported REPEATABLE READ snapshot,
  restored with `pg_restore --clean --if-exists` in one transaction. The client
  programs are found on PATH or in /usr/lib/postgresql/<version>/bin.
* **Row counts.** A backup counts the rows of every table in the very snapshot
  it copies and writes them beside the file (`FILE.json`). A restore checks the
  file before touching anything, and afterwards checks the restored database
  (SQLite `PRAGMA integrity_check`; a query of every table on both) and that
  every table holds the rows the backup recorded.
* **Nothing half-written.** A backup goes to a temporary file beside the target
  and is renamed into place only when complete; backups hold password hashes,
  so the files are readable by their owner only.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlalchemy as sa

from lms import clock
from lms.errors import DomainError
from lms.extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
# A table every version of the schema has: a file without it is not our database.
CORE_TABLE = "user"
PG_TOOLS_HINT = (
    "Install PostgreSQL's client programs (Debian: postgresql-client) "
    "or put their folder on PATH."
)


class BackupError(DomainError):
    code = "backup_failed"


def database_kind() -> str:
    """The configured database's dialect: "sqlite" or "postgresql"."""
    return db.engine.dialect.name


def manifest_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".json")


# --- backup ------------------------------------------------------------------------


def backup(target: Path) -> dict[str, int]:
    """Back the configured database up to `target`; the row count of every table
    as the backup holds it."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists: choose a new file name.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    kind = database_kind()
    try:
        with _file_in_place(target) as partial:
            counts = (
                _backup_sqlite(partial) if kind == "sqlite" else _backup_pg(partial)
            )
    except (sqlite3.Error, OSError, BackupError) as exc:  # a full disk, no pg_dump…
        raise BackupError(f"The backup failed, no file was written: {exc}") from exc
    manifest = {"database": kind, "taken_at": clock.now().isoformat(), "tables": counts}
    manifest_path(target).write_text(json.dumps(manifest, indent=2) + "\n")
    return counts


@contextmanager
def _file_in_place(target: Path) -> Iterator[Path]:
    """A temporary file beside `target`, renamed to it only if the block succeeds."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        partial.chmod(0o600)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _backup_sqlite(partial: Path) -> dict[str, int]:
    source_path = _sqlite_path()
    with (
        closing(_sqlite_connect(source_path)) as source,
        closing(sqlite3.connect(partial)) as copy,
    ):
        source.backup(copy)  # all pages in one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")
        return sqlite_row_counts(copy)


def _backup_pg(partial: Path) -> dict[str, int]:
    pg_dump = _pg_tool("pg_dump")
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            counts = row_counts(conn)
            # pg_dump reads the snapshot this transaction holds open: the file has
            # exactly the rows just counted, whatever is written meanwhile.
            _run_pg(
                pg_dump,
                ["-Fc", f"--snapshot={snapshot}", "-f", str(partial)],
                "pg_dump",
            )
    return counts


# --- restore -----------------------------------------------------------------------


def describe(source: Path) -> dict:
    """Check that `source` is a backup this database can be restored from (before
    anything is touched); what its manifest says, or {} without one."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    kind = database_kind()
    with source.open("rb") as stream:
        head = stream.read(len(SQLITE_HEADER))
    if kind == "sqlite":
        if not head.startswith(SQLITE_HEADER):
            raise BackupError(f"{source} is not a SQLite backup.")
        _check_sqlite_file(source)
    else:
        if not head.startswith(PG_CUSTOM_HEADER):
            raise BackupError(f"{source} is not a PostgreSQL backup (pg_dump -Fc).")
        _run_pg(_pg_tool("pg_restore"), ["--list", str(source)], "pg_restore", False)
    return _read_manifest(source, kind)


def restore(source: Path) -> dict[str, int]:
    """Replace the configured database's contents with the backup `source`; the
    row count of every table after the restore. Raises BackupError if the file is
    not a usable backup, or if the restored rows differ from what it recorded."""
    source = Path(source)
    manifest = describe(source)
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old tables open
    try:
        if database_kind() == "sqlite":
            counts = _restore_sqlite(source)
        else:
            counts = _restore_pg(source)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"The restore failed: {exc}") from exc
    expected = manifest.get("tables")
    if expected is not None and expected != counts:
        raise BackupError(
            "The restored database differs from the backup's record: "
            + ", ".join(_differences(expected, counts))
        )
    return counts


def _restore_sqlite(source: Path) -> dict[str, int]:
    with (
        closing(_sqlite_connect(source, read_only=True)) as backup_file,
        closing(_sqlite_connect(_sqlite_path())) as live,
    ):
        backup_file.backup(live)
        live.execute("PRAGMA journal_mode=WAL")
        _require_integrity(live, "The restored database")
        return sqlite_row_counts(live)


def _restore_pg(source: Path) -> dict[str, int]:
    options = [
        "--clean", "--if-exists", "--no-owner", "--no-privileges",
        "--single-transaction", "--exit-on-error", str(source),
    ]  # fmt: skip
    _run_pg(_pg_tool("pg_restore"), options, "pg_restore")
    with db.engine.connect() as conn:
        return row_counts(conn)


def _read_manifest(source: Path, kind: str) -> dict:
    path = manifest_path(source)
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, OSError) as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("database") != kind:
        raise BackupError(f"{path} does not describe a {kind} backup.")
    return manifest


def _differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [
        f"{table}: {expected.get(table, 'none')} in the backup, "
        f"{found.get(table, 'none')} restored"
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    ]


# --- counting and checking ---------------------------------------------------------


def row_counts(conn: sa.Connection) -> dict[str, int]:
    """The number of rows of every table the connection's database holds (each
    table is read whole, so this doubles as a check that every table answers)."""
    names = sorted(sa.inspect(conn).get_table_names())
    return {
        name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
        for name in names
    }


def sqlite_row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = sorted(
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    )
    return {
        name: conn.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()[0]
        for name in names
    }


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check_sqlite_file(path: Path) -> None:
    try:
        with closing(_sqlite_connect(path, read_only=True)) as conn:
            _require_integrity(conn, str(path))
            if CORE_TABLE not in sqlite_row_counts(conn):
                raise BackupError(f"{path} is not a Back Office Academy database.")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a database: {exc}") from exc


def _require_integrity(conn: sqlite3.Connection, what: str) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BackupError(f"{what} fails its integrity check: {problems[:5]}")


# --- SQLite and PostgreSQL plumbing ------------------------------------------------


def _sqlite_path() -> Path:
    name = db.engine.url.database
    if not name or name == ":memory:":
        raise BackupError("An in-memory database cannot be backed up or restored.")
    return Path(name)


def _sqlite_connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    from flask import current_app

    timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    if read_only:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout)
    return sqlite3.connect(path, timeout=timeout)


def pg_tool(name: str) -> str | None:
    """A PostgreSQL client program: on PATH, else the newest installed version's."""
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return str(installed[-1]) if installed else None


def _pg_tool(name: str) -> str:
    found = pg_tool(name)
    if found is None:
        raise BackupError(f"{name} was not found. {PG_TOOLS_HINT}")
    return found


def _run_pg(program: str, args: list[str], what: str, connect: bool = True) -> None:
    """Run a PostgreSQL client program (against the configured database when
    `connect`); the password goes through the environment, never the command line."""
    url = db.engine.url
    env = dict(os.environ)
    command = [program]
    if connect:
        conninfo = url.set(drivername="postgresql", password=None)
        command.append(f"--dbname={conninfo.render_as_string(hide_password=False)}")
        if url.password:
            env["PGPASSWORD"] = url.password
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise BackupError(f"{what} failed: " + " ".join(detail))
