"""Benchmark: 200 learners submit a quiz within one second of its deadline.

Run from the repository root (make bench runs it with the others)::

    python -m tests.perf.bench_quiz_burst [--learners 200] [--questions 20]
    LMS_BENCH_DB=postgresql python -m tests.perf.bench_quiz_burst

What happens, all on the loopback interface, and all of it bounded in time:

1. A fresh database: a SQLite file (WAL), or with LMS_BENCH_DB=postgresql a
   throwaway PostgreSQL cluster (tests/pgcluster.py). 200 learners with
   personal API tokens, a quiz of 20 questions whose close time is the
   deadline of every attempt, and one reader with a live attempt.
2. gunicorn serves wsgi:app as `make run` does (lms/serving.py: 2 workers ×
   4 threads) on a free port.
3. Throughput: the quiz take page (/attempts/<id>, session cookie, an attempt
   in progress), the hello-world GET /api/v1/live (a string, no database) and
   the health check GET /api/v1/health (which also asks the database), 3 s
   each with 8 clients after a 1 s warm-up of each, in three interleaved
   rounds of 1 s; the page's ratio to each is the median of the rounds'
   ratios, so a moment of interference on the machine spoils one round, not
   the figure (it once halved a single 3 s hello-world measure).
4. Start burst (perf-security-anchors P5): 200 starts released together.
5. Every learner saves answers to all but the last question (2 saves).
6. Deadline burst (P4): at close − 1 s all 200 threads are released together;
   each saves its final answer, then submits.
7. Reconciliation: every acknowledged answer must equal the stored response,
   and every attempt must be submitted with a result.

Targets: the deadline burst (P4, tightened) with no 5xx, no lost answer,
save+submit p95 ≤ 1.5 s and max ≤ 10 s; the take page at ≥ 0.25× the
hello-world's requests per second in the same run (its ratio to the health
check is printed too: earlier figures were against that). Prints a summary and PASS/FAIL
lines; exits 1 on a FAIL. Not a pytest test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from lms import serving

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKERS, THREADS = serving.workers, serving.threads  # as `make run` serves
TARGET_P95_S, TARGET_MAX_S = 1.5, 10.0
TARGET_PAGE_RATIO = 0.25  # take page req/s ÷ hello-world req/s
HTTP_TIMEOUT_S = 60
PHASE_TIMEOUT_S = 180
THROUGHPUT_SECONDS, THROUGHPUT_CLIENTS = 3.0, 8
THROUGHPUT_ROUNDS = 3  # interleaved; the ratio is the median of the rounds' ratios
WARM_UP_SECONDS = 1.0
# Time between the start burst and the close time: enough for every save.
CLOSE_AFTER_START_S = 20
CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
READER_PASSWORD = "bench reader password"


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float
    headers: http.client.HTTPMessage | None = None

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class Http:
    """One keep-alive connection; retries once when the server dropped it (every
    call it makes is idempotent: start resumes, saves carry a seq, submit repeats)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=HTTP_TIMEOUT_S
        )

    def call(
        self, method: str, path: str, body: Any = None, headers=None, form=None
    ) -> Reply:
        data, sent = None, dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        elif form is not None:
            data = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        for retry in (False, True):
            try:
                self.conn.request(method, path, body=data, headers=sent)
                response = self.conn.getresponse()
                payload = response.read()
                return Reply(
                    response.status, payload, time.perf_counter() - began, response.msg
                )
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.conn.close()
                if retry:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def describe(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"p50 {percentile(values, 0.5) * 1000:7.1f} ms  "
        f"p95 {percentile(values, 0.95) * 1000:7.1f} ms  "
        f"max {max(values) * 1000:7.1f} ms  (n={len(values)})"
    )


def in_threads(
    n: int, work: Callable[[int], None], gate: threading.Barrier | None = None
) -> None:
    """Run work(i) in n threads; `gate` (a Barrier of n) releases them together."""
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            if gate is not None:
                gate.wait(timeout=PHASE_TIMEOUT_S)
            work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + PHASE_TIMEOUT_S
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError("a benchmark thread did not finish in time")
    if errors:
        raise errors[0]


# --------------------------------------------------------------------------
# Data and server
# --------------------------------------------------------------------------


@dataclass
class Learner:
    token: str
    attempt_id: int | None = None
    items: list[dict] = field(default_factory=list)
    acked: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    app: Any
    learners: list[Learner]
    reader_email: str
    reader_token: str
    close_quiz_id: int


def answer_for(item: dict, variant: int) -> Any:
    """A well-formed answer; `variant` makes learners differ."""
    kind = item["type"]
    if kind == "single":
        return item["choices"][variant % len(item["choices"])]["id"]
    if kind == "multiple":
        return [c["id"] for c in item["choices"][: 1 + variant % len(item["choices"])]]
    if kind == "truefalse":
        return variant % 2 == 0
    if kind == "ordering":
        ids = [i["id"] for i in item["items"]]
        return ids[variant % len(ids) :] + ids[: variant % len(ids)]
    return f"{1000 + variant}.50"


def seed(database_url: str, tmp: Path, learners: int, questions: int) -> World:
    from lms import create_app
    from lms.auth import tokens
    from lms.extensions import db
    from tests import factories

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(tmp / "instance"),
            "PASSWORD_HASH_PARAMS": CHEAP_HASH,
        }
    )
    with app.app_context():
        db.create_all()
        quiz = factories.quiz(
            questions,
            slug="burst-quiz",
            title="Deadline burst quiz",
            time_limit_seconds=3600,
            settings={"questions_per_page": 5, "grace_seconds": 30},
        )
        factories.quiz(
            questions, slug="page-quiz", title="Page quiz", time_limit_seconds=3600
        )
        people = []
        for n in range(learners):
            user = factories.user(email=f"learner{n}@bench.test")
            people.append(Learner(token=tokens.create_token(user, "bench")[1]))
        reader = factories.user(email="reader@bench.test", password=READER_PASSWORD)
        reader_token = tokens.create_token(reader, "bench")[1]
        db.session.commit()
        return World(app, people, reader.email, reader_token, quiz.id)


def set_close(world: World, seconds_from_now: float) -> None:
    from lms import clock
    from lms.attempts.models import Assessment
    from lms.extensions import db

    with world.app.app_context():
        quiz = db.session.get(Assessment, world.close_quiz_id)
        quiz.close_at = clock.now() + timedelta(seconds=seconds_from_now)
        db.session.commit()


def start_gunicorn(port: int, database_url: str, tmp: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "LMS_DATABASE_URL": database_url,
        "LMS_SECRET_KEY": "bench-secret",
        "LMS_INSTANCE_PATH": str(tmp / "instance"),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    log = (tmp / "gunicorn.log").open("wb")
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:lms.serving",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "--graceful-timeout", "5", "wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )
    began = time.monotonic()
    while time.monotonic() - began < 30:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {tmp / 'gunicorn.log'}")
        try:
            if Http(port).call("GET", "/api/v1/health").status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# --------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: dict[str, list[float]] = {}
        self.statuses: dict[str, Counter] = {}

    def add(self, phase: str, reply: Reply, seconds: float | None = None) -> None:
        with self.lock:
            self.seconds.setdefault(phase, []).append(
                reply.seconds if seconds is None else seconds
            )
            self.statuses.setdefault(phase, Counter())[reply.status] += 1

    def count(self, predicate: Callable[[int], bool]) -> int:
        return sum(
            n for c in self.statuses.values() for s, n in c.items() if predicate(s)
        )


def sign_in(port: int, email: str, password: str) -> str:
    """The reader signs in through the login form; returns the Cookie header."""
    client = Http(port)
    page = client.call("GET", "/login")
    cookie = SimpleCookie(page.headers.get("Set-Cookie", ""))
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.body)[1]
    jar = "; ".join(f"{k}={v.value}" for k, v in cookie.items())
    reply = client.call(
        "POST",
        "/login",
        form={
            "csrf_token": token.decode(),
            "email": email,
            "password": password,
            "next": "",
        },
        headers={"Cookie": jar},
    )
    if reply.status != 302:
        raise RuntimeError(f"reader sign-in failed: {reply.status}")
    cookie = SimpleCookie(reply.headers.get("Set-Cookie", ""))
    return "; ".join(f"{k}={v.value}" for k, v in cookie.items())


def throughput(
    port: int, path: str, headers: dict[str, str], seconds: float = THROUGHPUT_SECONDS
) -> tuple[float, int]:
    """Requests per second over `seconds` with THROUGHPUT_CLIENTS clients."""
    done, bad, lock = [0], [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def work(_i: int) -> None:
        client, n, errors = Http(port), 0, 0
        while time.monotonic() < stop_at:
            reply = client.call("GET", path, headers=headers)
            n += 1
            errors += reply.status != 200
        client.close()
        with lock:
            done[0] += n
            bad[0] += errors

    in_threads(THROUGHPUT_CLIENTS, work)
    return done[0] / seconds, bad[0]


def measure_pages(port: int, world: World) -> dict[str, float]:
    cookie = sign_in(port, world.reader_email, READER_PASSWORD)
    started = Http(port).call(
        "POST",
        "/api/v1/assessments/page-quiz/attempts",
        headers=bearer(world.reader_token),
    )
    page = f"/attempts/{started.json()['id']}"
    check = Http(port).call("GET", page, headers={"Cookie": cookie})
    if check.status != 200 or b'id="attempt"' not in check.body:
        raise RuntimeError(f"the take page did not render: {check.status}")
    # Every call once through every worker and thread before measuring any
    # (templates compiled, statements cached, connections open).
    calls = {
        "page": (page, {"Cookie": cookie}),
        "hello": ("/api/v1/live", {}),
        "health": ("/api/v1/health", {}),
    }
    for path, headers in calls.values():
        throughput(port, path, headers, WARM_UP_SECONDS)
    seconds = THROUGHPUT_SECONDS / THROUGHPUT_ROUNDS
    rounds = [
        {name: throughput(port, *call, seconds) for name, call in calls.items()}
        for _ in range(THROUGHPUT_ROUNDS)
    ]

    def median_of(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    def rate(r: dict, name: str) -> float:
        return r[name][0]

    def ratio_to(name: str) -> list[float]:
        return [
            rate(r, "page") / rate(r, name) if rate(r, name) else float("nan")
            for r in rounds
        ]

    return {
        **{f"{name}_rps": median_of([rate(r, name) for r in rounds]) for name in calls},
        "ratio": median_of(ratio_to("hello")),
        "ratios": ratio_to("hello"),
        "health_ratio": median_of(ratio_to("health")),
        "errors": sum(errors for r in rounds for _, errors in r.values()),
    }


def start_burst(port: int, world: World, tally: Tally) -> float:
    """Everyone starts at once; returns the monotonic time of the shared deadline."""
    deadlines: list[float] = []
    clients = [Http(port) for _ in world.learners]

    def work(i: int) -> None:
        learner = world.learners[i]
        reply = clients[i].call(
            "POST",
            "/api/v1/assessments/burst-quiz/attempts",
            headers=bearer(learner.token),
        )
        tally.add("start", reply)
        if reply.status in (200, 201):
            body = reply.json()
            learner.attempt_id, learner.items = body["id"], body["items"]
            deadlines.append(time.monotonic() + body["remaining_ms"] / 1000)

    in_threads(len(world.learners), work, threading.Barrier(len(world.learners)))
    for client in clients:
        client.close()
    if not deadlines:
        raise RuntimeError("no attempt started")
    return min(deadlines)


def save(
    client: Http, learner: Learner, seq: int, answers: dict, tally: Tally, phase: str
):
    reply = client.call(
        "PUT",
        f"/api/v1/attempts/{learner.attempt_id}/responses",
        body={"seq": seq, "responses": answers},
        headers=bearer(learner.token),
    )
    tally.add(phase, reply)
    if reply.status == 200:
        learner.acked.update(answers)
    return reply


def answer_phase(port: int, world: World, tally: Tally) -> None:
    def work(i: int) -> None:
        learner = world.learners[i]
        if learner.attempt_id is None:
            return
        client = Http(port)
        early = learner.items[:-1]
        half = len(early) // 2
        for seq, chunk in ((1, early[:half]), (2, early[half:])):
            save(
                client,
                learner,
                seq,
                {it["id"]: answer_for(it, i) for it in chunk},
                tally,
                "save",
            )
        client.close()

    in_threads(len(world.learners), work)


def deadline_burst(port: int, world: World, tally: Tally, deadline: float) -> None:
    clients = [Http(port) for _ in world.learners]
    release = threading.Event()

    def work(i: int) -> None:
        learner = world.learners[i]
        release.wait(timeout=PHASE_TIMEOUT_S)
        if learner.attempt_id is None:
            return
        last = learner.items[-1]
        began = time.perf_counter()
        saved = save(
            clients[i],
            learner,
            3,
            {last["id"]: answer_for(last, i)},
            tally,
            "final save",
        )
        submitted = clients[i].call(
            "POST",
            f"/api/v1/attempts/{learner.attempt_id}/submit",
            headers=bearer(learner.token),
        )
        tally.add("submit", submitted)
        pair = Reply(
            max(saved.status, submitted.status), b"", time.perf_counter() - began
        )
        tally.add("save+submit", pair)

    def releaser() -> None:
        time.sleep(max(0.0, deadline - 1.0 - time.monotonic()))
        release.set()

    timer = threading.Thread(target=releaser, daemon=True)
    timer.start()
    in_threads(len(world.learners), work)
    timer.join(5)
    for client in clients:
        client.close()


def reconcile(world: World) -> dict[str, int]:
    import sqlalchemy as sa

    from lms.attempts.models import Attempt, Response
    from lms.extensions import db

    with world.app.app_context():
        stored = {
            (row.attempt_id, row.item_id): row.value
            for row in db.session.execute(
                sa.select(Response.attempt_id, Response.item_id, Response.value)
            )
        }
        attempts = db.session.execute(
            sa.select(Attempt.id, Attempt.state, Attempt.result.is_not(None)).where(
                Attempt.assessment_id == world.close_quiz_id
            )
        ).all()
    acked = sum(len(learner.acked) for learner in world.learners)
    lost = sum(
        1
        for learner in world.learners
        for item_id, value in learner.acked.items()
        if stored.get((learner.attempt_id, item_id), object()) != value
    )
    return {
        "acknowledged": acked,
        "lost": lost,
        "attempts": len(attempts),
        "finalised": sum(1 for a in attempts if a.state == "submitted" and a[2]),
    }


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def database(kind: str, tmp: Path):
    """(url, cleanup) for a fresh database of the requested kind."""
    if kind == "postgresql":
        from tests import pgcluster

        if not pgcluster.available():
            raise SystemExit("LMS_BENCH_DB=postgresql but PostgreSQL is not installed")
        cluster = pgcluster.Cluster().start()
        return cluster.url, cluster.stop
    return f"sqlite:///{tmp / 'bench.sqlite'}", lambda: None


def run(learners: int, questions: int, db_kind: str) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    url, cleanup = database(db_kind, tmp)
    process = None
    try:
        world = seed(url, tmp, learners, questions)
        port = free_port()
        process = start_gunicorn(port, url, tmp)
        pages = measure_pages(port, world)
        tally = Tally()
        set_close(world, CLOSE_AFTER_START_S)
        deadline = start_burst(port, world, tally)
        answer_phase(port, world, tally)
        deadline_burst(port, world, tally, deadline)
        counts = reconcile(world)
        code = report(db_kind, learners, questions, pages, tally, counts)
        if code:
            print_server_log(tmp)
        return code
    except Exception:
        print_server_log(tmp)
        raise
    finally:
        if process is not None:
            stop(process)
        cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


def print_server_log(tmp: Path) -> None:
    log = tmp / "gunicorn.log"
    if log.exists() and log.stat().st_size:
        print("--- server log (last 6000 characters) ---", file=sys.stderr)
        print(log.read_text(errors="replace")[-6000:], file=sys.stderr)


def report(db_kind, learners, questions, pages, tally: Tally, counts) -> int:
    server_errors = tally.count(lambda s: s >= 500)
    pair = tally.seconds.get("save+submit", [])
    print(
        f"Quiz deadline burst: {db_kind}, gunicorn {WORKERS} workers × {THREADS} threads, "
        f"{learners} learners, {questions} questions"
    )
    for phase in ("start", "save", "final save", "submit", "save+submit"):
        statuses = dict(sorted(tally.statuses.get(phase, Counter()).items()))
        print(
            f"  {phase:<12} {describe(tally.seconds.get(phase, []))}  status {statuses}"
        )
    print(
        f"  take page {pages['page_rps']:8.1f} req/s, hello-world {pages['hello_rps']:8.1f} req/s: "
        f"ratio {pages['ratio']:.3f} (rounds {', '.join(f'{r:.3f}' for r in pages['ratios'])}); "
        f"health {pages['health_rps']:8.1f} req/s: ratio {pages['health_ratio']:.3f} "
        f"({THROUGHPUT_CLIENTS} clients, {THROUGHPUT_ROUNDS} rounds of "
        f"{THROUGHPUT_SECONDS / THROUGHPUT_ROUNDS:.0f} s each, medians)"
    )
    print(
        f"  answers acknowledged {counts['acknowledged']}, lost {counts['lost']}; "
        f"attempts finalised {counts['finalised']} of {counts['attempts']}; 5xx {server_errors}"
    )
    checks = [
        ("no 5xx", server_errors == 0 and pages["errors"] == 0),
        ("no lost answers", counts["lost"] == 0),
        (
            "every attempt finalised once",
            counts["finalised"] == counts["attempts"] == learners,
        ),
        (
            f"save+submit p95 ≤ {TARGET_P95_S:g} s",
            bool(pair) and percentile(pair, 0.95) <= TARGET_P95_S,
        ),
        (
            f"save+submit max ≤ {TARGET_MAX_S:g} s",
            bool(pair) and max(pair) <= TARGET_MAX_S,
        ),
        (
            f"take page ≥ {TARGET_PAGE_RATIO:g}× hello-world req/s",
            pages["ratio"] >= TARGET_PAGE_RATIO,
        ),
    ]
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _, ok in checks) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    db_kind = (
        "postgresql" if os.environ.get("LMS_BENCH_DB") == "postgresql" else "sqlite"
    )
    return run(max(args.learners, 1), max(args.questions, 2), db_kind)


if __name__ == "__main__":
    sys.exit(main())
