"""`flask backup` and `flask restore`: a backup taken while the app serves and
people keep being added is one consistent moment, and restoring it into a fresh
database gives that moment back — integrity check passed, every table holding
the rows the backup counted. On the PostgreSQL run the same drill goes through
pg_dump and pg_restore."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.ops import backup
from lms.users.models import User
from tests import factories
from tests.api.live import quiz_takers, serve
from tests.conftest import USE_POSTGRES
from tests.drills.databases import app_on, fresh_database
from tests.drills.savers import Saver, join_all, problems, start_all, wait_for_acks

pytestmark = pytest.mark.skipif(
    USE_POSTGRES and backup.pg_tool("pg_dump") is None, reason="pg_dump not installed"
)


class PeopleAdder:
    """Adds people one commit at a time until stopped: writes during the backup."""

    def __init__(self, app) -> None:
        self.app, self.added, self.stop, self.error = app, 0, threading.Event(), None
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    factories.user()
                    db.session.commit()
                    self.added += 1
        except BaseException as exc:
            self.error = exc

    def wait_for(self, count: int) -> None:
        while self.added < count and self.thread.is_alive():
            self.stop.wait(0.01)


def people(app) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        db.session.remove()
        return count


def test_a_backup_under_writes_restores_to_the_moment_it_was_taken(app, tmp_path):
    file = tmp_path / "academy.backup"
    with serve(app) as url:
        savers = [Saver(url, t, pause=0.01) for t in quiz_takers(app, url, 3)]
        threads = start_all(savers)
        adder = PeopleAdder(app)
        adder.thread.start()
        adder.wait_for(5)
        wait_for_acks(savers, 3)
        before = people(app)
        result = app.test_cli_runner().invoke(args=["backup", str(file)])
        after_backup = adder.added
        adder.wait_for(after_backup + 5)  # the app kept taking writes
        adder.stop.set()
        for saver in savers:
            saver.stop.set()
        adder.thread.join(timeout=30)
        join_all(threads)
    assert result.exit_code == 0, result.output
    assert adder.error is None and not problems(savers)
    recorded = json.loads(backup.manifest_path(file).read_text())["tables"]
    assert before <= recorded["user"] < people(app)  # a moment mid-stream
    assert recorded["response"] > 0 and recorded["attempt"] == 3

    with fresh_database(app, tmp_path) as fresh_url:
        fresh = app_on(fresh_url, tmp_path / "fresh")
        restored = fresh.test_cli_runner().invoke(args=["restore", str(file), "--yes"])
        assert restored.exit_code == 0, restored.output
        with fresh.app_context():
            counts = backup.row_counts(db.session.connection())
            if not USE_POSTGRES:
                (ok,) = db.session.execute(sa.text("PRAGMA integrity_check")).one()
                assert ok == "ok"
            db.session.remove()
            db.engine.dispose()

    assert counts == recorded
    if not USE_POSTGRES:
        with closing(sqlite3.connect(file)) as copy:  # the file itself, counted again
            assert backup.sqlite_row_counts(copy) == recorded
