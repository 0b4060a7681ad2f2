"""Shared fixtures: a configured app per test on an emptied database, clients signed in
as a given user, a frozen clock, query counting, and lazy loads that fail loudly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, raiseload

from lms import create_app
from lms.extensions import db
from tests import pgcluster

CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
USE_POSTGRES = os.environ.get("LMS_TEST_DB") == "postgresql"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if not USE_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    if os.environ.get("LMS_TEST_DATABASE_URL"):
        yield os.environ["LMS_TEST_DATABASE_URL"]
        return
    if not pgcluster.available():
        pytest.exit(
            "LMS_TEST_DB=postgresql but PostgreSQL (initdb) is not installed", 2
        )
    cluster = pgcluster.Cluster().start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


def make_config(database_url: str, tmp_path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PARAMS": CHEAP_ARGON2,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "lms.test",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "CONTENT_COURSES_DIR": str(tmp_path / "no-courses"),
        "CONTENT_QUIZZES_DIR": str(tmp_path / "no-quizzes"),
    }
    config.update(overrides)
    return config


_schema_ready: set[str] = set()


def _ensure_schema(app) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url not in _schema_ready:
        with app.app_context():
            db.drop_all()
            db.create_all()
        _schema_ready.add(url)


def _empty_all_tables(app) -> None:
    with app.app_context():
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def app_config_overrides() -> dict:
    """Override in a test module to change settings for its tests."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config_overrides):
    app = create_app(make_config(database_url, tmp_path, **app_config_overrides))
    _ensure_schema(app)
    yield app
    _empty_all_tables(app)


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(app):
    """login(user) -> a test client whose session belongs to that user."""

    def _login(user):
        # Works with a user from a closed app context too: reload it by identity.
        from lms.users.models import User

        state = sa.inspect(user)
        if state.detached:
            with app.app_context():
                session_id = db.session.get(User, state.identity[0]).get_id()
        else:
            session_id = user.get_id()
        c = app.test_client()
        with c.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        return c

    return _login


@pytest.fixture(autouse=True)
def _lazy_loads_raise(request):
    """Relationships not loaded explicitly raise instead of emitting SQL (N+1 guard)."""
    if request.node.get_closest_marker("allow_lazy"):
        yield
        return

    def add_raiseload(state):
        if (
            state.is_select
            and not state.is_column_load
            and not state.is_relationship_load
        ):
            state.statement = state.statement.options(raiseload("*", sql_only=True))

    sa.event.listen(Session, "do_orm_execute", add_raiseload)
    yield
    sa.event.remove(Session, "do_orm_execute", add_raiseload)


class FrozenClock:
    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when


@pytest.fixture
def clock(monkeypatch) -> FrozenClock:
    """Freeze lms.clock.now at a known instant; tests move it with clock.advance()."""
    frozen = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    monkeypatch.setattr("lms.clock.now", frozen)
    return frozen


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """with count_queries() as q: ...; q.count is the number of SQL statements run."""

    @contextmanager
    def _count():
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):
            if (
                not statement.lstrip()
                .upper()
                .startswith(("PRAGMA", "SAVEPOINT", "RELEASE"))
            ):
                counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return _count
