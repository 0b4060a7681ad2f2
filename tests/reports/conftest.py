"""A small world for the team report tests.

Maya (manager) manages "Claims" and "Claims nights"; Omar (other manager)
manages "Payables". Claims holds Nina (goal "Senior executive": Data entry 3,
Written communication 2; she has Data entry 2 and no writing yet) and Mateo
(Data entry 3, no goal); Claims nights holds Nora (Data entry 5); Payables
holds Otto (Data entry 4, same goal). Nina finished a quiz and two valid
keying attempts, has an unverified, flagged one and a live one; she has an
overdue course and an overdue keying test, and one unacknowledged piece of
feedback out of two. Otto has a finished keying attempt of his own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of
from tests.mentorship import builders as skills
from tests.reports import builders

ROLES = ("anon", "learner", "trainer", "manager", "other_manager", "admin")
PASTE_FLAG = {"code": "paste_attempt", "message": "Paste blocked", "evidence": {}}


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


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 2, day, hour, tzinfo=UTC)


def _build_world(app) -> dict:
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        trainer = factories.user(Role.TRAINER, name="Tara Trainer")
        manager = factories.user(Role.MANAGER, name="Maya Manager")
        other_manager = factories.user(Role.MANAGER, name="Omar Othermanager")
        claims = factories.team("Claims", manager=manager)
        nights = factories.team("Claims nights", manager=manager)
        payables = factories.team("Payables", manager=other_manager)
        learner = factories.user(name="Nina Newhire", team=claims)
        mate = factories.user(name="Mateo Mate", team=claims)
        night = factories.user(name="Nora Night", team=nights)
        outsider = factories.user(name="Otto Outsider", team=payables)

        keying_cat = skills.category("Keying and accuracy")
        comms_cat = skills.category("Communication")
        entry = skills.skill("Data entry", cat=keying_cat)
        writing = skills.skill("Written communication", cat=comms_cat)
        senior = skills.role({entry: 3, writing: 2}, "Senior executive")
        skills.goal(learner, senior)
        skills.goal(outsider, senior)
        skills.level(learner, entry, 2)
        skills.level(mate, entry, 3)
        skills.level(night, entry, 5)
        skills.level(outsider, entry, 4)
        builders.evidence(mate, entry, 3, _at(10), by=manager)
        builders.evidence(mate, entry, 2, _at(3), by=manager)

        quiz = factories.quiz(2, title="Lookups check")
        quiz_attempt = factories.quiz_attempt(learner, quiz, started_at=_at(5))
        test = factories.record_entry_test(title="Customer records")
        first = builders.keying_attempt(learner, test, _at(12), net_kph=5000.0)
        second = builders.keying_attempt(
            learner, test, _at(14), net_kph=6500.0, accuracy=0.99, number=2
        )
        flagged = builders.keying_attempt(
            learner,
            test,
            _at(16),
            validity="unverified",
            flags=[PASTE_FLAG],
            number=3,
        )
        started_today = datetime(2026, 3, 2, 8, 55, tzinfo=UTC)  # the clock: 09:00
        live = builders.keying_attempt(
            learner, test, started_today, state="in_progress", number=4
        )
        theirs = builders.keying_attempt(outsider, test, _at(15), net_kph=7000.0)

        course = factories.course(title="Ledger basics")
        builders.enrolment(learner, course, date(2026, 2, 20))
        builders.enrolment(mate, course, date(2026, 2, 20), required=False)
        builders.assignment(learner, test, date(2026, 2, 25))
        builders.feedback(manager, learner)
        builders.feedback(manager, learner, acknowledged_at=_at(18))
        db.session.commit()

        ids = {
            "claims": claims.id,
            "nights": nights.id,
            "payables": payables.id,
            "learner": learner.id,
            "mate": mate.id,
            "night": night.id,
            "outsider": outsider.id,
            "entry": entry.id,
            "writing": writing.id,
            "quiz_attempt": quiz_attempt.id,
            "first": first.id,
            "second": second.id,
            "flagged": flagged.id,
            "live": live.id,
            "theirs": theirs.id,
            "test": test.id,
        }
        users = {
            "learner": learner,
            "trainer": trainer,
            "manager": manager,
            "other_manager": other_manager,
            "admin": admin,
        }
        sessions = {role: session_of(user) for role, user in users.items()}
    return {"ids": ids, "sessions": sessions | {"anon": None}}
