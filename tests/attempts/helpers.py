"""Answers for quiz attempts in tests: right ones from the snapshot's key, wrong ones,
and a learner-side view of what the API returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def right_answer(question: dict[str, Any]) -> Any:
    qtype = question["type"]
    if qtype == "single":
        return next(c["id"] for c in question["choices"] if c["correct"])
    if qtype == "multiple":
        return [c["id"] for c in question["choices"] if c["correct"]]
    if qtype == "truefalse":
        return question["answer"]
    if qtype == "short":
        return question["answers"][0]
    if qtype == "numeric":
        return str(question["answer"])
    if qtype == "ordering":
        return [i["id"] for i in question["items"]]
    raise AssertionError(qtype)


def wrong_answer(question: dict[str, Any]) -> Any:
    qtype = question["type"]
    if qtype == "single":
        return next(c["id"] for c in question["choices"] if not c["correct"])
    if qtype == "multiple":
        return [c["id"] for c in question["choices"] if not c["correct"]]
    if qtype == "truefalse":
        return not question["answer"]
    if qtype == "short":
        return "certainly not this"
    if qtype == "numeric":
        return "-1"
    if qtype == "ordering":  # rotated: no item in its place
        ids = [i["id"] for i in question["items"]]
        return ids[1:] + ids[:1]
    raise AssertionError(qtype)


def right_answers(attempt) -> dict[str, Any]:
    return {q["id"]: right_answer(q) for q in attempt.snapshot["questions"]}


def wrong_answers(attempt) -> dict[str, Any]:
    return {q["id"]: wrong_answer(q) for q in attempt.snapshot["questions"]}


# --------------------------------------------------------------------------
# A small academy for the HTTP tests
# --------------------------------------------------------------------------

ROLES = (
    "anon",
    "learner",
    "outsider",  # another learner, in another team
    "trainer_owner",  # owns the quiz
    "trainer_other",
    "manager",  # manages the learner's team
    "manager_other",
    "admin",
)


@dataclass
class World:
    slug: str
    file_slug: str
    ids: dict[str, int] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str):
        return self.clients[role]


def build_world(app, login, *, quiz_settings: dict | None = None) -> World:
    from lms.extensions import db
    from lms.origins import ORIGIN_FILE
    from lms.users.models import Role
    from tests import factories

    with app.app_context():
        manager = factories.user(Role.MANAGER)
        manager_other = factories.user(Role.MANAGER)
        claims = factories.team("Claims", manager=manager)
        payables = factories.team("Payables", manager=manager_other)
        users = {
            "learner": factories.user(team=claims),
            "outsider": factories.user(team=payables),
            "trainer_owner": factories.user(Role.TRAINER),
            "trainer_other": factories.user(Role.TRAINER),
            "manager": manager,
            "manager_other": manager_other,
            "admin": factories.user(Role.ADMIN),
        }
        quiz = factories.quiz(
            4,
            owner=users["trainer_owner"],
            settings=quiz_settings or {},
            slug="owned-quiz",
        )
        file_quiz = factories.quiz(3, origin=ORIGIN_FILE, slug="file-quiz")
        db.session.commit()
        world = World(slug=quiz.slug, file_slug=file_quiz.slug)
        world.ids = {role: user.id for role, user in users.items()}
        world.clients = {role: login(user) for role, user in users.items()}
    world.clients["anon"] = app.test_client()
    return world
