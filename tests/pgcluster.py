"""A throwaway PostgreSQL cluster for the test run (PostgreSQL refuses to run as root,
so as root the cluster runs as the `postgres` system user). Under `pytest -n N` each
worker starts a cluster of its own, or gets a database of its own on a given server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True
    ):
        return str(candidate)
    return None


def available() -> bool:
    return pg_bin("initdb") is not None and pg_bin("pg_ctl") is not None


class Cluster:
    def __init__(self, keep_in: Path | None = None) -> None:
        """A throwaway cluster in a temporary folder, or with `keep_in` one kept in
        that folder: started again if it is there, stopped but never removed
        (benchmarks reuse their loaded data)."""
        self.keep = keep_in is not None
        if keep_in is not None:
            keep_in.mkdir(parents=True, exist_ok=True)
            self.dir = keep_in
        else:
            self.dir = Path(tempfile.mkdtemp(prefix="lms-pg-"))
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://lms@127.0.0.1:{self.port}/postgres"

    def start(self) -> Cluster:
        data = self.dir / "data"
        if not (self.keep and (data / "PG_VERSION").exists()):
            self._init(data)
        self._start(data)
        return self

    def _init(self, data: Path) -> None:
        subprocess.run(
            _as_postgres(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "lms",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _start(self, data: Path) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        subprocess.run(
            _as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-w",
                    "-l",
                    str(self.dir / "log"),
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()

    def _wait(self) -> None:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.dir / "data"),
                    "-m",
                    "fast" if self.keep else "immediate",
                    "stop",
                ]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def database_beside(url: str, name: str) -> Iterator[str]:
    """A new, empty database `name` on the server of `url`, dropped afterwards."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
