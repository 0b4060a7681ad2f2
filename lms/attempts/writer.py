"""One writer per process on SQLite: threads of a process queue for their turn
before an API write instead of polling SQLite's busy handler.
"""

from __future__ import annotations

import threading

from lms.extensions import db

# --------------------------------------------------------------------------
# One writer per process on SQLite
# --------------------------------------------------------------------------

_sqlite_writer = threading.Lock()
WRITER_WAIT_SECONDS = 30


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
    """
    if db.engine.dialect.name != "sqlite":
        return False
    return _sqlite_writer.acquire(timeout=WRITER_WAIT_SECONDS)


def end_writer_turn() -> None:
    _sqlite_writer.release()
