"""`flask attempts expire`: the cron sweep."""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts import services
from lms.attempts.models import Attempt
from lms.extensions import db
from tests import factories


def test_expire_closes_overdue_attempts_and_prints_the_counts(app, runner, clock):
    with app.app_context():
        quiz = factories.quiz(2, time_limit_seconds=60)
        strict = factories.quiz(2, time_limit_seconds=60, on_expiry="abandon")
        for _ in range(3):
            services.start_attempt(factories.user(), quiz)
        services.start_attempt(factories.user(), strict)
        services.start_attempt(
            factories.user(), factories.quiz(2, time_limit_seconds=3600)
        )
        db.session.commit()
    clock.advance(seconds=60 + 31)

    result = runner.invoke(args=["attempts", "expire"])
    again = runner.invoke(args=["attempts", "expire"])

    assert result.exit_code == 0, result.output
    assert "3 submitted, 1 abandoned" in result.output
    assert "0 submitted, 0 abandoned" in again.output
    with app.app_context():
        states = db.session.scalars(sa.select(Attempt.state).order_by(Attempt.id)).all()
    assert states == ["submitted"] * 3 + ["abandoned", "in_progress"]


def test_expire_with_nothing_due(runner):
    result = runner.invoke(args=["attempts", "expire"])

    assert result.exit_code == 0
    assert "0 submitted, 0 abandoned (0 past their deadline checked)" in result.output
