"""The health check: can the database take a write right now? Answered within a
second whichever way, so a load balancer or monitor never waits on a lock.

SQLite: a separate connection briefly takes the write lock (BEGIN IMMEDIATE, then
ROLLBACK) with a short busy timeout, leaving the pooled connections and their
settings alone. PostgreSQL: SELECT 1 under a short statement timeout.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from lms.extensions import db

CHECK_TIMEOUT_SECONDS = 0.3


def database_ready(timeout: float = CHECK_TIMEOUT_SECONDS) -> bool:
    try:
        if db.engine.dialect.name == "sqlite":
            return _sqlite_writable(db.engine.url.database, timeout)
        with db.engine.connect() as conn:
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
            conn.exec_driver_sql("SELECT 1")
        return True
    except (sa.exc.SQLAlchemyError, sqlite3.Error):
        return False


def _sqlite_writable(path: str | None, timeout: float) -> bool:
    if not path or path == ":memory:":
        return True
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()
