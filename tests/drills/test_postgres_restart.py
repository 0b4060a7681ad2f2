"""PostgreSQL restarted in the middle of a session (an immediate stop, as a crash
would, then a start) while learners keep saving through gunicorn. During the
outage saves and the health check answer 503 JSON with Retry-After, never 500;
afterwards the same workers (no app restart) take saves again, and every
acknowledged save is in the database. A second restart while nobody is saving
shows that the next saves do not fail on the connections it broke (the pool
tests them first). Runs on the PostgreSQL run only."""

from __future__ import annotations

import shlex
import subprocess
import time

import pytest
import sqlalchemy as sa

from lms import create_app
from lms.extensions import db
from tests import pgcluster
from tests.api.live import call, quiz_takers, save_path
from tests.auth.live_servers import gunicorn
from tests.conftest import USE_POSTGRES, make_config
from tests.drills import processes
from tests.drills.databases import dispose
from tests.drills.savers import (
    Saver,
    acknowledged,
    join_all,
    problems,
    save_body,
    start_all,
    statuses,
    unstored,
    wait_for_acks,
)

pytestmark = pytest.mark.skipif(not USE_POSTGRES, reason="a PostgreSQL restart")

TAKERS = 6
OUTAGE_SECONDS = 2.0


class RestartableCluster(pgcluster.Cluster):
    """The throwaway cluster, stopped and started again on the same data with the
    options it was first started with (kept by PostgreSQL in postmaster.opts)."""

    def start(self) -> RestartableCluster:
        super().start()
        admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # The suite's clusters trade durability for speed; a crash drill must
            # not lose commits the server acknowledged.
            conn.exec_driver_sql("ALTER ROLE lms SET synchronous_commit = on")
        admin.dispose()
        self.options = self._options()
        return self

    def _options(self) -> str:
        words = shlex.split((self.dir / "data" / "postmaster.opts").read_text())[1:]
        at = words.index("-D")
        return shlex.join(words[:at] + words[at + 2 :])

    def pg_ctl(self, *args: str) -> None:
        command = [pgcluster.pg_bin("pg_ctl"), "-D", str(self.dir / "data"), *args]
        subprocess.run(
            pgcluster._as_postgres(command),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def crash(self) -> None:
        self.pg_ctl("-m", "immediate", "stop")

    def start_again(self) -> None:
        log = str(self.dir / "log")
        self.pg_ctl("-o", self.options, "-w", "-l", log, "start")
        self._wait()


@pytest.fixture
def cluster():
    if not pgcluster.available():
        pytest.skip("PostgreSQL is not installed")
    own = RestartableCluster().start()
    try:
        yield own
    finally:
        own.stop()


@pytest.fixture
def pg_app(cluster, tmp_path):
    app = create_app(make_config(cluster.url, tmp_path, SERVER_NAME=None))
    with app.app_context():
        db.create_all()
    yield app
    dispose(app)


def test_saves_survive_a_postgresql_restart_and_the_app_recovers_by_itself(
    cluster, pg_app, tmp_path, monkeypatch
):
    args, pid_file = processes.pid_file_args(tmp_path)
    monkeypatch.setenv("GUNICORN_CMD_ARGS", args)
    with gunicorn(cluster.url, tmp_path, **processes.UNLIMITED_SAVES) as port:
        url = f"http://127.0.0.1:{port}"
        probe, *takers = quiz_takers(pg_app, url, TAKERS + 1)
        savers = [Saver(url, t, pause=0.05) for t in takers]
        workers = processes.workers(pid_file)
        threads = start_all(savers)
        wait_for_acks(savers, 2 * TAKERS)
        cluster.crash()
        try:
            during = [
                call(url, "PUT", save_path(probe), save_body(probe, 1), probe.token),
                call(url, "GET", "/api/v1/health"),
            ]
            time.sleep(OUTAGE_SECONDS)
        finally:
            cluster.start_again()
        back_at = acknowledged(savers)
        wait_for_acks(savers, back_at + 2 * TAKERS)
        health = call(url, "GET", "/api/v1/health")
        for saver in savers:
            saver.stop.set()
        join_all(threads)
        workers_after = processes.workers(pid_file)
        # A restart between two requests: pooled connections are tested before
        # use, so the next saves succeed at once instead of failing on them.
        cluster.crash()
        cluster.start_again()
        quiet_restart = [
            call(url, "PUT", save_path(probe), save_body(probe, seq), probe.token)
            for seq in range(2, 10)
        ]

    assert [r.status for r in during] == [503, 503]
    assert all(r.json()["error"] == "busy" for r in during)
    assert all(r.headers.get("retry-after") for r in during)
    assert during[1].seconds < 1
    assert health.status == 200
    assert workers_after == workers  # recovered without restarting the app
    assert [r.status for r in quiet_restart] == [200] * len(quiet_restart)
    seen = statuses(savers)
    assert seen[500] == 0, seen
    assert not problems(savers)
    dispose(pg_app)  # its pooled connections died with the server
    assert unstored(pg_app, savers) == []
