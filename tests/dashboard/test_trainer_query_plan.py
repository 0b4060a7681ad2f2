"""A trainer's landing page lists the latest finished attempts on what they
review: it reads the attempts newest first through the (state, submitted_at)
index and stops after a page of them, instead of sorting every finished
attempt, so it stays fast with a million attempts."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.conftest import USE_POSTGRES
from tests.reports.test_query_plans import recorded


def latest_attempts_plan(app, statement: str, parameters) -> list[str]:
    with app.app_context(), db.engine.connect() as conn:
        if USE_POSTGRES:
            conn.exec_driver_sql("SET enable_seqscan = off")
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            lines = [row[0] for row in rows]
        else:
            rows = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            ).all()
            lines = [row[-1] for row in rows]
        conn.rollback()
    return lines


@pytest.fixture
def trainer_world(app):
    with app.app_context():
        trainer = factories.user(Role.TRAINER, name="Tara Trainer")
        quiz = factories.quiz(2, title="Lookups check", owner=trainer)
        for n in range(3):
            factories.quiz_attempt(factories.user(name=f"Learner {n}"), quiz)
        db.session.commit()
        return trainer


def test_latest_attempts_read_the_index_newest_first_without_sorting_them_all(
    app, login, trainer_world
):
    client = login(trainer_world)
    with recorded(app) as seen:
        html = client.get("/").get_data(as_text=True)
    assert "Lookups check" in html
    latest = [
        (s, p)
        for s, p in seen
        # Other people's attempts (the trainer's own list narrows by user_id).
        if "submitted_at DESC" in s and "attempt.user_id !=" in s
    ]
    assert latest, "the page lists no latest attempts"
    for statement, parameters in latest:
        plan = "\n".join(latest_attempts_plan(app, statement, parameters))
        assert "ix_attempt_state_submitted" in plan, plan
        if not USE_POSTGRES:
            assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
