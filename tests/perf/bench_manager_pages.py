"""Benchmark: the manager's pages and exports on a 10,000-person organisation with
1,000,000 finished attempts.

Run from the repository root (make bench runs it with the others)::

    python -m tests.perf.bench_manager_pages [--people 10000] [--attempts 1000000]
    LMS_BENCH_DB=postgresql python -m tests.perf.bench_manager_pages

What happens:

1. A fresh database (a SQLite file, or with LMS_BENCH_DB=postgresql a
   throwaway PostgreSQL cluster), migrated, with the bundled content and
   `flask seed scale` (people in teams of about 50 with their managers). A
   second, ten times smaller organisation (same attempts per person) is loaded
   beside it for the memory comparison.
2. gunicorn serves wsgi:app as `make run` does (2 workers × 4 threads); the
   first team's manager and an admin sign in.
3. Server time, one request at a time after a warm-up: the team dashboard of a
   50-person team (/reports/team), the person page of each member in turn
   (/people/<id>: first views, not one page seen again), the coverage
   question (/reports/coverage) and the CSV export of one team's results.
4. Throughput of the dashboard and of the hello-world GET /api/v1/live with
   the same clients, and their ratio.
5. Peak memory of full-organisation exports (admin: everyone): the skill
   matrix as CSV and XLSX and every result as CSV, each in a fresh process
   reading the whole download; peak resident memory above the process's
   resident memory before the download (/proc VmHWM after clear_refs), at the
   large and at the small organisation. Flat: the large one's peak at most
   1.25 × the small one's + 10 MB.

Targets: dashboard and person page p95 < 150 ms; exports' memory flat.
Prints figures and PASS/FAIL lines; exits 1 on a FAIL. Not a pytest test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from tests.perf.bench_quiz_burst import (
    PROJECT_ROOT,
    Http,
    describe,
    free_port,
    percentile,
    start_gunicorn,
    stop,
    throughput,
)

TARGET_P95_S = 0.150
LATENCY_REQUESTS = 40
EXPORT_REQUESTS = 5
FLAT_FACTOR, FLAT_SLACK_MB = 1.25, 10.0
ADMIN_PASSWORD = "quiet harbour forty-seven lanterns"
SECRET = "bench-secret"  # as start_gunicorn gives the server
ADMIN_EMAIL = "bench.admin@scale.test"
MEMORY_EXPORTS = (("matrix", "csv"), ("matrix", "xlsx"), ("results", "csv"))


def flask(url: str, tmp: Path, *args: str) -> str:
    env = {
        **os.environ,
        "LMS_DATABASE_URL": url,
        "LMS_SECRET_KEY": SECRET,
        "LMS_INSTANCE_PATH": str(tmp / "instance"),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def load(url: str, tmp: Path, people: int, attempts: int) -> float:
    began = time.monotonic()
    flask(url, tmp, "db", "upgrade")
    flask(url, tmp, "content", "import")
    flask(
        url, tmp, "seed", "scale", "--people", str(people), "--attempts", str(attempts)
    )
    add_admin(url, tmp)
    return time.monotonic() - began


def _app(url: str, tmp: Path):
    from lms import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "INSTANCE_PATH": str(tmp),
        }
    )


def add_admin(url: str, tmp: Path) -> None:
    """The scale data has managers and learners; the whole-organisation exports
    need an admin."""
    from lms.extensions import db
    from lms.users import services

    with _app(url, tmp / "instance").app_context():
        services.create_user(
            email=ADMIN_EMAIL, name="Bench Admin", password=ADMIN_PASSWORD, role="admin"
        )
        db.session.commit()


def session_cookie(url: str, tmp: Path, email: str) -> str:
    """A signed-in session cookie for `email`, made with the server's secret key
    (signing in through the form would measure password hashing and meet the
    sign-in throttle)."""
    import sqlalchemy as sa

    from lms.extensions import db
    from lms.users.models import User

    app = _app(url, tmp / "instance")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        value = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user.get_id(), "_fresh": True}
        )
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def subjects(url: str, tmp: Path) -> dict:
    """The first team's id, manager and a member, and the most held skill."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        team_id, manager_id = conn.execute(
            sa.text("SELECT id, manager_id FROM team WHERE name = 'Scale team 0001'")
        ).one()
        manager = conn.execute(
            sa.text('SELECT email FROM "user" WHERE id = :id'), {"id": manager_id}
        ).scalar_one()
        members = (
            conn.execute(
                sa.text('SELECT id FROM "user" WHERE team_id = :t ORDER BY id'),
                {"t": team_id},
            )
            .scalars()
            .all()
        )
        skill = conn.execute(
            sa.text(
                "SELECT skill_id FROM user_skill GROUP BY skill_id "
                "ORDER BY count(*) DESC, skill_id LIMIT 1"
            )
        ).scalar_one()
    engine.dispose()
    return {"team": team_id, "manager": manager, "size": len(members),
            "people": members, "skill": skill}  # fmt: skip


def latency(port: int, paths: str | list[str], cookie: str, n: int) -> list[float]:
    """n requests one at a time after three warm-ups; a list of paths is taken in
    turn (each person's page once: first views, not one page seen again)."""
    client = Http(port)
    headers = {"Cookie": cookie}
    paths = [paths] if isinstance(paths, str) else paths
    for _ in range(3):
        reply = client.call("GET", paths[0], headers=headers)
        if reply.status != 200:
            raise RuntimeError(f"GET {paths[0]} answered {reply.status}")
    seconds = []
    for number in range(n):
        path = paths[number % len(paths)]
        reply = client.call("GET", path, headers=headers)
        if reply.status != 200:
            raise RuntimeError(f"GET {path} answered {reply.status}")
        seconds.append(reply.seconds)
    client.close()
    return seconds


# --- memory of a whole download, in a process of its own ------------------------------


def measure_export(url: str, tmp: str, kind: str, fmt: str) -> dict:
    """Run in a child process: the admin's full-organisation download, read to the
    end; the peak resident memory above what the process held just before."""
    import sqlalchemy as sa

    from lms import create_app
    from lms.extensions import db
    from lms.users.models import User

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tmp}
    )
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.email == ADMIN_EMAIL))
        session_id = admin.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    # Warm up: imports, templates, a small download of the same kind.
    warm = client.get(f"/reports/exports/{kind}.{fmt}?team=1", buffered=True)
    assert warm.status_code == 200, warm.status_code
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM)
    before = _status_kb("VmRSS")
    began = time.monotonic()
    response = client.get(f"/reports/exports/{kind}.{fmt}")
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    seconds = time.monotonic() - began
    peak = _status_kb("VmHWM")
    return {"peak_mb": (peak - before) / 1024, "seconds": seconds, "bytes": size,
            "status": response.status_code}  # fmt: skip


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def export_memory(url: str, tmp: Path, kind: str, fmt: str) -> dict:
    command = [sys.executable, "-m", "tests.perf.bench_manager_pages",
               "--measure-export", url, str(tmp / "instance"), kind, fmt]  # fmt: skip
    out = subprocess.run(
        command, cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the run --------------------------------------------------------------------------


def databases(
    kind: str, tmp: Path, stack: ExitStack, keep: bool
) -> tuple[str, str, bool]:
    """(large, small) database urls, and whether they hold data loaded earlier
    (`keep`: the files, or the PostgreSQL cluster, stay in `tmp` for next time)."""
    if kind == "postgresql":
        from tests import pgcluster

        if not pgcluster.available():
            raise SystemExit("LMS_BENCH_DB=postgresql but PostgreSQL is not installed")
        cluster = pgcluster.Cluster(tmp / "postgresql" if keep else None)
        loaded = keep and (cluster.dir / "loaded").exists()
        cluster.start()
        stack.callback(cluster.stop)
        small = sa_url_beside(cluster.url, "bench_small")
        if keep and not loaded:
            _create_database(cluster.url, "bench_small")  # kept for next time
            stack.callback(_mark_loaded, cluster.dir)  # once both are loaded
        elif not keep:
            small = stack.enter_context(
                pgcluster.database_beside(cluster.url, "bench_small")
            )
        return cluster.url, small, loaded
    large, small = tmp / "large.sqlite", tmp / "small.sqlite"
    return f"sqlite:///{large}", f"sqlite:///{small}", keep and large.exists()


def sa_url_beside(url: str, name: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def _create_database(url: str, name: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def _mark_loaded(folder: Path) -> None:
    (folder / "loaded").touch()


def run(people: int, attempts: int, db_kind: str, data: Path | None = None) -> int:
    tmp = data or Path(tempfile.mkdtemp(prefix="lms-bench-"))
    small_people = max(people // 10, 2)
    small_attempts = attempts // 10
    checks: list[tuple[str, bool]] = []
    with ExitStack() as stack:
        if data is None:
            stack.callback(shutil.rmtree, tmp, True)
        large_url, small_url, reuse = databases(db_kind, tmp, stack, data is not None)
        if reuse:
            print(f"Database: {db_kind}, the data already loaded in {tmp}")
            flask(large_url, tmp, "db", "upgrade")  # newer migrations, if any
            flask(small_url, tmp / "small", "db", "upgrade")
        else:
            print(f"Database: {db_kind}; {people:,} people, {attempts:,} attempts")
            print(f"  loaded in {load(large_url, tmp, people, attempts):.0f} s")
            print(f"  and {small_people:,} people, {small_attempts:,} to compare")
            seconds = load(small_url, tmp / "small", small_people, small_attempts)
            print(f"  loaded in {seconds:.0f} s")
        who = subjects(large_url, tmp)
        port = free_port()
        process = start_gunicorn(port, large_url, tmp)
        stack.callback(stop, process)
        manager = session_cookie(large_url, tmp, who["manager"])

        pages = {
            f"team dashboard ({who['size']} people)": f"/reports/team?team={who['team']}",
            # Every member's page in turn: mostly first views.
            "person page": [f"/people/{person}" for person in who["people"]],
            "coverage question": f"/reports/coverage?skill={who['skill']}&level=3",
        }
        print("\nServer time, one request at a time")
        timings = {}
        for name, path in pages.items():
            timings[name] = latency(port, path, manager, LATENCY_REQUESTS)
            print(f"  {name:<32} {describe(timings[name])}")
        export_path = f"/reports/exports/results.csv?team={who['team']}"
        team_export = latency(port, export_path, manager, EXPORT_REQUESTS)
        print(f"  {'CSV export, one team results':<32} {describe(team_export)}")

        dashboard = pages[next(iter(pages))]
        hello_rps, _ = throughput(port, "/api/v1/live", {})
        dash_rps, bad = throughput(port, dashboard, {"Cookie": manager})
        ratio = dash_rps / hello_rps if hello_rps else 0.0
        print(f"\nThroughput: dashboard {dash_rps:.1f} req/s, hello-world "
              f"{hello_rps:.1f} req/s, ratio {ratio:.2f} ({bad} non-200)")  # fmt: skip
        stop(process)

        print("\nPeak memory of full-organisation exports (above the process's own)")
        for kind, fmt in MEMORY_EXPORTS:
            big = export_memory(large_url, tmp, kind, fmt)
            small = export_memory(small_url, tmp / "small", kind, fmt)
            print(f"  {kind} {fmt.upper():<5} {people:>7,} people: {big['peak_mb']:6.1f} MB "
                  f"in {big['seconds']:5.1f} s ({big['bytes'] / 1e6:.1f} MB file); "
                  f"{small_people:,} people: {small['peak_mb']:6.1f} MB "
                  f"in {small['seconds']:5.1f} s")  # fmt: skip
            flat = big["peak_mb"] <= FLAT_FACTOR * small["peak_mb"] + FLAT_SLACK_MB
            checks.append((f"{kind} {fmt.upper()} export memory flat", flat))

    named = list(timings)
    checks[:0] = [
        (f"{named[0]} p95 < {TARGET_P95_S * 1000:.0f} ms",
         percentile(timings[named[0]], 0.95) < TARGET_P95_S),
        (f"person page p95 < {TARGET_P95_S * 1000:.0f} ms",
         percentile(timings["person page"], 0.95) < TARGET_P95_S),
    ]  # fmt: skip
    print()
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _, ok in checks) else 1


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure-export":
        print(json.dumps(measure_export(*sys.argv[2:6])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument(
        "--data",
        type=Path,
        help="keep the loaded data here (SQLite files or a PostgreSQL cluster) "
        "and reuse it next time",
    )
    args = parser.parse_args()
    db_kind = (
        "postgresql" if os.environ.get("LMS_BENCH_DB") == "postgresql" else "sqlite"
    )
    if args.data:
        args.data.mkdir(parents=True, exist_ok=True)
    return run(max(args.people, 20), max(args.attempts, 0), db_kind, args.data)


if __name__ == "__main__":
    sys.exit(main())
