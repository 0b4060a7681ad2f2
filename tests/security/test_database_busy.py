"""A database that stays locked (or a PostgreSQL lock, conflict or lost connection)
is "busy, try again": 503 with Retry-After, never a 500; health answers fast."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest
import sqlalchemy as sa

from lms import create_app, errors
from lms.extensions import db
from tests import factories
from tests.api.live import call, quiz_takers, save_body, save_path, serve
from tests.conftest import make_config


@pytest.fixture
def db_file(tmp_path):
    return tmp_path / "busy.sqlite"


@pytest.fixture
def app_config_overrides(db_file):
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
        "SQLITE_BUSY_TIMEOUT_MS": 300,
        "SERVER_NAME": None,
    }


@contextmanager
def write_locked(path):
    """Another program holds SQLite's write lock (as a backup or a stuck job would)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_save_while_the_database_stays_locked_is_503_with_retry_after(app, db_file):
    with serve(app) as url:
        (taker,) = quiz_takers(app, url, 1)
        with write_locked(db_file):
            busy = call(
                url, "PUT", save_path(taker), save_body(taker, 1), token=taker.token
            )
        after = call(
            url, "PUT", save_path(taker), save_body(taker, 2), token=taker.token
        )

    assert busy.status == 503
    assert busy.json()["error"] == "busy"
    assert int(busy.headers["retry-after"]) >= 1
    assert after.status == 200


def test_a_page_while_the_database_stays_locked_is_a_friendly_503(app, db_file):
    with app.app_context():
        factories.user(email="asha@example.test")
        db.session.commit()
    client = app.test_client()
    with write_locked(db_file):
        response = client.post(
            "/login",
            data={"email": "asha@example.test", "password": factories.PASSWORD},
        )

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "busy" in page and "try again" in page
    assert "Something went wrong" not in page


def test_health_answers_within_a_second_locked_or_not(tmp_path):
    path = tmp_path / "health.sqlite"
    app = create_app(make_config(f"sqlite:///{path}", tmp_path, SERVER_NAME=None))
    with app.app_context():
        db.create_all()
    with serve(app) as url:
        free = call(url, "GET", "/api/v1/health")
        with write_locked(path):
            locked = call(url, "GET", "/api/v1/health")
    with app.app_context():
        db.engine.dispose()

    assert free.status == 200 and free.seconds < 1
    assert locked.status == 503 and locked.seconds < 1
    assert locked.json()["error"] == "busy"
    assert locked.headers["retry-after"]


def _operational(orig: Exception, invalidated: bool = False) -> sa.exc.DBAPIError:
    return sa.exc.OperationalError(
        "UPDATE attempt ...", {}, orig, connection_invalidated=invalidated
    )


@pytest.mark.parametrize(
    "exc",
    [
        _operational(sqlite3.OperationalError("database is locked")),
        _operational(sqlite3.OperationalError("database table is locked")),
        _operational(psycopg.errors.LockNotAvailable("lock timeout")),
        _operational(psycopg.errors.SerializationFailure("could not serialize")),
        _operational(psycopg.errors.DeadlockDetected("deadlock detected")),
        _operational(psycopg.errors.AdminShutdown("terminating connection")),
        _operational(psycopg.OperationalError("server closed the connection"), True),
        sa.exc.TimeoutError("QueuePool limit reached"),
    ],
    ids=lambda e: type(getattr(e, "orig", e)).__name__,
)
def test_locks_conflicts_and_lost_connections_are_busy(exc):
    assert errors.is_busy(exc)


@pytest.mark.parametrize(
    "exc",
    [
        _operational(sqlite3.OperationalError("no such table: attempt")),
        sa.exc.IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE")),
        _operational(psycopg.errors.UndefinedColumn("column x does not exist")),
    ],
    ids=lambda e: type(e.orig).__name__,
)
def test_other_database_errors_are_not_busy(exc):
    assert not errors.is_busy(exc)


def test_an_error_page_for_a_busy_database_is_not_logged_as_a_crash(app, caplog):
    @app.get("/_busy_probe")
    def _busy_probe():
        raise _operational(sqlite3.OperationalError("database is locked"))

    started = time.perf_counter()
    response = app.test_client().get("/_busy_probe")

    assert response.status_code == 503
    assert time.perf_counter() - started < 1
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_saves_queued_behind_a_stuck_writer_give_up_early(tmp_path):
    """The first save waits SQLite's whole busy timeout on the lock; the saves
    queued behind it answer 503 once it is plainly stuck, freeing their threads."""
    path = tmp_path / "stuck.sqlite"
    app = create_app(
        make_config(
            f"sqlite:///{path}", tmp_path, SERVER_NAME=None, SQLITE_BUSY_TIMEOUT_MS=6000
        )
    )
    with app.app_context():
        db.create_all()
    results = {}
    with serve(app) as url:
        takers = quiz_takers(app, url, 3)

        def save(taker):
            results[taker.attempt_id] = call(
                url, "PUT", save_path(taker), save_body(taker, 1), token=taker.token
            )

        with write_locked(path):
            first = threading.Thread(target=save, args=(takers[0],))
            first.start()
            time.sleep(0.3)  # the first save holds the turn, waiting on the lock
            queued = [threading.Thread(target=save, args=(t,)) for t in takers[1:]]
            for thread in queued:
                thread.start()
            for thread in [first, *queued]:
                thread.join(timeout=30)
    with app.app_context():
        db.engine.dispose()

    stuck, *behind = (results[t.attempt_id] for t in takers)
    assert stuck.status == 503 and stuck.seconds >= 5
    assert [r.status for r in behind] == [503, 503]
    assert all(r.seconds < 3 for r in behind), [r.seconds for r in behind]
