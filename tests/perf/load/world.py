"""The system under load and the checks after it.

* database(): a fresh SQLite file (the app opens it in WAL) or, with
  LMS_BENCH_DB=postgresql, a throwaway PostgreSQL cluster (tests/pgcluster.py);
* prepare(): migrated as `make setup` does, the bundled content imported, and N
  learners who sign in with a password hashed at the production parameters
  (argon2id at the OWASP minimum), so every sign-in costs what it costs in use;
* serve(): gunicorn serving wsgi:app on loopback as `make run` does (2 workers
  × 4 threads), with one setting of its own: the per-address sign-in limit is
  raised, since every simulated learner signs in from 127.0.0.1. The
  per-account back-off and every other default stay as they ship;
* reconcile(): every save the server acknowledged is in the database, and every
  acknowledged submit is finalised with a result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy as sa

from lms import serving
from tests.perf.bench_quiz_burst import PROJECT_ROOT, Http, free_port, stop

WORKERS, THREADS = serving.workers, serving.threads  # as `make run` serves
LEARNER_PASSWORD = "amber-ledger-harbour-twenty-seven"
SECRET = "load-bench-secret"
# One address signs in for every simulated learner; real learners each have their own.
BENCH_LOGIN_LIMIT = "1000000 per minute"
START_SECONDS = 60


@dataclass
class Plan:
    """What the simulated learners work on; the generator reads it from JSON."""

    emails: list[str]
    password: str
    courses: list[dict] = field(default_factory=list)  # {slug, modules: [ids]}
    quizzes: list[str] = field(default_factory=list)
    keying: list[str] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Plan:
        return cls(**json.loads(path.read_text()))


@dataclass
class Database:
    url: str
    cleanup: Callable[[], None]
    server_pids: Callable[[], list[int]]  # the database server's processes, if any


def database(kind: str, tmp: Path) -> Database:
    if kind == "postgresql":
        from tests import pgcluster

        if not pgcluster.available():
            raise SystemExit("LMS_BENCH_DB=postgresql but PostgreSQL is not installed")
        cluster = pgcluster.Cluster().start()
        pid_file = cluster.dir / "data" / "postmaster.pid"
        return Database(
            cluster.url,
            cluster.stop,
            lambda: [int(pid_file.read_text().split()[0])],
        )
    return Database(f"sqlite:///{tmp / 'load.sqlite'}", lambda: None, list)


def _env(url: str, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LMS_DATABASE_URL": url,
        "LMS_SECRET_KEY": SECRET,
        "LMS_INSTANCE_PATH": str(tmp / "instance"),
        "PYTHONPATH": str(PROJECT_ROOT),
    }


def prepare(url: str, tmp: Path, learners: int) -> Plan:
    """Migrate, import the bundled content, add the learners; the plan of the run.

    In a process of its own, configured from the environment as the server is."""
    command = [
        sys.executable,
        "-m",
        "tests.perf.load.world",
        url,
        str(tmp),
        str(learners),
    ]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=_env(url, tmp), capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"preparing the database failed:\n{done.stderr[-4000:]}")
    return Plan.load(tmp / "plan.json")


def _prepare_here(url: str, tmp: Path, learners: int) -> None:
    from lms import create_app

    app = create_app()
    cli = app.test_cli_runner()
    for args in (["db", "upgrade"], ["content", "import"]):
        outcome = cli.invoke(args=args)
        if outcome.exit_code:
            raise RuntimeError(f"flask {' '.join(args)}: {outcome.output}") from (
                outcome.exception
            )
    emails = [f"learner{n:05d}@load.test" for n in range(learners)]
    with app.app_context():
        _add_learners(emails)
    _plan(url, emails).save(tmp / "plan.json")


def _add_learners(emails: list[str]) -> None:
    """One hash for everyone (same password, its own salt once): hashing a thousand
    passwords at the production cost would take a minute and test nothing more."""
    from lms.auth.passwords import hash_password
    from lms.extensions import db
    from lms.users.models import Role, User

    password_hash = hash_password(LEARNER_PASSWORD)
    rows = [
        {
            "email": email,
            "name": f"Load Learner {n:05d}",
            "password_hash": password_hash,
            "role": Role.LEARNER,
        }
        for n, email in enumerate(emails)
    ]
    for start in range(0, len(rows), 500):
        db.session.execute(sa.insert(User), rows[start : start + 500])
    db.session.commit()
    db.engine.dispose()


def _plan(url: str, emails: list[str]) -> Plan:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        modules: dict[str, list[int]] = {}
        for slug, module_id in conn.execute(
            sa.text(
                "SELECT c.slug, m.id FROM course c JOIN module m ON m.course_id = c.id "
                "WHERE c.is_published AND m.is_active ORDER BY c.slug, m.position, m.id"
            )
        ):
            modules.setdefault(slug, []).append(module_id)
        published = conn.execute(
            sa.text(
                "SELECT slug, kind FROM assessment WHERE is_published ORDER BY slug"
            )
        ).all()
    engine.dispose()
    return Plan(
        emails=emails,
        password=LEARNER_PASSWORD,
        courses=[{"slug": s, "modules": ids} for s, ids in modules.items()],
        quizzes=[slug for slug, kind in published if kind == "quiz"],
        keying=[slug for slug, kind in published if kind == "ten_key"],
    )


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, characters: int = 6000) -> str:
        if not self.log.exists():
            return ""
        return self.log.read_text(errors="replace")[-characters:]

    def stop(self) -> None:
        stop(self.process)


def serve(url: str, tmp: Path) -> Server:
    port = free_port()
    log_path = tmp / "gunicorn.log"
    env = {**_env(url, tmp), "LMS_LOGIN_RATE_LIMIT": BENCH_LOGIN_LIMIT}
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:lms.serving",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "--graceful-timeout", "5", "wsgi:app",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
        )
    server = Server(process, port, log_path)
    began = time.monotonic()
    while time.monotonic() - began < START_SECONDS:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.tail()}")
        if _healthy(port):
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer within {START_SECONDS} s")


def _healthy(port: int) -> bool:
    client = Http(port)
    try:
        return client.call("GET", "/api/v1/health").status == 200
    except OSError:
        return False
    finally:
        client.close()


# --------------------------------------------------------------------------
# Reconciliation
# --------------------------------------------------------------------------


def read_journal(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def reconcile(url: str, journal: list[dict]) -> dict[str, int]:
    """Compare what the server acknowledged with what the database holds.

    The journal has a "save" line for every save sent (before it is sent), an
    "ack" line for each one the server acknowledged and a "submit" line for each
    acknowledged submit. An answer is lost when its acknowledged save is not what
    is stored and no later save of the same answer (acknowledged or not, as the
    run may stop while one is on its way) explains the difference;
    a keystroke chunk is lost when its acknowledged save's events are not stored
    in full; a submit is lost when its acknowledged attempt is not finalised.
    """
    saves = [r for r in journal if r["what"] == "save"]
    acked = {(r["attempt"], r["seq"]) for r in journal if r["what"] == "ack"}
    submits = {r["attempt"] for r in journal if r["what"] == "submit"}
    attempts = {r["attempt"] for r in saves} | submits
    stored, chunks, states = _stored(url, attempts)
    sent: dict[tuple[int, str], dict[int, object]] = {}
    for record in saves:
        for item, value in record["responses"].items():
            sent.setdefault((record["attempt"], item), {})[record["seq"]] = value
    lost_answers = lost_chunks = acked_answers = acked_chunks = 0
    for record in (r for r in saves if (r["attempt"], r["seq"]) in acked):
        for item, value in record["responses"].items():
            acked_answers += 1
            key = (record["attempt"], item)
            lost_answers += _answer_lost(
                stored.get(key), record["seq"], value, sent[key]
            )
        if record["events"]:
            acked_chunks += 1
            if chunks.get((record["attempt"], record["seq"])) != record["events"]:
                lost_chunks += 1
    not_finalised = sum(1 for a in submits if states.get(a) != ("submitted", True))
    return {
        "saves_sent": len(saves),
        "saves_acknowledged": len(acked),
        "answers_acknowledged": acked_answers,
        "answers_lost": lost_answers,
        "keystroke_chunks_acknowledged": acked_chunks,
        "keystroke_chunks_lost": lost_chunks,
        "submits_acknowledged": len(submits),
        "submits_not_finalised": not_finalised,
    }


def _answer_lost(row, seq: int, value, sent: dict[int, object]) -> bool:
    """Whether the stored (seq, value) of an answer fails its acknowledged save:
    missing or older, another value at the same seq, or a later value nobody sent."""
    if row is None or row[0] < seq:
        return True
    if row[0] == seq:
        return row[1] != value
    return sent.get(row[0], object()) != row[1]


def _stored(url: str, attempts: set[int]):
    from lms.attempts.models import Attempt, KeystrokeChunk, Response

    stored, chunks, states = {}, {}, {}
    ids = sorted(attempts)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            for row in conn.execute(
                sa.select(
                    Response.attempt_id, Response.item_id, Response.seq, Response.value
                ).where(Response.attempt_id.in_(batch))
            ):
                stored[(row.attempt_id, row.item_id)] = (row.seq, row.value)
            for row in conn.execute(
                sa.select(
                    KeystrokeChunk.attempt_id,
                    KeystrokeChunk.seq,
                    sa.func.json_array_length(KeystrokeChunk.events),
                ).where(KeystrokeChunk.attempt_id.in_(batch))
            ):
                chunks[(row[0], row[1])] = row[2]
            for row in conn.execute(
                sa.select(Attempt.id, Attempt.state, Attempt.result.is_not(None)).where(
                    Attempt.id.in_(batch)
                )
            ):
                states[row[0]] = (row[1], bool(row[2]))
    engine.dispose()
    return stored, chunks, states


if __name__ == "__main__":
    _prepare_here(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]))
