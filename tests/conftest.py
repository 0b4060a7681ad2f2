"""Shared fixtures: the app on a database emptied for every test, clients signed in
as a given user, worlds of test data built once per module, a frozen clock, query
counting, and lazy loads that fail loudly.

Speed matters here: most tests are a request or two, cheaper than building an app
(URL map, Jinja templates) or a world of users and courses. So tests share one app
(its config put back after each test) and a module's test world is built once, its
rows restored into the emptied tables for each later test. Each test still starts on
its own copy of the data: nothing one test writes is seen by the next.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy.orm import Session, raiseload

import lms.clock
from lms import create_app
from lms.extensions import db, limiter
from tests import pgcluster, snapshots

CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
USE_POSTGRES = os.environ.get("LMS_TEST_DB") == "postgresql"
MEMORY_FS = Path("/dev/shm")
WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0"… under pytest -n N

# Property tests: "ci" (the default when CI=true) replays the same examples on every
# run and keeps no example database; "dev" keeps Hypothesis' own defaults, with its
# database in the git-ignored .hypothesis/. HYPOTHESIS_PROFILE picks one by name.
# Tests that set max_examples themselves keep their own number under either.
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.register_profile("dev")
settings.load_profile(
    os.environ.get(
        "HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"
    )
)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if not USE_POSTGRES:
        with _scratch_dir(tmp_path_factory) as folder:
            yield f"sqlite:///{folder / 'test.sqlite'}"
        return
    if os.environ.get("LMS_TEST_DATABASE_URL"):
        url = os.environ["LMS_TEST_DATABASE_URL"]
        if WORKER is None:
            yield url
        else:  # parallel workers each need a database of their own
            with pgcluster.database_beside(url, f"lms_tests_{WORKER}") as own:
                yield own
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


@contextmanager
def _scratch_dir(tmp_path_factory) -> Iterator[Path]:
    """A folder in memory where there is one: every commit of the suite's SQLite
    database waits for its write to reach the disk, which tests do not need."""
    if not (MEMORY_FS.is_dir() and os.access(MEMORY_FS, os.W_OK)):
        yield tmp_path_factory.mktemp("db")
        return
    folder = Path(tempfile.mkdtemp(prefix="lms-tests-", dir=MEMORY_FS))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
    """Test modules that need an empty database mid-test call this."""
    snapshots.empty(app)


@pytest.fixture
def app_config_overrides() -> dict:
    """Override in a test module to change settings for its tests."""
    return {}


@pytest.fixture(scope="session")
def _shared_app(database_url, tmp_path_factory):
    """The app of every test without config overrides. Nothing in the app writes to
    its instance or content folders, so one empty folder serves every test."""
    app = create_app(make_config(database_url, tmp_path_factory.mktemp("shared")))
    _ensure_schema(app)
    app.extensions["tests.pristine_config"] = copy.deepcopy(dict(app.config))
    app.extensions["tests.worlds"] = {}
    yield app
    with app.app_context():
        db.engine.dispose()


def _reset_shared_state(app) -> None:
    """Undo what a test may have changed on the shared app or the extension singletons."""
    pristine = app.extensions["tests.pristine_config"]
    if app.config != pristine:
        app.config.clear()
        app.config.update(copy.deepcopy(pristine))
    # One limiter serves every app and the app built last switched it on or off:
    # switch it as building this app did.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


@pytest.fixture
def app(request, database_url, app_config_overrides):
    """The app under test; every table is empty when the test starts.

    Tests without `app_config_overrides` share one app, whose config is put back
    after each test (a test may set app.config[...] freely). A test with overrides
    gets an app of its own, built for that test."""
    if not app_config_overrides:
        shared = request.getfixturevalue("_shared_app")
        _reset_shared_state(shared)
        yield shared
        snapshots.empty(shared)
        _reset_shared_state(shared)
        return
    tmp_path = request.getfixturevalue("tmp_path")
    own = create_app(make_config(database_url, tmp_path, **app_config_overrides))
    _ensure_schema(own)
    yield own
    snapshots.empty(own)
    with own.app_context():
        db.engine.dispose()


@pytest.fixture
def build_once(request, app) -> Callable[..., Any]:
    """build_once(build, *args, key="") -> build(*args), building only once per module.

    The first test of a module that asks runs build() and keeps a copy of the rows it
    committed; later tests get those rows restored (same ids) into their emptied
    tables and a copy of the same result. build() must commit what it writes and
    return plain data (ids, slugs, session ids from `session_of`), never ORM
    objects. Pass a `key` when other arguments make the same build function write
    other data. A test with an app of its own, or whose tables already hold rows
    when it asks, simply runs build(); so does a different frozen time."""

    def _build_once(build: Callable[..., Any], *args: Any, key: str = "") -> Any:
        worlds = app.extensions.get("tests.worlds")
        if worlds is None or not snapshots.is_empty(app):
            return build(*args)
        frozen_at = getattr(lms.clock.now, "current", None)  # FrozenClock or None
        name = (request.module.__name__, build.__qualname__, key, frozen_at)
        if name in worlds:
            snapshot, result = worlds[name]
            snapshots.restore(app, snapshot)
        else:
            result = build(*args)
            worlds[name] = (snapshots.capture(app), copy.deepcopy(result))
        return copy.deepcopy(result)

    return _build_once


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


def session_of(user) -> str:
    """What a signed-in session stores for `user` (call in an app context)."""
    from lms.users.models import User

    state = sa.inspect(user)
    if state.detached:
        return db.session.get(User, state.identity[0]).get_id()
    return user.get_id()


def signed_in_client(app, session_id: str | None) -> FlaskClient:
    """A test client signed in with `session_id` (from session_of), or signed out."""
    client = app.test_client()
    if session_id is not None:
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
    return client


class Clients(dict):
    """Test clients per role, each made on first use from the role's session id."""

    def __init__(self, app, sessions: dict[str, str | None]) -> None:
        super().__init__()
        self._app = app
        self._sessions = sessions

    def __missing__(self, role: str) -> FlaskClient:
        client = self[role] = signed_in_client(self._app, self._sessions[role])
        return client


@pytest.fixture
def login(app):
    """login(user) -> a test client whose session belongs to that user."""

    def _login(user):
        # A user from a closed app context is reloaded by identity, in a new one.
        detached = sa.inspect(user).detached
        with app.app_context() if detached else nullcontext():
            return signed_in_client(app, session_of(user))

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
