"""A small mentoring world for the page tests (mentoring and person pages).

Team "Claims" (managed by `manager`) holds `mentee` and `mate`; team
"Payables" (managed by `other_manager`) holds `outsider`. `mentor` is a
learner of Payables who mentors `mentee` in an active pairing with one
unacknowledged session and two action items (one each). The mentee has skill
levels, a goal and a finished quiz.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient

from lms.attempts.models import SUBMITTED, Attempt
from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of
from tests.mentorship import builders

ROLES = ("anon", "mentee", "mate", "mentor", "manager", "other_manager", "admin")


@dataclass
class World:
    ids: dict[str, int]
    clients: Clients

    def path(self, template: str) -> str:
        return template.format(**self.ids)

    def client(self, role: str) -> FlaskClient:
        return self.clients[role]


@pytest.fixture
def world(app, clock, build_once) -> World:
    built = build_once(_build_world, app)
    return World(ids=built["ids"], clients=Clients(app, built["sessions"]))


def finished_attempt(user, assessment, when, **fields) -> Attempt:
    attempt = Attempt(
        assessment_id=assessment.id,
        user_id=user.id,
        kind=assessment.kind,
        state=SUBMITTED,
        seed=1,
        snapshot={},
        started_at=when,
        submitted_at=when,
        result={"kind": assessment.kind, "percent": fields.get("percent")},
        **fields,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _build_world(app) -> dict:
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        manager = factories.user(Role.MANAGER, name="Maya Manager")
        other_manager = factories.user(Role.MANAGER, name="Omar Othermanager")
        claims = factories.team("Claims", manager=manager)
        payables = factories.team("Payables", manager=other_manager)
        mentee = factories.user(name="Nina Newhire", team=claims)
        mate = factories.user(name="Mateo Mate", team=claims)
        outsider = factories.user(name="Otto Outsider", team=payables)
        mentor = factories.user(name="Esha Expert", team=payables)
        excel = builders.skill("Excel lookups")
        accuracy = builders.skill("Accuracy")
        builders.level(mentee, excel, 1)
        builders.level(mentor, excel, 4)
        builders.level(mentor, accuracy, 3)
        builders.level(outsider, excel, 3)
        builders.goal(
            mentee, builders.role({excel: 3, accuracy: 2}, "Senior executive")
        )
        quiz = factories.quiz(2, title="Lookups check")
        attempt = finished_attempt(
            mentee, quiz, datetime(2026, 2, 20, tzinfo=UTC), percent=85.0, passed=True
        )
        pairing = builders.pairing(mentor, mentee, focus=[excel], by=manager)
        session = builders.session(pairing, held_on=date(2026, 2, 23), notes="VLOOKUP")
        mentee_item = builders.item(session, mentee, "Practise lookups")
        mentor_item = builders.item(session, mentor, "Send a sheet")
        db.session.commit()
        ids = {
            "mentee": mentee.id,
            "mate": mate.id,
            "outsider": outsider.id,
            "mentor": mentor.id,
            "manager": manager.id,
            "admin": admin.id,
            "excel": excel.id,
            "pairing": pairing.id,
            "session": session.id,
            "mentee_item": mentee_item.id,
            "mentor_item": mentor_item.id,
            "attempt": attempt.id,
        }
        users = {
            "mentee": mentee,
            "mate": mate,
            "mentor": mentor,
            "manager": manager,
            "other_manager": other_manager,
            "admin": admin,
        }
        sessions = {role: session_of(user) for role, user in users.items()}
    return {"ids": ids, "sessions": sessions | {"anon": None}}
