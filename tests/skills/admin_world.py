"""A small framework for the skills admin page tests: one of each role, the
fixture catalog imported from files, and browser-made rows beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient

from lms.content.importer import import_content
from lms.extensions import db
from lms.skills.models import CareerPath, CareerRole, Skill, SkillCategory
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of
from tests.skills import framework_builders as build

ROLES = ("anon", "learner", "manager", "trainer", "admin")
CATALOG = Path(__file__).resolve().parent / "fixtures" / "good" / "courses"


@dataclass
class World:
    ids: dict[str, int]
    clients: Clients

    def path(self, template: str) -> str:
        return template.format(**self.ids)

    def client(self, role: str) -> FlaskClient:
        return self.clients[role]


def make_world(app, build_once, tmp_path_factory) -> World:
    """The world for one test (built once per module): call from a fixture."""
    quizzes = tmp_path_factory.mktemp("no-quizzes")
    built = build_once(_build, app, quizzes)
    return World(ids=built["ids"], clients=Clients(app, built["sessions"]))


def _build(app, quizzes: Path) -> dict:
    with app.app_context():
        people = {
            "learner": factories.user(Role.LEARNER),
            "manager": factories.user(Role.MANAGER),
            "trainer": factories.user(Role.TRAINER),
            "admin": factories.user(Role.ADMIN),
        }
        report = import_content(CATALOG, quizzes)
        assert report.ok, report.errors
        ours = build.category("ours")
        mine = build.skill("mine", of=ours)
        retired = build.skill("retired", of=ours, active=False)
        path = build.path("our-path")
        first = build.role("our-first", on=path, position=1, requires={mine: 2})
        second = build.role("our-second", on=path, position=2)
        db.session.commit()
        file_skill = db.session.scalars(
            db.select(Skill).where(Skill.slug == "data-entry")
        ).one()
        ids = {
            "UC": ours.id,
            "US": mine.id,
            "IS": retired.id,
            "UP": path.id,
            "UR": first.id,
            "UR2": second.id,
            "FC": _id(SkillCategory, "keying"),
            "FS": file_skill.id,
            "FP": _id(CareerPath, "ladder"),
            "FR": _id(CareerRole, "trainee"),
            "FR_LEAD": _id(CareerRole, "lead"),
        }
        sessions = {role: session_of(user) for role, user in people.items()}
        sessions["anon"] = None
        return {"ids": ids, "sessions": sessions}


def _id(model, slug: str) -> int:
    return db.session.scalars(db.select(model.id).where(model.slug == slug)).one()
