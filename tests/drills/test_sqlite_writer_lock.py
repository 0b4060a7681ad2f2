"""A long SQLite writer lock: another program holds BEGIN IMMEDIATE for several
times the busy timeout while learners keep saving. Saves answer 503 with
Retry-After, the health check answers within a second, and once the lock is
released the clients' retried saves are all stored. (The single requests are in
tests/security/test_database_busy.py; this adds the crowd and the
reconciliation.)"""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.api.live import call, quiz_takers, serve
from tests.conftest import USE_POSTGRES
from tests.drills.savers import (
    Saver,
    acknowledged,
    join_all,
    problems,
    start_all,
    statuses,
    unstored,
    wait_for_acks,
)

pytestmark = pytest.mark.skipif(USE_POSTGRES, reason="a SQLite lock")

BUSY_TIMEOUT_MS = 300
HOLD_SECONDS = 2.5
TAKERS = 6


@pytest.fixture
def db_file(tmp_path):
    return tmp_path / "locked.sqlite"


@pytest.fixture
def app_config_overrides(db_file):
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
        "SQLITE_BUSY_TIMEOUT_MS": BUSY_TIMEOUT_MS,
        "SERVER_NAME": None,
    }


def test_saves_held_up_by_a_long_writer_lock_are_all_stored_after_it(app, db_file):
    with serve(app) as url:
        takers = quiz_takers(app, url, TAKERS)
        savers = [Saver(url, t, pause=0.05) for t in takers]
        threads = start_all(savers)
        wait_for_acks(savers, TAKERS)
        other = sqlite3.connect(db_file, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            health = []
            until = time.monotonic() + HOLD_SECONDS
            while time.monotonic() < until:
                health.append(call(url, "GET", "/api/v1/health"))
                time.sleep(0.5)
        finally:
            other.execute("ROLLBACK")
            other.close()
        released_at = acknowledged(savers)
        wait_for_acks(savers, released_at + 2 * TAKERS)  # saving again
        for saver in savers:
            saver.stop.set()
        join_all(threads)

    seen = statuses(savers)
    assert seen[503] > 0, seen  # the lock was felt
    assert seen[500] == 0, seen
    assert sum(s.busy_without_retry_after for s in savers) == 0
    assert [h.status for h in health] == [503] * len(health)
    assert max(h.seconds for h in health) < 1, [h.seconds for h in health]
    assert all(h.headers.get("retry-after") for h in health)
    assert not problems(savers)
    assert unstored(app, savers) == []
