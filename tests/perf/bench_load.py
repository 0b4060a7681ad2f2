"""Benchmark: learners under load — 1,000 signed-in learners for 5 minutes.

Run from the repository root (make bench runs it with the others)::

    python -m tests.perf.bench_load [--users 1000] [--minutes 5] [--ramp 120]
    LMS_BENCH_DB=postgresql python -m tests.perf.bench_load
    python -m tests.perf.bench_load --find-max [--steps 100,250,500,1000] [--minutes 2]

What happens, all on the loopback interface:

1. A fresh database (tests/perf/load/world.py): a SQLite file in WAL, or with
   LMS_BENCH_DB=postgresql a throwaway PostgreSQL cluster; migrated, the
   bundled courses, quizzes and keying tests imported, and the learners, whose
   password is hashed at the production cost.
2. gunicorn serves wsgi:app as `make run` does: 2 workers × 4 threads. Its one
   bench setting raises the per-address sign-in limit (LMS_LOGIN_RATE_LIMIT),
   since every learner signs in from 127.0.0.1; the defaults are unchanged.
3. The load generator, locust in a process of its own (load/generator.py), ramps
   the learners up over --ramp seconds and holds them for --minutes. Each signs
   in through the login form, reads course modules, takes a quiz and a 10-key
   test with think time and an autosave every 10 s, and submits
   (load/learner.py).
4. Reconciliation: every save the server acknowledged is in the database, every
   acknowledged submit is finalised.

Targets, measured during the hold (the steady state): 0 failures (any response
other than the one the browser expects, ramp included), 0 lost saves or
submits, page p95 ≤ 300 ms (pages and form posts), autosave p95 ≤ 500 ms.
It prints the figures, the CPU the server and the generator used, the load
average at start and end, and PASS/FAIL per target; exits 1 on a FAIL.

--find-max steps the learner count (each step with new learners, on the same
server and database) and reports the highest count that holds the targets,
and what limits the next: the two cores' CPU, the SQLite writer, or the load
generator itself. Not a pytest test (tests/perf/test_load_smoke.py is).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.perf.load import world
from tests.perf.load.cpu import load_average

PAGE_P95_MS, AUTOSAVE_P95_MS = 300.0, 500.0
LOGINS_PER_SECOND = 8  # ramp speed of --find-max steps: sign-ins cost ~50 ms of CPU
GENERATOR_SPARE_S = 180
GENERATOR_BUSY, MACHINE_BUSY = 0.9, 0.9


def run_generator(
    server,
    db,
    tmp: Path,
    users: int,
    ramp: float,
    hold: float,
    first: int = 0,
    pace: float = 1.0,
) -> dict:
    """One run of the load generator; its result with the reconciliation."""
    journal, out = tmp / f"saves-{first}.jsonl", tmp / f"result-{first}.json"
    command = [
        sys.executable, "-m", "tests.perf.load.generator",
        "--host", server.host, "--plan", str(tmp / "plan.json"),
        "--journal", str(journal), "--out", str(out),
        "--users", str(users), "--ramp", str(ramp), "--hold", str(hold),
        "--first-learner", str(first), "--pace", str(pace),
        "--server-pid", str(server.process.pid),
    ]  # fmt: skip
    for pid in db.server_pids():
        command += ["--server-pid", str(pid)]
    subprocess.run(
        command,
        cwd=world.PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(world.PROJECT_ROOT)},
        check=True,
        timeout=3 * ramp + hold + GENERATOR_SPARE_S,
    )
    result = json.loads(out.read_text())
    result["reconciliation"] = world.reconcile(db.url, world.read_journal(journal))
    return result


def checks(result: dict) -> list[tuple[str, bool]]:
    rec, targets = result["reconciliation"], result["targets"]
    failures = sum(f["count"] for f in result["failures"])
    failures += sum(e["count"] for e in result["exceptions"])
    return [
        (
            f"{result['users']} learners signed in",
            result["users_reached"] == result["users"],
        ),
        ("no failures", failures == 0),
        (
            "no lost saves",
            rec["answers_lost"] == 0 and rec["keystroke_chunks_lost"] == 0,
        ),
        ("every acknowledged submit finalised", rec["submits_not_finalised"] == 0),
        (f"page p95 ≤ {PAGE_P95_MS:g} ms", targets["pages"]["p95_ms"] <= PAGE_P95_MS),
        (
            f"autosave p95 ≤ {AUTOSAVE_P95_MS:g} ms",
            targets["autosave"]["p95_ms"] <= AUTOSAVE_P95_MS,
        ),
    ]


def passed(result: dict) -> bool:
    return all(ok for _, ok in checks(result))


def limit(result: dict, db_kind: str) -> str:
    """What most likely stopped this step from holding the targets."""
    cpu = result["cpu"]
    if result["generator_cpu_warning"] or cpu["generator_cores"] >= GENERATOR_BUSY:
        return (
            f"the load generator: {cpu['generator_cores']:.2f} of its one core "
            "(locust runs on one core; more learners need more generator processes)"
        )
    shares = (
        f"server {cpu['server_cores']:.2f} cores, generator "
        f"{cpu['generator_cores']:.2f}, other processes "
        f"{cpu['other_cpu_s'] / cpu['seconds']:.2f}"
    )
    if cpu["machine_busy_share"] >= MACHINE_BUSY:
        return f"CPU: both cores {cpu['machine_busy_share']:.0%} busy ({shares})"
    autosave_slow = result["targets"]["autosave"]["p95_ms"] > AUTOSAVE_P95_MS
    pages_fast = result["targets"]["pages"]["p95_ms"] <= PAGE_P95_MS
    if db_kind == "sqlite" and autosave_slow and pages_fast:
        return f"the SQLite writer, one at a time: saves queue with CPU to spare ({shares})"
    return f"not CPU-bound ({cpu['machine_busy_share']:.0%} busy; {shares})"


def fmt(summary: dict) -> str:
    if not summary["n"]:
        return "no samples"
    return (
        f"p50 {summary['p50_ms']:7.1f} ms  p95 {summary['p95_ms']:7.1f} ms  "
        f"max {summary['max_ms']:8.1f} ms  (n={summary['n']})"
    )


def report(result: dict, db_kind: str) -> None:
    cpu, rec = result["cpu"], result["reconciliation"]
    print(
        f"Learners under load: {db_kind}, gunicorn {world.WORKERS} workers × "
        f"{world.THREADS} threads, {result['users']} learners "
        f"(ramp {result['ramp_s']:g} s, all signed in after "
        f"{result['ramp_took_s']:.0f} s, hold {result['hold_s']:g} s)"
    )
    print(
        f"  load average at start {cpu['load_at_start']}, at end {cpu['load_at_end']}"
    )
    for name, summary in result["names"].items():
        print(f"  {name:<26} {fmt(summary)}")
    print(f"  {'= pages and forms':<26} {fmt(result['targets']['pages'])}")
    print(f"  {'= autosave':<26} {fmt(result['targets']['autosave'])}")
    print(
        f"  {result['requests_per_s']:.1f} requests/s; CPU: server "
        f"{cpu['server_cores']:.2f} cores, generator {cpu['generator_cores']:.2f}, "
        f"other processes {cpu['other_cpu_s'] / cpu['seconds']:.2f}; machine "
        f"{cpu['machine_busy_share']:.0%} busy of {cpu['cores']} cores"
    )
    print(
        f"  saves acknowledged {rec['saves_acknowledged']} of {rec['saves_sent']} "
        f"({rec['answers_acknowledged']} answers, lost {rec['answers_lost']}; "
        f"{rec['keystroke_chunks_acknowledged']} keystroke chunks, lost "
        f"{rec['keystroke_chunks_lost']}); submits {rec['submits_acknowledged']}, "
        f"not finalised {rec['submits_not_finalised']}"
    )
    for failure in result["failures"][:15]:
        print(
            f"  failure ×{failure['count']} in the {failure['phase']}: "
            f"{failure['name']}: {failure['reason']}"
        )
    for exception in result["exceptions"][:5]:
        print(f"  error ×{exception['count']}: {exception['message']}")
    for name, ok in checks(result):
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


def find_max(server, db, tmp, steps, hold, db_kind, out: str | None) -> int:
    first, best, results = 0, 0, []
    for users in steps:
        ramp = max(10.0, users / LOGINS_PER_SECOND)
        result = run_generator(server, db, tmp, users, ramp, hold, first)
        first += users
        report(result, db_kind)
        results.append(result)
        if not passed(result):
            print(
                f"\n{users} learners do not hold the targets; the limit: "
                f"{limit(result, db_kind)}"
            )
            break
        best = users
    if out:
        Path(out).write_text(json.dumps(results, indent=1))
    print(
        f"\nHighest learner count that holds the targets: {best or 'none'} "
        f"(steps {', '.join(map(str, steps))}; {db_kind})"
    )
    return 0 if best == steps[-1] else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument(
        "--ramp",
        type=float,
        default=120.0,
        help="seconds to reach --users (every learner signs in)",
    )
    parser.add_argument("--find-max", action="store_true")
    parser.add_argument("--steps", default="100,250,500,1000")
    parser.add_argument("--out", help="write the figures as JSON to this file")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the SQLite database, the journal of saves and the server log",
    )
    args = parser.parse_args(argv)
    db_kind = (
        "postgresql" if os.environ.get("LMS_BENCH_DB") == "postgresql" else "sqlite"
    )
    steps = sorted({max(1, int(s)) for s in args.steps.split(",")})
    learners = sum(steps) if args.find_max else max(1, args.users)

    tmp = Path(tempfile.mkdtemp(prefix="lms-load-"))
    db = world.database(db_kind, tmp)
    server = None
    try:
        print(
            f"Preparing {learners} learners on {db_kind} (load average {load_average()})"
        )
        world.prepare(db.url, tmp, learners).save(tmp / "plan.json")
        server = world.serve(db.url, tmp)
        if args.find_max:
            hold = args.minutes * 60
            return find_max(server, db, tmp, steps, hold, db_kind, args.out)
        result = run_generator(
            server, db, tmp, learners, max(args.ramp, 0.1), args.minutes * 60
        )
        report(result, db_kind)
        if args.out:
            Path(args.out).write_text(json.dumps(result, indent=1))
        if not passed(result):
            print(f"  the limit: {limit(result, db_kind)}")
            print("--- server log (end) ---\n" + server.tail(3000), file=sys.stderr)
            return 1
        return 0
    finally:
        if server is not None:
            server.stop()
        db.cleanup()
        if args.keep:
            print(f"Kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
