"""Worlds restored from a snapshot are the worlds a fresh build gives: the same rows,
byte for byte, and the same ids for whatever a test adds next."""

from __future__ import annotations

import sqlalchemy as sa

from lms.extensions import db
from lms.users.models import Role, User
from tests import factories, snapshots


def _build(app) -> None:
    with app.app_context():
        manager = factories.user(Role.MANAGER)
        team = factories.team("Claims", manager=manager)  # team ⇄ manager cycle
        learner = factories.user(team=team)
        course = factories.course(owner=manager, modules=2)
        factories.completed(learner, course.modules[0])
        quiz = factories.quiz(3)
        factories.quiz_attempt(learner, quiz)
        db.session.commit()


def _raw_rows(app) -> dict[str, list]:
    with app.app_context(), db.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.text(f'SELECT * FROM "{t.name}" ORDER BY 1')).all()
            for t in db.metadata.sorted_tables
        }


def _next_user_id(app) -> int:
    with app.app_context():
        user = factories.user()
        db.session.commit()
        return user.id


def test_a_restored_world_has_the_rows_and_next_ids_of_a_fresh_build(app, clock):
    _build(app)
    built = _raw_rows(app)
    snapshot = snapshots.capture(app)
    next_id = _next_user_id(app)
    snapshots.empty(app)

    snapshots.restore(app, snapshot)

    assert _raw_rows(app) == built
    assert _next_user_id(app) == next_id
    assert {"team", "user", "course", "module", "attempt"} <= {
        name for name, rows in built.items() if rows
    }


def test_build_once_builds_in_the_first_test_only(app, clock, build_once):
    calls = []

    def build(app):
        calls.append(1)
        _build(app)
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(User))

    first = build_once(build, app, key="twice")
    rows = _raw_rows(app)
    snapshots.empty(app)
    second = build_once(build, app, key="twice")

    assert calls == [1]
    assert first == second == 2
    assert _raw_rows(app) == rows
