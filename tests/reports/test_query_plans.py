"""The team dashboard, the results list, the coverage question and the API
search attempts, skill evidence and skill levels through their indexes: the
plan of every statement those requests run against those tables shows no full
scan (SQLite: SEARCH, never SCAN; PostgreSQL with sequential scans discouraged:
no Seq Scan), so they stay fast with a million attempts.

A search that narrows only by something most rows share is a full scan in
disguise (every finished attempt has state "submitted"), so a SQLite SEARCH
must narrow by one of the selective keys listed for its table."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from lms.extensions import db
from tests.conftest import USE_POSTGRES

WATCHED = ("attempt", "skill_evidence", "user_skill")
SELECTIVE = {
    "attempt": {"rowid", "id", "user_id", "assessment_id"},
    "skill_evidence": {"rowid", "id", "user_id", "skill_id", "attempt_id"},
    "user_skill": {"rowid", "id", "user_id", "skill_id"},
}
BROAD_INDEXES = ("ix_attempt_state_deadline", "ix_attempt_state_submitted")
PAGES = [
    "/reports/team?team={claims}",
    "/reports/team?team={claims}&sort=-readiness",
    "/reports/team?team={claims}&sort=skill:{entry_slug}",
    "/reports/team/results?team={claims}",
    "/reports/team/results?team={claims}&assessment={test}&since=2026-02-01",
    "/reports/coverage?skill={entry}&level=1",
    "/api/v1/teams/{claims}/skill-matrix",
    "/people/{learner}",
    "/",
]


@contextmanager
def recorded(app):
    """Collect (statement, parameters) of every SELECT the app runs."""
    seen: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def touches_watched(statement: str) -> bool:
    return any(re.search(rf'\b"?{table}"?\b', statement) for table in WATCHED)


def _sqlite_broad(line: str) -> bool:
    """A SCAN of a watched table, or a SEARCH narrowing by no selective key."""
    scan = re.match(r"SCAN (?:TABLE )?(\w+)", line)
    if scan:
        return scan.group(1) in WATCHED
    search = re.match(r"SEARCH (?:TABLE )?(\w+) .*\((.*)\)", line)
    if not search or search.group(1) not in WATCHED:
        return False
    keys = set(re.findall(r"(\w+)\s*[=<>]", search.group(2)))
    return not keys & SELECTIVE[search.group(1)]


def _postgres_broad(line: str) -> bool:
    scan = re.search(r"Seq Scan on (\w+)", line)
    if scan:
        return scan.group(1) in WATCHED
    return any(f"using {index}" in line for index in BROAD_INDEXES)


def gather_statistics(app) -> None:
    """Plans are judged as a live database's planner would make them. PostgreSQL
    plans a never-analysed table from default guesses, under which every
    equality looks as selective as any other and the choice between two
    indexes is a coin toss (whether autovacuum had analysed the young table
    yet decided it); a live database has statistics, which say what the data
    says: nearly every attempt is "submitted". SQLite's planner keeps none."""
    if USE_POSTGRES:
        with app.app_context(), db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def full_scans(app, statement: str, parameters) -> list[str]:
    with app.app_context(), db.engine.connect() as conn:
        if USE_POSTGRES:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            lines, broad = [row[0] for row in plan], _postgres_broad
        else:
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            ).all()
            lines, broad = [row[-1] for row in plan], _sqlite_broad
        conn.rollback()
    return [line for line in lines if broad(line.strip())]


def _entry_slug(app, skill_id: int) -> str:
    from lms.skills.models import Skill

    with app.app_context():
        return db.session.get(Skill, skill_id).slug


@pytest.mark.parametrize("template", PAGES)
def test_no_full_scan_of_attempts_evidence_or_levels(app, world, template):
    ids = dict(world.ids, entry_slug=_entry_slug(app, world.ids["entry"]))
    client = world.client("manager")
    url = template.format(**ids)
    with recorded(app) as seen:
        assert client.get(url).status_code == 200
    watched = [(s, p) for s, p in seen if touches_watched(s)]
    assert watched, "the page reads none of the watched tables"
    gather_statistics(app)
    scans = {s: full_scans(app, s, p) for s, p in watched}
    assert {s: lines for s, lines in scans.items() if lines} == {}


def test_the_scan_finder_sees_a_scan(app, world):
    statement = "SELECT count(*) FROM attempt WHERE attempt.percent > 10"
    assert full_scans(app, statement, {} if USE_POSTGRES else ())


@pytest.mark.skipif(USE_POSTGRES, reason="SQLite's plan wording")
def test_a_search_by_state_alone_counts_as_a_scan():
    assert _sqlite_broad(
        "SEARCH attempt USING INDEX ix_attempt_state_deadline (state=?)"
    )
    assert not _sqlite_broad(
        "SEARCH attempt USING INDEX ix_attempt_user_assessment (user_id=?)"
    )
    assert not _sqlite_broad(
        "SEARCH user_skill USING INDEX ix_user_skill_skill_id (skill_id=?)"
    )
    assert not _sqlite_broad("SCAN skill")
