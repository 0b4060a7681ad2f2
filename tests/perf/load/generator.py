"""The load generator: locust used as a library, in a process of its own.

    python -m tests.perf.load.generator --host http://127.0.0.1:PORT \\
        --plan plan.json --journal saves.jsonl --out result.json \\
        --users 1000 --ramp 120 --hold 300 [--server-pid PID ...]

Its own process because importing locust patches the standard library for
gevent, which the benchmark runner and pytest must not get. It ramps the
learners (tests/perf/load/learner.py) up at users/ramp a second, waits until
all have signed in (at most twice the ramp and a minute), holds them for
`hold` seconds, then stops them and writes result.json:

* latency of each request group (page, form, sign-in, autosave, submit) and of
  each request name, during the hold only (the steady state);
* requests per second during the hold;
* every failure, in the ramp and in the hold, by request and reason;
* CPU during the hold: the server's process trees (gunicorn, the database), this
  generator, the whole machine (cpu.Meter), and the load average.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import gevent
from locust.env import Environment

from tests.perf.load.cpu import Meter
from tests.perf.load.learner import Learner
from tests.perf.load.world import Plan

STOP_SECONDS = 30
SIGN_IN_SPARE_S = 60


class Recorder:
    """Every request's time and outcome, by phase (ramp or hold)."""

    def __init__(self) -> None:
        self.phase = "ramp"
        self.times: dict[str, list[float]] = {}
        self.failures: Counter = Counter()
        self.hold_requests = 0

    def on_request(self, name, response_time, exception=None, **_kw) -> None:
        if exception is not None:
            reason = str(exception).split("\n")[0][:160]
            self.failures[(self.phase, name, reason)] += 1
        if self.phase != "hold":
            return
        self.hold_requests += 1
        self.times.setdefault(name, []).append(response_time)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (the value at or above q of the samples)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 0.50),
        "p95_ms": percentile(values, 0.95),
        "p99_ms": percentile(values, 0.99),
        "max_ms": max(values) if values else float("nan"),
    }


def run(args: argparse.Namespace) -> dict:
    with Path(args.journal).open("a", buffering=1) as journal:
        return _run(args, journal)


def _run(args: argparse.Namespace, journal) -> dict:
    plan = Plan.load(Path(args.plan))
    user = type(
        "BenchLearner",
        (Learner,),
        {"plan": plan, "journal": journal, "pace": args.pace},
    )
    env = Environment(user_classes=[user], host=args.host)
    recorder = Recorder()
    env.events.request.add_listener(recorder.on_request)
    runner = env.create_local_runner()
    meter = Meter(args.server_pid)

    began = time.monotonic()
    runner.start(args.users, spawn_rate=args.users / max(args.ramp, 0.1))
    gevent.sleep(args.ramp)
    # The steady state starts when every learner has signed in, not when the last
    # one was started: a queue of sign-ins is the ramp's, not the hold's.
    give_up = began + 2 * args.ramp + SIGN_IN_SPARE_S
    while Learner.signed_in < args.users and time.monotonic() < give_up:
        gevent.sleep(0.5)
    reached = Learner.signed_in
    ramped = time.monotonic() - began
    recorder.phase = "hold"
    meter.start()
    gevent.sleep(args.hold)
    cpu = meter.stop()
    recorder.phase = "stop"
    runner.stop()
    runner.greenlet.join(timeout=STOP_SECONDS)

    groups: dict[str, list[float]] = {}
    for name, values in recorder.times.items():
        groups.setdefault(name.split(":")[0], []).extend(values)
    # What the learner waits for on a page: reading it, or the form post before it.
    pages = groups.get("page", []) + groups.get("form", [])
    return {
        "users": args.users,
        "users_reached": reached,
        "ramp_s": args.ramp,
        "ramp_took_s": ramped,
        "hold_s": args.hold,
        "pace": args.pace,
        "requests_per_s": recorder.hold_requests / args.hold if args.hold else 0.0,
        "targets": {
            "pages": summary(pages),
            "autosave": summary(groups.get("autosave", [])),
        },
        "groups": {g: summary(v) for g, v in sorted(groups.items())},
        "names": {n: summary(v) for n, v in sorted(recorder.times.items())},
        "failures": [
            {"phase": p, "name": n, "reason": r, "count": c}
            for (p, n, r), c in recorder.failures.most_common()
        ],
        "cpu": cpu,
        "exceptions": [
            {"count": e["count"], "message": e["msg"][:300]}
            for e in runner.exceptions.values()
        ],
        "generator_cpu_warning": runner.cpu_warning_emitted,
    }


def allow_sockets(users: int) -> None:
    """One connection per learner, and some to spare."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * users + 256
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--journal", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--ramp", type=float, required=True)
    parser.add_argument("--hold", type=float, required=True)
    parser.add_argument("--pace", type=float, default=1.0)
    parser.add_argument("--first-learner", type=int, default=0)
    parser.add_argument("--server-pid", type=int, action="append", default=[])
    args = parser.parse_args(argv)
    Learner.numbers = iter(range(args.first_learner, sys.maxsize))
    allow_sockets(args.users)
    result = run(args)
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
