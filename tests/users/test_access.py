"""Who may open the people and team administration: admins only, every route."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.conftest import session_of, signed_in_client

ROUTES = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{user}/edit"),
    ("POST", "/admin/users/{user}/edit"),
    ("POST", "/admin/users/{user}/deactivate"),
    ("POST", "/admin/users/{user}/reactivate"),
    ("GET", "/admin/users/import"),
    ("POST", "/admin/users/import"),
    ("POST", "/admin/users/import/confirm"),
    ("GET", "/admin/users/import/sample.csv"),
    ("GET", "/admin/teams"),
    ("GET", "/admin/teams/new"),
    ("POST", "/admin/teams/new"),
    ("GET", "/admin/teams/{team}"),
    ("POST", "/admin/teams/{team}"),
    ("POST", "/admin/teams/{team}/members"),
    ("POST", "/admin/teams/{team}/members/{user}/remove"),
]
ROUTE_IDS = [f"{method} {path}" for method, path in ROUTES]


REFUSED = [Role.LEARNER, Role.TRAINER, Role.MANAGER]


@pytest.fixture
def world(app, build_once) -> dict:
    return build_once(_build_world, app)


def _build_world(app) -> dict:
    """A person and a team for the routes that need one; an admin and one person of
    every other role, signed in."""
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin", email="ada@example.test")
        team = factories.team("Target Team")
        user = factories.user(team=team, name="Target Person")
        people = {role.value: factories.user(role) for role in REFUSED}
        db.session.commit()
        sessions = {role: session_of(person) for role, person in people.items()}
        return {
            "target": {"user": user.id, "team": team.id},
            "sessions": sessions | {"admin": session_of(admin)},
        }


@pytest.fixture
def target(world) -> dict:
    return world["target"]


@pytest.fixture
def admin_client(app, world):
    return signed_in_client(app, world["sessions"]["admin"])


def _call(client, method: str, path: str, target: dict):
    return client.open(path.format(**target), method=method, data={})


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=ROUTE_IDS)
def test_anonymous_people_are_sent_to_sign_in(client, target, method, path):
    response = _call(client, method, path, target)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=ROUTE_IDS)
def test_everyone_but_admins_is_refused(app, world, target, role, method, path):
    client = signed_in_client(app, world["sessions"][role.value])

    assert _call(client, method, path, target).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"), [r for r in ROUTES if r[0] == "GET"], ids=str
)
def test_admins_open_every_page(admin_client, target, method, path):
    assert _call(admin_client, method, path, target).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"), [r for r in ROUTES if r[0] == "POST"], ids=str
)
def test_admins_reach_every_action(admin_client, target, method, path):
    """An empty POST is a bad request or a redirect, never a refusal."""
    response = _call(admin_client, method, path, target)

    assert response.status_code in (200, 302, 400)
    assert "/login" not in response.headers.get("Location", "")


def test_people_link_in_the_navigation_is_for_admins_only(app, login, admin_client):
    with app.app_context():
        manager = login(factories.user(Role.MANAGER))
        db.session.commit()

    assert b'href="/admin/users"' in admin_client.get("/").data
    assert b'href="/admin/users"' not in manager.get("/").data
