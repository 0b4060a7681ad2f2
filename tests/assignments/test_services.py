"""Assigning an assessment and reading where people stand (patched clock)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lms.assignments import queries, services
from lms.attempts.models import AssessmentAssignment
from lms.courses.assignments import AssignScope
from lms.errors import ValidationError
from lms.extensions import db
from lms.notifications.models import Notification
from lms.users.models import Role
from tests import factories


@pytest.fixture(autouse=True)
def _context(app_ctx, clock):
    return clock


def _notes(user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message).where(Notification.user_id == user.id)
        )
    )


def test_assigning_creates_updates_and_tells_each_person_once():
    trainer, a, b = factories.user(Role.TRAINER), factories.user(), factories.user()
    quiz = factories.quiz(2, title="Lookups check")

    first = services.assign_assessment(
        quiz, [a], due_on=date(2026, 3, 12), required=True, by=trainer
    )
    again = services.assign_assessment(
        quiz, [a, b], due_on=date(2026, 3, 12), required=False, by=trainer
    )

    assert (first.created, first.updated) == (1, 0)
    assert (again.created, again.updated) == (1, 1)
    rows = db.session.scalars(sa.select(AssessmentAssignment)).all()
    assert {(r.user_id, r.required, r.due_on, r.assigned_by_id) for r in rows} == {
        (a.id, False, date(2026, 3, 12), trainer.id),
        (b.id, False, date(2026, 3, 12), trainer.id),
    }
    assert _notes(a) == [
        "New assignment: “Lookups check” (Quiz, required, due 12 Mar 2026)"
    ]
    assert _notes(b) == [
        "New assignment: “Lookups check” (Quiz, optional, due 12 Mar 2026)"
    ]
    link = db.session.scalar(
        sa.select(Notification.link).where(Notification.user_id == a.id)
    )
    assert link == f"/assessments/{quiz.slug}"


def test_a_keying_test_is_named_by_its_kind():
    trainer, learner = factories.user(Role.TRAINER), factories.user()
    test = factories.assessment("ten_key", title="Amounts")
    services.assign_assessment(test, [learner], due_on=None, required=True, by=trainer)
    assert _notes(learner) == [
        "New assignment: “Amounts” (10-key, required, no due date)"
    ]


@pytest.mark.parametrize(
    ("published", "due_on", "message"),
    [
        (False, date(2026, 3, 9), "Publish the assessment"),
        (True, date(2026, 3, 1), "in the past"),
    ],
)
def test_drafts_and_past_due_dates_are_refused(published, due_on, message):
    quiz = factories.quiz(2, published=published)
    with pytest.raises(ValidationError, match=message):
        services.assign_assessment(
            quiz, [factories.user()], due_on=due_on, required=True, by=factories.user()
        )
    with pytest.raises(ValidationError):
        services.assign_assessment(
            factories.quiz(2), [], due_on=None, required=True, by=factories.user()
        )


# --- where people stand -------------------------------------------------------------


def _assign(quiz, person, due_on, required=True):
    db.session.add(
        AssessmentAssignment(
            assessment_id=quiz.id, user_id=person.id, due_on=due_on, required=required
        )
    )
    db.session.flush()


def test_a_learner_sees_their_assignments_with_their_best_result(clock):
    learner = factories.user()
    passed = factories.quiz(2, title="Passed one")
    failing = factories.quiz(2, title="Failing one", settings={"pass_percent": 100})
    untouched = factories.quiz(2, title="Untouched")
    optional = factories.quiz(2, title="Optional one")
    for quiz, due in (
        (passed, date(2026, 3, 1)),
        (failing, date(2026, 3, 1)),
        (untouched, date(2026, 3, 20)),
        (optional, date(2026, 2, 1)),
    ):
        _assign(quiz, learner, due, required=quiz is not optional)
    q1 = failing.content["questions"][0]["id"]
    factories.quiz_attempt(learner, failing, {q1: False})
    factories.quiz_attempt(learner, passed, started_at=clock.current)

    found = queries.my_assessment_assignments(learner)

    by_title = {r.assignment.assessment.title: r for r in found}
    assert [r.assignment.assessment.title for r in found] == [
        "Failing one",
        "Untouched",
        "Optional one",
        "Passed one",
    ]
    today = clock.current.date()
    assert by_title["Failing one"].is_overdue(today)
    assert (
        by_title["Failing one"].best_percent == 50
        and by_title["Failing one"].attempts == 1
    )
    assert (
        not by_title["Untouched"].is_overdue(today)
        and by_title["Untouched"].attempts == 0
    )
    assert not by_title["Optional one"].is_overdue(today)  # optional: never overdue
    assert by_title["Passed one"].passed and by_title["Passed one"].passed_late
    assert not by_title["Passed one"].is_overdue(today)


def test_invalid_and_unfinished_attempts_are_no_pass(clock):
    learner = factories.user()
    quiz = factories.quiz(2)
    _assign(quiz, learner, date(2026, 3, 1))
    invalid = factories.quiz_attempt(learner, quiz)
    invalid.is_valid = False
    factories.quiz_attempt(learner, quiz, number=2, state="in_progress")
    db.session.flush()

    (result,) = queries.my_assessment_assignments(learner)
    assert not result.passed and result.attempts == 1
    assert result.is_overdue(clock.current.date())


def _status_world(clock):
    manager, other = factories.user(Role.MANAGER), factories.user(Role.MANAGER)
    mine = factories.team("Claims", manager=manager)
    theirs = factories.team("Payables", manager=other)
    quiz = factories.quiz(2, title="Lookups check")
    people = [factories.user(team=mine) for _ in range(4)] + [
        factories.user(team=theirs)
    ]
    for person in people:
        _assign(quiz, person, date(2026, 3, 1))
    _assign(quiz, factories.user(team=mine), date(2026, 3, 9))
    factories.quiz_attempt(people[0], quiz)
    factories.quiz_attempt(people[4], quiz)
    optional = factories.user(team=mine)
    _assign(quiz, optional, date(2026, 3, 1), required=False)
    return manager, other, quiz


def test_managers_see_per_due_date_who_passed_and_who_is_overdue(clock):
    manager, other, quiz = _status_world(clock)
    today = clock.current.date()

    rows = queries.assignment_status_for_teams(manager, today)

    assert [
        (r.title, r.due_on, r.assigned, r.passed, r.not_passed, r.overdue) for r in rows
    ] == [
        ("Lookups check", date(2026, 3, 1), 5, 1, 4, 3),
        ("Lookups check", date(2026, 3, 9), 1, 0, 1, 0),
    ]
    theirs = queries.assignment_status_for_teams(other, today)
    assert [(r.assigned, r.passed, r.overdue) for r in theirs] == [(1, 1, 0)]
    admin = factories.user(Role.ADMIN)
    assert (
        sum(r.assigned for r in queries.assignment_status_for_teams(admin, today)) == 7
    )
    assert len(queries.assignment_status_for_teams(manager, today, limit=1)) == 1


def test_the_assignees_list_filters_to_not_passed_and_overdue(clock):
    manager, other, quiz = _status_world(clock)
    today = clock.current.date()
    scope = AssignScope(None)

    def listed(show):
        page = queries.assignees_page(
            quiz, scope, show=show, today=today, page=1, per_page=50
        )
        return page

    everyone, not_passed, overdue = (
        listed("all"),
        listed("not_passed"),
        listed("overdue"),
    )
    assert everyone.total == 7 and not_passed.total == 5 and overdue.total == 3
    assert (
        not everyone.items[0].passed and everyone.items[-1].passed
    )  # not passed first
    assert all(r.is_overdue(today) for r in overdue.items)


def test_the_overdue_of_a_managers_teams_longest_first(clock):
    manager, other, quiz = _status_world(clock)
    late = factories.quiz(2, title="Older one")
    person = factories.user()
    _assign(late, person, date(2026, 2, 1))  # no team: only admins see it

    mine = queries.overdue_for_teams(manager)

    assert len(mine) == 3 and all(r.is_overdue(clock.current.date()) for r in mine)
    assert {r.assignment.user.team.manager_id for r in mine} == {manager.id}
    assert queries.overdue_for_teams(other) == []
    everyone = queries.overdue_for_teams(factories.user(Role.ADMIN), limit=2)
    assert [r.assignment.assessment.title for r in everyone] == [
        "Older one",
        "Lookups check",
    ]
