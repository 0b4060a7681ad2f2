"""Real servers for sign-in limit tests: gunicorn with two worker processes, and
Redis (Debian's redis-server) on free loopback ports.

Without redis-server the Redis tests are skipped, unless LMS_REQUIRE_REDIS=1
(as in CI), which makes a missing server a failure.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    began = time.monotonic()
    while time.monotonic() - began < START_SECONDS:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen within {START_SECONDS} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed"
        if os.environ.get("LMS_REQUIRE_REDIS") == "1":
            pytest.fail(message + " (LMS_REQUIRE_REDIS=1)")
        pytest.skip(message)
    port = free_port()
    command = [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", str(tmp_path),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@contextmanager
def gunicorn(database_url: str, tmp_path: Path, **settings: str) -> Iterator[int]:
    """gunicorn serving wsgi:app with 2 workers; `settings` become LMS_* variables.
    Yields the port."""
    port = free_port()
    env = {
        **os.environ,
        "LMS_DATABASE_URL": database_url,
        "LMS_SECRET_KEY": "live-test-secret",
        "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "LMS_WTF_CSRF_ENABLED": "false",
        "LMS_PASSWORD_HASH_PARAMS": '{"time_cost": 1, "memory_cost": 8, "parallelism": 1}',
        "PYTHONPATH": str(PROJECT_ROOT),
        **{f"LMS_{key}": value for key, value in settings.items()},
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:lms.serving",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )
    try:
        _wait_for_port(port, process, "gunicorn")
        yield port
    finally:
        _stop(process)
        log.close()


def post_login(port: int, email: str, password: str) -> int:
    """One sign-in on a fresh connection (so the two workers share the load)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            "/login",
            body=urlencode({"email": email, "password": password}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()
