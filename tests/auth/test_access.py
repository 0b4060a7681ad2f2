"""Role × route matrix for the sign-in, account and dashboard pages."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories

ROLES = ["anonymous", "learner", "trainer", "manager", "admin"]
# (method, path) -> expected status for anonymous, then for every signed-in role.
ROUTES = {
    ("GET", "/"): (302, 200),
    ("GET", "/login"): (200, 302),
    ("POST", "/logout"): (302, 302),
    ("GET", "/account/password"): (302, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_role_route_matrix(app, client, login, role, route):
    method, path = route
    if role == "anonymous":
        c = client
    else:
        with app.app_context():
            user = factories.user(Role(role))
            db.session.commit()
        c = login(user)

    response = c.open(path, method=method)

    anonymous_status, signed_in_status = ROUTES[route]
    assert response.status_code == (
        anonymous_status if role == "anonymous" else signed_in_status
    )
    if role == "anonymous" and response.status_code == 302:
        assert "/login" in response.headers["Location"]
