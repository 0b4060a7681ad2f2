"""Giving feedback, the one reply, acknowledging, and the lists (patched clock)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.errors import ConflictError, ValidationError
from lms.extensions import db
from lms.feedback import services
from lms.feedback.models import Feedback
from lms.notifications.models import Notification
from lms.users.models import Role
from tests import factories
from tests.mentorship import builders


@pytest.fixture(autouse=True)
def _context(app_ctx, clock):
    return clock


def _notes(user) -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(Notification.message, Notification.link)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    )
    return [(message, link) for message, link in rows]


def _people():
    manager = factories.user(Role.MANAGER, name="Maya Manager")
    team = factories.team("Claims", manager=manager)
    learner = factories.user(name="Lena Learner", team=team)
    return manager, team, learner


def test_feedback_is_recorded_and_the_person_told(clock):
    manager, _, learner = _people()
    quiz = factories.quiz(2, title="Lookups check")
    attempt = factories.quiz_attempt(learner, quiz)
    skill = builders.skill("Accuracy")

    given = services.give_feedback(
        manager,
        learner,
        strength="  Neat totals. ",
        improve="Dates.",
        skill_id=skill.id,
        attempt=attempt,
    )

    assert (given.strength, given.improve, given.skill_id) == (
        "Neat totals.",
        "Dates.",
        skill.id,
    )
    assert given.attempt_id == attempt.id and given.created_at == clock.current
    assert _notes(learner) == [
        ("New feedback from Maya Manager on “Lookups check”", f"/feedback/{given.id}")
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"strength": " ", "improve": "x"}, "Write a strength"),
        ({"strength": "x", "improve": ""}, "Write one thing to improve"),
        ({"strength": "x" * 2001, "improve": "x"}, "under 2000"),
        ({"strength": "x", "improve": "x", "skill_id": 99999}, "Choose a skill"),
    ],
)
def test_both_parts_are_required_and_the_skill_must_exist(fields, message):
    manager, _, learner = _people()
    with pytest.raises(ValidationError, match=message):
        services.give_feedback(manager, learner, **fields)


def test_an_inactive_skill_or_someone_elses_attempt_is_refused():
    manager, team, learner = _people()
    retired = builders.skill("Old skill")
    retired.is_active = False
    other = factories.user(team=team)
    attempt = factories.quiz_attempt(other, factories.quiz(2))
    with pytest.raises(ValidationError):
        services.give_feedback(
            manager, learner, strength="a", improve="b", skill_id=retired.id
        )
    with pytest.raises(ValidationError, match="someone else"):
        services.give_feedback(
            manager, learner, strength="a", improve="b", attempt=attempt
        )
    with pytest.raises(ValidationError):
        services.give_feedback(learner, learner, strength="a", improve="b")


def test_the_person_replies_once_and_the_author_is_told(clock):
    manager, _, learner = _people()
    given = services.give_feedback(manager, learner, strength="a", improve="b")
    clock.advance(hours=2)

    services.reply(given, learner, "  Thank you, will do. ")

    assert given.reply == "Thank you, will do." and given.replied_at == clock.current
    assert _notes(manager) == [
        ("Lena Learner replied to your feedback", f"/feedback/{given.id}")
    ]
    with pytest.raises(ConflictError):
        services.reply(given, learner, "Second thoughts")
    with pytest.raises(ValidationError):
        services.reply(
            services.give_feedback(manager, learner, strength="c", improve="d"),
            learner,
            "",
        )
    with pytest.raises(ValidationError):
        services.reply(given, manager, "Not theirs")
    assert db.session.get(Feedback, given.id).reply == "Thank you, will do."


def test_acknowledging_is_for_the_person_and_keeps_the_first_time(clock):
    manager, _, learner = _people()
    given = services.give_feedback(manager, learner, strength="a", improve="b")
    services.acknowledge(given, learner)
    first = given.acknowledged_at
    clock.advance(days=1)
    services.acknowledge(given, learner)
    assert given.acknowledged_at == first
    with pytest.raises(ValidationError):
        services.acknowledge(given, manager)


def test_my_feedback_lists_unacknowledged_first_then_newest(clock):
    manager, _, learner = _people()
    old = services.give_feedback(manager, learner, strength="old", improve="x")
    clock.advance(days=1)
    read = services.give_feedback(manager, learner, strength="read", improve="x")
    clock.advance(days=1)
    new = services.give_feedback(manager, learner, strength="new", improve="x")
    services.acknowledge(read, learner)
    services.give_feedback(
        manager, factories.user(), strength="someone else", improve="x"
    )

    listed = db.session.scalars(services.about_query(learner.id)).all()
    assert [f.strength for f in listed] == ["new", "old", "read"]
    given = [f.strength for f in db.session.scalars(services.given_query(manager.id))]
    assert given == ["someone else", "new", "read", "old"]
    latest, total = services.latest_about(learner.id, 2)
    assert [f.id for f in latest] == [new.id, old.id] and total == 3


def test_managers_see_what_their_teams_have_not_acknowledged_with_its_age(clock):
    manager, _, learner = _people()
    other_manager = factories.user(Role.MANAGER)
    elsewhere = factories.user(team=factories.team("Payables", manager=other_manager))
    first = services.give_feedback(manager, learner, strength="first", improve="x")
    clock.advance(days=3)
    second = services.give_feedback(manager, learner, strength="second", improve="x")
    services.give_feedback(other_manager, elsewhere, strength="theirs", improve="x")
    done = services.give_feedback(manager, learner, strength="done", improve="x")
    services.acknowledge(done, learner)

    mine = services.unacknowledged_for_teams(manager)

    assert [f.id for f in mine] == [first.id, second.id]  # the longest waiting first
    assert [services.age_days(f) for f in mine] == [3, 0]
    assert services.unacknowledged_count_for_teams(manager) == 2
    assert services.unacknowledged_count_for_teams(other_manager) == 1
    assert len(services.unacknowledged_for_teams(manager, limit=1)) == 1
    admin = factories.user(Role.ADMIN)
    assert services.unacknowledged_count_for_teams(admin) == 3


def test_feedback_on_an_attempt_reads_as_a_conversation(clock):
    manager, _, learner = _people()
    attempt = factories.quiz_attempt(learner, factories.quiz(2))
    a = services.give_feedback(
        manager, learner, strength="a", improve="x", attempt=attempt
    )
    clock.advance(minutes=1)
    b = services.give_feedback(
        manager, learner, strength="b", improve="x", attempt=attempt
    )
    services.give_feedback(manager, learner, strength="general", improve="x")
    assert [f.id for f in services.on_attempt(attempt.id)] == [a.id, b.id]
