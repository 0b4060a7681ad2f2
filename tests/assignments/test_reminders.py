"""The notification sweep's reminders (lms.assignments.reminders): due dates within
two days and attempts ending within ten minutes, each told once (patched clock)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.attempts import services as attempts
from lms.attempts.models import AssessmentAssignment
from lms.extensions import db
from lms.notifications import services, sweeps
from lms.notifications.models import Notification
from tests import factories


@pytest.fixture(autouse=True)
def _context(app_ctx, clock):
    return clock


def _messages(user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


# --- the sweep ---------------------------------------------------------------------


def _sweep(clock) -> dict[str, int]:
    counts = sweeps.run(clock.current)
    db.session.flush()
    return counts


def test_courses_due_within_two_days_and_not_done_are_reminded_once(clock):
    today = clock.current.date()  # 2 Mar 2026
    learner, finished, later = factories.user(), factories.user(), factories.user()
    course = factories.course(title="Invoice basics")
    factories.enrolment(learner, course, due_on=today + timedelta(days=2))
    done = factories.enrolment(finished, course, due_on=today)
    done.completed_at = clock.current
    factories.enrolment(later, course, due_on=today + timedelta(days=3))

    assert _sweep(clock)["courses due soon"] == 1
    assert _sweep(clock)["courses due soon"] == 0
    assert _messages(learner) == [
        "“Invoice basics” is due on 04 Mar 2026: finish it to stay on track."
    ]
    assert _messages(finished) == [] and _messages(later) == []

    clock.advance(days=1)  # the later one is now two days away; the first is told once
    assert _sweep(clock)["courses due soon"] == 1
    assert _messages(later) == [
        "“Invoice basics” is due on 05 Mar 2026: finish it to stay on track."
    ]
    assert len(_messages(learner)) == 1


def test_a_new_due_date_reminds_again(clock):
    learner = factories.user()
    enrolment = factories.enrolment(
        learner, factories.course(title="Ledgers"), due_on=date(2026, 3, 3)
    )
    _sweep(clock)
    enrolment.due_on = date(2026, 3, 2)
    _sweep(clock)
    assert _messages(learner) == [
        "“Ledgers” is due tomorrow: finish it to stay on track.",
        "“Ledgers” is due today: finish it to stay on track.",
    ]


def test_assessments_due_soon_are_reminded_until_passed(clock):
    passer, waiting, inactive = (
        factories.user(),
        factories.user(),
        factories.user(active=False),
    )
    quiz = factories.quiz(2, title="Lookups check")
    for person in (passer, waiting, inactive):
        db.session.add(
            AssessmentAssignment(
                assessment_id=quiz.id, user_id=person.id, due_on=date(2026, 3, 3)
            )
        )
    factories.quiz_attempt(passer, quiz)
    db.session.flush()

    assert _sweep(clock)["assessments due soon"] == 1
    assert _messages(waiting) == ["“Lookups check” is due tomorrow and not passed yet."]
    assert _messages(passer) == [] and _messages(inactive) == []
    assert _sweep(clock)["assessments due soon"] == 0


def test_attempts_ending_within_ten_minutes_are_reminded_once(clock):
    learner, relaxed = factories.user(), factories.user()
    quiz = factories.quiz(2, title="Lookups check", time_limit_seconds=1200)
    ending = attempts.start_attempt(learner, quiz).attempt
    attempts.start_attempt(relaxed, quiz)

    assert _sweep(clock)["attempts ending soon"] == 0  # twenty minutes left
    clock.advance(minutes=12)
    assert _sweep(clock)["attempts ending soon"] == 2
    assert _messages(learner) == [
        "Your attempt at “Lookups check” ends in 8 minutes: submit it before time runs out."
    ]
    link = db.session.scalar(
        sa.select(Notification.link).where(Notification.user_id == learner.id)
    )
    assert link == f"/attempts/{ending.id}"
    clock.advance(minutes=5)
    assert _sweep(clock)["attempts ending soon"] == 0
    clock.advance(minutes=10)  # over: nothing to remind of
    assert _sweep(clock)["attempts ending soon"] == 0


def test_the_sweep_command_reports_and_commits(app, runner, clock):
    learner = factories.user()
    factories.enrolment(learner, factories.course(), due_on=date(2026, 3, 2))
    db.session.commit()
    learner_id = learner.id

    first = runner.invoke(args=["notifications", "sweep"])
    second = runner.invoke(args=["notifications", "sweep"])

    assert first.exit_code == 0, first.output
    assert "courses due soon: 1" in first.output
    assert "courses due soon: 0" in second.output
    db.session.remove()
    assert services.unread_count(learner_id) == 1
