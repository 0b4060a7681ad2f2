"""Who may give feedback on an attempt or a person, and who may read it: every
role and relationship of the academy (tests/assignments/conftest.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.attempts.queries import get_attempt
from lms.feedback import policies, services
from lms.people.services import get_person
from lms.users.models import User
from tests.assignments.conftest import ROLES

NAMES = {
    "learner": "Lena Learner",
    "mate": "Mateo Mate",
    "mentor": "Esha Expert",
    "trainer": "Tara Trainer",
    "trainer_other": "Theo Othertrainer",
    "manager": "Maya Manager",
    "manager_other": "Omar Othermanager",
    "admin": "Ada Admin",
}
SIGNED_IN = ROLES[1:]

ON_ATTEMPT = {"trainer", "manager", "admin"}  # the mentor cannot open the result
ON_PERSON = {"mentor", "manager", "admin"}
READS = {"learner", "mentor", "trainer", "manager", "admin"}


def _user(role):
    from lms.extensions import db

    return db.session.scalar(sa.select(User).where(User.name == NAMES[role]))


@pytest.mark.parametrize("role", SIGNED_IN)
def test_who_may_give_and_read(app_ctx, world, role):
    viewer = _user(role)
    attempt = get_attempt(world.ids["attempt"])
    person = get_person(world.ids["learner"])
    feedback = services.get_feedback(world.ids["feedback"])

    assert policies.can_give_on_attempt(viewer, attempt) is (role in ON_ATTEMPT)
    assert policies.can_give_on_person(viewer, person) is (role in ON_PERSON)
    assert policies.can_read(viewer, feedback) is (role in READS)
    assert policies.can_reply(viewer, feedback) is (role == "learner")
    assert policies.can_acknowledge(viewer, feedback) is (role == "learner")


def test_nobody_gives_feedback_on_an_attempt_in_progress(app_ctx, world):
    from lms.extensions import db
    from tests import factories

    learner = _user("learner")
    quiz = factories.quiz(2, owner=_user("trainer"))
    live = factories.quiz_attempt(learner, quiz, state="in_progress")
    db.session.commit()
    attempt = get_attempt(live.id)
    for role in ON_ATTEMPT:
        assert not policies.can_give_on_attempt(_user(role), attempt)


def test_signed_out_visitors_may_do_nothing(app_ctx, world):
    from flask_login import AnonymousUserMixin

    anon = AnonymousUserMixin()
    feedback = services.get_feedback(world.ids["feedback"])
    assert not policies.can_read(anon, feedback)
    assert not policies.can_give_on_person(anon, get_person(world.ids["learner"]))
    assert not policies.can_give_on_attempt(anon, get_attempt(world.ids["attempt"]))


def test_replied_and_acknowledged_feedback_takes_no_more(app_ctx, world, clock):
    learner = _user("learner")
    feedback = services.get_feedback(world.ids["feedback"])
    services.reply(feedback, learner, "Thanks")
    services.acknowledge(feedback, learner)
    assert not policies.can_reply(learner, feedback)
    assert not policies.can_acknowledge(learner, feedback)
