"""gunicorn as the drills see it: its master's pid (from a pid file asked for
through GUNICORN_CMD_ARGS) and the worker processes it has forked."""

from __future__ import annotations

import time
from pathlib import Path

# gunicorn settings for drills whose learners save as fast as the machine allows,
# which would pass the API's per-token rate limit.
UNLIMITED_SAVES = {"API_RATE_LIMIT": "100000 per minute"}


def pid_file_args(tmp_path: Path) -> tuple[str, Path]:
    """GUNICORN_CMD_ARGS asking gunicorn to write its master's pid (and to stop
    within a few seconds at the end of a drill), and the pid file."""
    path = tmp_path / "gunicorn.pid"
    return f"--pid {path} --graceful-timeout 3", path


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        parent = int(text.rpartition(")")[2].split()[1])
        if parent == pid:
            found.add(int(stat.parent.name))
    return found


def workers(pid_file: Path, count: int = 2, seconds: float = 30) -> set[int]:
    """The master's worker pids once `count` of them run (bounded wait)."""
    deadline = time.monotonic() + seconds
    while True:
        if pid_file.exists() and pid_file.read_text().strip():
            found = children(int(pid_file.read_text()))
            if len(found) == count:
                return found
        assert time.monotonic() < deadline, f"gunicorn had no {count} workers"
        time.sleep(0.1)
