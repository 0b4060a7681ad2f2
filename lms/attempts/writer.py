"""One writer per process on SQLite: threads of a process queue for their turn
before an API write instead of polling SQLite's busy handler.
"""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

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


class _Turn:
    holder: int | None = None  # thread ident of the holder
    statement_since = 0.0  # time.monotonic() when its running statement began


def take_writer_turn() -> bool:
    """On SQLite, wait for this process's turn to write; True when taken.

    Call it before a request touches the database and give the turn back with
    end_writer_turn() after the request (the API does this for every POST and
    PUT). Threads of one process then queue here instead of polling SQLite's
    busy handler, which sleeps up to 100 ms between tries and so leaves the
    database idle in a burst; only the worker processes compete for SQLite's
    lock. Taking the turn first, before any write, keeps the lock order fixed
    (turn, then SQLite), so it cannot deadlock. A no-op on PostgreSQL, whose
    row locks queue waiters properly.

    Raises BusyError (503, try again) instead of queueing behind a holder stuck
    on a locked database, so waiting requests do not use up the server's
    threads (and its health check) for as long as the lock lasts.
    """
    if db.engine.dialect.name != "sqlite":
        return False
    give_up = time.monotonic() + WRITER_WAIT_SECONDS
    while not _sqlite_writer.acquire(timeout=_POLL_SECONDS):
        if time.monotonic() >= give_up or _holder_is_stuck():
            raise BusyError("The database is busy; try again in a few seconds.")
    _Turn.holder, _Turn.statement_since = threading.get_ident(), 0.0
    return True


def end_writer_turn() -> None:
    _Turn.holder, _Turn.statement_since = None, 0.0
    _sqlite_writer.release()


def _holder_is_stuck() -> bool:
    since = _Turn.statement_since
    return bool(since) and time.monotonic() - since > STUCK_STATEMENT_SECONDS


@sa.event.listens_for(Engine, "before_cursor_execute")
def _statement_starts(conn, cursor, statement, parameters, context, executemany):
    if _Turn.holder == threading.get_ident():
        _Turn.statement_since = time.monotonic()


@sa.event.listens_for(Engine, "after_cursor_execute")
def _statement_ends(conn, cursor, statement, parameters, context, executemany):
    if _Turn.holder == threading.get_ident():
        _Turn.statement_since = 0.0
