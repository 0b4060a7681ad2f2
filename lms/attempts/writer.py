"""One writer at a time on SQLite: API writes queue for their turn instead of
polling SQLite's busy handler.

The turn is asked for before the request touches the database and taken at
its first write statement: reading, checking, scoring and building answers
(most of a request) run while another request writes, and only the writes and
their commit (the fsync that makes a save durable) queue. The turn is given
back as soon as the transaction ends.

Threads of one process queue on a lock; the processes (gunicorn workers)
then on an advisory lock of a file beside the database (`<database>-turn`),
which the holder of a process's turn polls every millisecond. SQLite's busy
handler sleeps up to 100 ms between tries, so with only the database's lock
between them the workers left it idle for much of a burst.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lms.errors import BusyError
from lms.extensions import db

# --------------------------------------------------------------------------
# One writer per process on SQLite
# --------------------------------------------------------------------------

_sqlite_writer = threading.Lock()
WRITER_WAIT_SECONDS = 30
# A statement of a write takes milliseconds; the turn's holder still inside one
# after this long is waiting for a database locked from outside (a backup, a
# stuck program), and will until SQLite's busy timeout.
STUCK_STATEMENT_SECONDS = 2.0
_POLL_SECONDS = 0.1
_PROCESS_POLL_SECONDS = 0.001
# Statements that take SQLite's write lock (or open a transaction that may).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "SAVEPOINT")


class _Turn:
    holder: int | None = None  # thread ident of the holder
    statement_since = 0.0  # time.monotonic() when its running statement began
    file: int | None = None  # descriptor of the file locked across processes
    # (process, database path) → descriptor of its turn file; opened in each
    # process, as a descriptor inherited across fork shares its lock.
    files: dict[tuple[int, str], int] = {}


_wanting = threading.local()  # .turn: this thread's request writes in turn


def take_writer_turn() -> bool:
    """On SQLite, ask for this process's turn to write; True when asked.

    Call it before a request touches the database and end it with
    end_writer_turn() after the request (the API does this for every POST and
    PUT). The turn itself is taken at the request's first write statement and
    given back when its transaction commits or rolls back (taken again if it
    writes again). Threads of one process then queue for their writes here
    instead of polling SQLite's busy handler, which sleeps up to 100 ms
    between tries and so leaves the database idle in a burst; only the worker
    processes compete for SQLite's lock. The turn is taken just before the
    statement that takes SQLite's lock, so the lock order is fixed (turn, then
    SQLite) and cannot deadlock. A no-op on PostgreSQL, whose row locks queue
    waiters properly.

    Waiting raises BusyError (503, try again) instead of queueing behind a
    holder stuck on a locked database, so waiting requests do not use up the
    server's threads (and its health check) for as long as the lock lasts.
    """
    if db.engine.dialect.name != "sqlite":
        return False
    _wanting.turn = True
    return True


def end_writer_turn() -> None:
    _wanting.turn = False
    _give_back()


def _busy() -> BusyError:
    return BusyError("The database is busy; try again in a few seconds.")


def _take(database: str | None) -> None:
    give_up = time.monotonic() + WRITER_WAIT_SECONDS
    while not _sqlite_writer.acquire(timeout=_POLL_SECONDS):
        if time.monotonic() >= give_up or _holder_is_stuck():
            raise _busy()
    try:
        _Turn.file = _lock_across_processes(database)
    except BaseException:
        _sqlite_writer.release()
        raise
    _Turn.holder, _Turn.statement_since = threading.get_ident(), 0.0


def _lock_across_processes(database: str | None) -> int | None:
    """Lock the database's turn file, waiting as long as SQLite's busy timeout
    would (a worker holding it is waiting on that lock itself); None for a
    database without a file."""
    if not database or database == ":memory:":
        return None
    fd = _turn_file(database)
    waited_enough = time.monotonic() + _busy_timeout_seconds()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= waited_enough:
                raise _busy() from None
            time.sleep(_PROCESS_POLL_SECONDS)


def _turn_file(database: str) -> int:
    key = (os.getpid(), database)
    fd = _Turn.files.get(key)
    if fd is None:
        fd = _Turn.files[key] = os.open(
            database + "-turn", os.O_RDWR | os.O_CREAT, 0o600
        )
    return fd


def _busy_timeout_seconds() -> float:
    return current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 10_000) / 1000


def _give_back() -> None:
    if _Turn.holder == threading.get_ident():
        if _Turn.file is not None:
            fcntl.flock(_Turn.file, fcntl.LOCK_UN)
        _Turn.holder, _Turn.statement_since, _Turn.file = None, 0.0, None
        _sqlite_writer.release()


def _holder_is_stuck() -> bool:
    since = _Turn.statement_since
    return bool(since) and time.monotonic() - since > STUCK_STATEMENT_SECONDS


def _is_write(statement: str) -> bool:
    return statement.lstrip()[:9].upper().startswith(_WRITES)


@sa.event.listens_for(Engine, "before_cursor_execute")
def _statement_starts(conn, cursor, statement, parameters, context, executemany):
    me = threading.get_ident()
    if _Turn.holder != me and getattr(_wanting, "turn", False) and _is_write(statement):
        _take(conn.engine.url.database)
    if _Turn.holder == me:
        _Turn.statement_since = time.monotonic()


@sa.event.listens_for(Engine, "after_cursor_execute")
def _statement_ends(conn, cursor, statement, parameters, context, executemany):
    if _Turn.holder == threading.get_ident():
        _Turn.statement_since = 0.0


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _transaction_ends(session) -> None:
    _give_back()


def commit_keeping_loaded() -> None:
    """Commit now, without expiring what the session has loaded, so a request can
    build its answer from what it just wrote after the commit: the database's
    write lock (SQLite's one writer, PostgreSQL's row locks) is then held for
    the write alone, not for the reading and serialising that follows."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
