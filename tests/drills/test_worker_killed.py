"""A gunicorn worker killed with SIGKILL in the middle of a burst of saves: the
learners' clients send again what got no answer, as the browser does, the master
starts a new worker, and every save that was acknowledged is in the database."""

from __future__ import annotations

import os
import signal

from tests.api.live import quiz_takers
from tests.auth.live_servers import gunicorn
from tests.drills import processes
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

TAKERS = 16
SAVES = 12


def test_every_acknowledged_save_survives_a_worker_killed_mid_burst(
    app, database_url, tmp_path, monkeypatch
):
    args, pid_file = processes.pid_file_args(tmp_path)
    monkeypatch.setenv("GUNICORN_CMD_ARGS", args)
    with gunicorn(database_url, tmp_path, **processes.UNLIMITED_SAVES) as port:
        url = f"http://127.0.0.1:{port}"
        savers = [Saver(url, t, saves=SAVES) for t in quiz_takers(app, url, TAKERS)]
        before = processes.workers(pid_file)
        threads = start_all(savers)
        wait_for_acks(savers, TAKERS * 2)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        acked_at_kill = acknowledged(savers)
        join_all(threads)
        after = processes.workers(pid_file)

    assert acked_at_kill < TAKERS * SAVES  # the kill came mid-burst
    assert victim not in after and len(after) == 2  # the master replaced it
    assert not problems(savers)
    assert acknowledged(savers) == TAKERS * SAVES
    assert unstored(app, savers) == []
    assert statuses(savers)[500] == 0
