"""The learners' load test in small, in every suite run (SQLite, and PostgreSQL
under LMS_TEST_DB=postgresql): 30 learners against gunicorn for 30 s, each
signing in through the login form, reading modules, taking a quiz and a 10-key
test with autosaves and submitting, at five times a person's pace.

It asserts what must hold on any machine, however loaded: every response is the
one the browser expects, and every save and submit the server acknowledged is in
the database afterwards. It never asserts timing (tests/perf/bench_load.py
measures that).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import pgcluster
from tests.conftest import USE_POSTGRES, WORKER
from tests.perf.bench_load import run_generator
from tests.perf.load import world

LEARNERS, RAMP_S, HOLD_S = 30, 5, 30
PACE = 0.2  # think times and the autosave interval at a fifth: more rounds in 30 s


@pytest.fixture
def load_database(tmp_path, request) -> Iterator[world.Database]:
    """A database of its own: the server under load runs in other processes."""
    if not USE_POSTGRES:
        yield world.database("sqlite", tmp_path)
        return
    server_url = request.getfixturevalue("database_url")
    with pgcluster.database_beside(server_url, f"lms_load_{WORKER or 'main'}") as url:
        yield world.Database(url, lambda: None, list)


def test_learners_under_load_get_every_answer_stored(load_database, tmp_path):
    world.prepare(load_database.url, tmp_path, LEARNERS).save(tmp_path / "plan.json")
    server = world.serve(load_database.url, tmp_path)
    try:
        result = run_generator(
            server, load_database, tmp_path, LEARNERS, RAMP_S, HOLD_S, pace=PACE
        )
    finally:
        server.stop()

    log = server.tail()
    assert result["users_reached"] == LEARNERS
    assert result["failures"] == [], log
    assert result["exceptions"] == [], log
    saved = result["reconciliation"]
    # Every part of a learner's round was reached…
    assert saved["answers_acknowledged"] > 0, saved
    assert saved["keystroke_chunks_acknowledged"] > 0, saved
    assert saved["submits_acknowledged"] > 0, saved
    # …and nothing acknowledged went missing.
    assert saved["answers_lost"] == 0, saved
    assert saved["keystroke_chunks_lost"] == 0, saved
    assert saved["submits_not_finalised"] == 0, saved
