"""How each worker uses its pooled PostgreSQL connections: checked without a
round trip, and a transaction begun only when a statement needs one.

On PostgreSQL every statement is a round trip to another process. A page that
only reads (the quiz take page, a course page, a report) used to make six: a
`SELECT 1` to test the pooled connection, BEGIN, its three queries, and the
ROLLBACK that returns the connection clean. Half of them did no work.

Checking a connection (replaces SQLAlchemy's `pool_pre_ping`):
- When the server stops or restarts it closes every connection, and the
  kernel makes the socket readable (the server's farewell, then end of file).
  An idle connection that is readable is therefore dead, or holding a message
  nobody asked for; either way it is replaced before use. Looking costs no
  round trip.
- A connection idle for IDLE_PING_SECONDS or more is also asked `SELECT 1`,
  because a firewall that drops an idle connection silently leaves nothing
  to read.
Either failure raises DisconnectionError, on which the pool opens a fresh
connection, so the first request after a database restart still succeeds.

Transactions begun by the first statement that needs one:
- A checked-out connection is in autocommit, so a plain SELECT runs on its
  own, without BEGIN before it and ROLLBACK after it. Under PostgreSQL's
  READ COMMITTED, which the app uses, every statement of a transaction takes
  its own snapshot anyway, so reads see exactly what they saw inside one.
- Before any other statement (INSERT, UPDATE, DELETE, SAVEPOINT, SET LOCAL,
  a SELECT ... FOR UPDATE, a read streamed through a server-side cursor,
  anything not recognised as a plain read) the
  connection sends BEGIN. From there the request's writes are one transaction,
  committed or rolled back as before; commit and rollback on an idle connection
  cost nothing.
- A connection given another isolation level (the backup's REPEATABLE READ
  snapshot) leaves autocommit, so it has a transaction from its first
  statement as usual. A connection or engine asked for AUTOCOMMIT (creating
  and dropping databases) keeps it: its statements get no BEGIN.

SQLite is untouched: it runs in the worker's process, where none of this costs
a round trip.
"""

from __future__ import annotations

import re
import select
import time
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

try:
    from psycopg import ServerCursor
    from psycopg.pq import TransactionStatus
except ImportError:  # an installation without the PostgreSQL driver
    ServerCursor = TransactionStatus = None

IDLE_PING_SECONDS = 30.0

_RETURNED_AT = "returned_at"
# Set on a connection's first checkout: whether this module may put it in
# autocommit. An engine created with isolation_level="AUTOCOMMIT" (database
# administration) is left alone: its statements must never get a BEGIN.
_LAZY_BEGIN = "lazy begin"
_READ_ONLY = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
_WRITES_OR_LOCKS = re.compile(
    r"\b(INSERT|UPDATE|DELETE|MERGE|FOR\s+(NO\s+KEY\s+UPDATE|KEY\s+SHARE|SHARE))\b",
    re.IGNORECASE,
)


def _is_psycopg(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("psycopg")


@sa.event.listens_for(Pool, "checkin")
def _note_return(dbapi_connection, connection_record) -> None:
    if connection_record is not None and _is_psycopg(dbapi_connection):
        connection_record.info[_RETURNED_AT] = time.monotonic()


@sa.event.listens_for(Pool, "checkout")
def _check_and_prepare(dbapi_connection, connection_record, connection_proxy) -> None:
    """Replace a dead connection, then put a live one in autocommit."""
    if not _is_psycopg(dbapi_connection):
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise sa.exc.DisconnectionError("the connection is closed")
    if _socket_has_news(dbapi_connection):
        raise sa.exc.DisconnectionError("the server closed the connection")
    returned_at = connection_record.info.get(_RETURNED_AT)
    if returned_at is not None and time.monotonic() - returned_at >= IDLE_PING_SECONDS:
        _ping(dbapi_connection)
    lazy = connection_record.info.setdefault(
        _LAZY_BEGIN, not dbapi_connection.autocommit
    )
    if lazy and not dbapi_connection.autocommit and _is_idle(dbapi_connection):
        dbapi_connection.autocommit = True


def _socket_has_news(dbapi_connection) -> bool:
    """True when an idle connection has something to read: the server's goodbye
    or end of file, since a healthy idle connection is never spoken to."""
    try:
        fd = dbapi_connection.pgconn.socket
    except Exception:  # libpq has no socket: the connection is gone
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _ping(dbapi_connection) -> None:
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1", prepare=False)
        dbapi_connection.rollback()
    except Exception as exc:  # any failure here means: use another connection
        raise sa.exc.DisconnectionError(f"the connection failed a test: {exc}") from exc


def _is_idle(dbapi_connection) -> bool:
    return dbapi_connection.info.transaction_status == TransactionStatus.IDLE


@sa.event.listens_for(Engine, "before_cursor_execute")
def _begin_before_a_write(conn, cursor, statement, parameters, context, executemany):
    dbapi_connection = cursor.connection
    if not _is_psycopg(dbapi_connection) or not dbapi_connection.autocommit:
        return
    if not conn.connection.info.get(_LAZY_BEGIN):
        return  # autocommit asked for by the engine
    if conn.get_execution_options().get("isolation_level"):
        return  # a level asked for by the caller, "AUTOCOMMIT" included
    streamed = isinstance(cursor, ServerCursor)  # DECLARE needs a transaction
    if (streamed or needs_transaction(statement)) and _is_idle(dbapi_connection):
        dbapi_connection.execute("BEGIN", prepare=False)


@lru_cache(maxsize=4096)
def needs_transaction(statement: str) -> bool:
    """Whether a statement must run inside a transaction: anything but a plain
    read. Unrecognised statements count as writes (a spare BEGIN costs a round
    trip; a write outside a transaction would lose atomicity)."""
    return not _READ_ONLY.match(statement) or bool(_WRITES_OR_LOCKS.search(statement))
