"""A small academy for the course page tests: two teams with managers, a learner,
two trainers, an admin, and a published, a draft and a file-imported course."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from lms.courses import progress
from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of

ROLES = (
    "anon",
    "learner",
    "trainer_owner",
    "trainer_other",
    "manager_other",  # manages a team the learner is not in
    "manager",  # manages the learner's team
    "admin",
)


@dataclass
class World:
    ids: dict[str, int | str]
    clients: dict[str, FlaskClient] = field(default_factory=dict)

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
        manager = factories.user(Role.MANAGER, name="Maya Manager")
        manager_other = factories.user(Role.MANAGER, name="Omar Othermanager")
        claims = factories.team("Claims", manager=manager)
        payables = factories.team("Payables", manager=manager_other)
        learner = factories.user(team=claims, name="Lena Learner")
        outsider = factories.user(team=payables, name="Otto Outsider")
        owner = factories.user(Role.TRAINER, name="Tara Trainer")
        trainer_other = factories.user(Role.TRAINER, name="Theo Othertrainer")
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        published = factories.course(
            slug="published", title="Published course", owner=owner, modules=3
        )
        draft = factories.course(
            slug="draft", title="Draft course", owner=owner, modules=2, published=False
        )
        from_files = factories.course(
            slug="from-files", title="File course", origin=ORIGIN_FILE, modules=2
        )
        retired = factories.module(published, title="Old module", position=9)
        retired.is_active = False
        db.session.commit()
        p_modules = progress.active_modules(published)
        ids = {
            "P": published.slug,
            "D": draft.slug,
            "F": from_files.slug,
            "p1": p_modules[0].id,
            "p2": p_modules[1].id,
            "p3": p_modules[2].id,
            "pr": retired.id,
            "d1": _first_module_id(draft),
            "f1": _first_module_id(from_files),
            "learner": learner.id,
            "outsider": outsider.id,
            "claims": claims.id,
            "payables": payables.id,
            "owner": owner.id,
            "published_id": published.id,
            "draft_id": draft.id,
        }
        users = {
            "learner": learner,
            "trainer_owner": owner,
            "trainer_other": trainer_other,
            "manager_other": manager_other,
            "manager": manager,
            "admin": admin,
        }
        sessions = {role: session_of(user) for role, user in users.items()}
    return {"ids": ids, "sessions": sessions | {"anon": None}}


def _first_module_id(course) -> int:
    return progress.active_modules(course)[0].id


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


ACTIVE_TAGS = ("script", "iframe", "object", "embed", "svg", "style", "form")


def active_content_problems(html: str, *, page: bool = False) -> list[str]:
    """Script tags, inline event handlers and script URLs in lesson HTML, or in a
    whole page of ours (page=True: forms and same-origin script files are expected)."""
    problems = []
    for tag, attrs in tags(html):
        expected = page and (tag == "form" or (tag == "script" and attrs.get("src")))
        if tag in ACTIVE_TAGS and not expected:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    problems.append(f"{tag}[{name}={value}]")
    return problems
