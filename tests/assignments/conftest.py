"""A small academy for the assignment, feedback and notification tests.

Team "Claims" (managed by `manager`) holds `learner` and `mate`; team
"Payables" (managed by `manager_other`) holds `outsider` and `mentor`, who
mentors `learner` in an active pairing. `trainer` owns the published quiz
"Lookups check" (and a draft); `trainer_other` owns nothing. The learner has a
finished, passed attempt at the quiz and one piece of feedback from the manager
on it, neither replied to nor acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from lms.extensions import db
from lms.feedback.models import Feedback
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of
from tests.mentorship import builders

ROLES = (
    "anon",
    "learner",
    "mate",  # in the learner's team
    "mentor",  # mentors the learner, in another team
    "trainer",  # owns the quiz
    "trainer_other",
    "manager",  # manages the learner's team
    "manager_other",
    "admin",
)


def E(
    learner,
    mate,
    mentor,
    trainer,
    trainer_other,
    manager,
    manager_other,
    admin,
    anon=302,
):
    """Expected status per role, in the order of ROLES."""
    statuses = (anon, learner, mate, mentor, trainer, trainer_other, manager)
    return dict(zip(ROLES, (*statuses, manager_other, admin), strict=True))


def ALL(status):
    return E(*([status] * 8))


@dataclass
class World:
    ids: dict[str, int | str]
    clients: Clients

    def path(self, template: str) -> str:
        return template.format(**self.ids)

    def client(self, role: str) -> FlaskClient:
        return self.clients[role]


@pytest.fixture
def world(app, clock, build_once) -> World:
    built = build_once(_build_world, app)
    return World(ids=built["ids"], clients=Clients(app, built["sessions"]))


def _build_world(app) -> dict:
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        manager = factories.user(Role.MANAGER, name="Maya Manager")
        manager_other = factories.user(Role.MANAGER, name="Omar Othermanager")
        claims = factories.team("Claims", manager=manager)
        payables = factories.team("Payables", manager=manager_other)
        learner = factories.user(name="Lena Learner", team=claims)
        mate = factories.user(name="Mateo Mate", team=claims)
        outsider = factories.user(name="Otto Outsider", team=payables)
        mentor = factories.user(name="Esha Expert", team=payables)
        trainer = factories.user(Role.TRAINER, name="Tara Trainer")
        trainer_other = factories.user(Role.TRAINER, name="Theo Othertrainer")
        builders.pairing(mentor, learner, by=manager)
        skill = builders.skill("Excel lookups")
        quiz = factories.quiz(2, slug="lookups", title="Lookups check", owner=trainer)
        draft = factories.quiz(
            2, slug="draft", title="Draft", owner=trainer, published=False
        )
        attempt = factories.quiz_attempt(learner, quiz)
        feedback = Feedback(
            author_id=manager.id,
            subject_id=learner.id,
            attempt_id=attempt.id,
            strength="Careful with the totals.",
            improve="Check the dates twice.",
        )
        db.session.add(feedback)
        db.session.commit()
        ids = {
            "Q": quiz.slug,
            "D": draft.slug,
            "quiz_id": quiz.id,
            "attempt": attempt.id,
            "feedback": feedback.id,
            "skill": skill.id,
            "claims": claims.id,
            "payables": payables.id,
            "learner": learner.id,
            "mate": mate.id,
            "outsider": outsider.id,
            "mentor": mentor.id,
            "manager": manager.id,
            "trainer": trainer.id,
            "admin": admin.id,
        }
        users = {
            "learner": learner,
            "mate": mate,
            "mentor": mentor,
            "trainer": trainer,
            "trainer_other": trainer_other,
            "manager": manager,
            "manager_other": manager_other,
            "admin": admin,
        }
        sessions = {role: session_of(user) for role, user in users.items()}
    return {"ids": ids, "sessions": sessions | {"anon": None}}
