"""API authentication: session + CSRF header, personal Bearer tokens, the token page,
rate limits and the public calls."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.auth import tokens
from lms.auth.models import ApiToken
from lms.extensions import db
from lms.users.models import Role
from tests import factories


def _token(app, user_id: int, name: str = "script") -> str:
    with app.app_context():
        from lms.users.models import User

        _, raw = tokens.create_token(db.session.get(User, user_id), name)
        db.session.commit()
        return raw


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_anonymous_calls_get_401_json(client, world):
    for method, path in [
        ("post", f"/api/v1/assessments/{world.slug}/attempts"),
        ("get", "/api/v1/attempts/1"),
        ("put", "/api/v1/attempts/1/responses"),
        ("post", "/api/v1/attempts/1/submit"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 401, path
        assert response.get_json()["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_bearer_token_acts_as_its_owner(app, world, client):
    raw = _token(app, world.ids["learner"])

    started = client.post(
        f"/api/v1/assessments/{world.slug}/attempts", headers=_bearer(raw)
    )
    read = client.get(
        f"/api/v1/attempts/{started.get_json()['id']}", headers=_bearer(raw)
    )

    assert started.status_code == 201 and read.status_code == 200
    assert "Set-Cookie" not in started.headers  # no session is created for a token
    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken))
        assert token.last_used_at is not None
        assert (
            token.token_hash == tokens.hash_token(raw) and raw not in token.token_hash
        )


@pytest.mark.parametrize(
    "header",
    [
        "Bearer boa_wrong",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token {raw}",
        "Bearer {raw}x",
    ],
)
def test_bad_credentials_are_401(app, world, client, header):
    raw = _token(app, world.ids["learner"])

    response = client.get(
        "/api/v1/attempts/1", headers={"Authorization": header.format(raw=raw)}
    )

    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"


def test_a_revoked_token_or_a_deactivated_owner_is_401(app, world, client):
    raw = _token(app, world.ids["learner"])
    other = _token(app, world.ids["outsider"])
    with app.app_context():
        from lms.users.models import User

        tokens.revoke_token(db.session.get(User, world.ids["learner"]), 1)
        db.session.get(User, world.ids["outsider"]).is_active_account = False
        db.session.commit()

    assert client.get("/api/v1/attempts/1", headers=_bearer(raw)).status_code == 401
    assert client.get("/api/v1/attempts/1", headers=_bearer(other)).status_code == 401


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_cookie_calls_need_the_csrf_header(csrf_on, app, world):
    client = world.client("learner")
    path = f"/api/v1/assessments/{world.slug}/attempts"

    refused = client.post(path)
    page = client.get(f"/assessments/{world.slug}")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data)[1]
    accepted = client.post(path, headers={"X-CSRFToken": token.decode()})

    assert refused.status_code == 400
    assert refused.get_json()["error"] == "csrf_failed"
    assert accepted.status_code == 201


def test_bearer_calls_need_no_csrf_token(csrf_on, app, world, client):
    raw = _token(app, world.ids["learner"])

    response = client.post(
        f"/api/v1/assessments/{world.slug}/attempts", headers=_bearer(raw)
    )

    assert response.status_code == 201


def test_reading_needs_no_csrf_token(csrf_on, world):
    assert world.client("learner").get("/api/v1/attempts/42").status_code == 404


def test_health_and_openapi_are_public(client):
    health = client.get("/api/v1/health")

    assert (health.status_code, health.data) == (200, b"ok")
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_live_answers_without_touching_the_database(client, count_queries):
    with count_queries() as q:
        live = client.get("/api/v1/live")

    assert (live.status_code, live.data) == (200, b"ok")
    assert q.count == 0


# --------------------------------------------------------------------------
# The token page
# --------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_works(app, login):
    with app.app_context():
        user = factories.user(Role.TRAINER)
        db.session.commit()
        client = login(user)

    created = client.post("/account/tokens", data={"name": "Nightly export"})
    raw = re.search(rb'value="(boa_[^"]+)"', created.data)[1].decode()
    listing = client.get("/account/tokens")

    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    assert b"Nightly export" in listing.data and raw[:10].encode() in listing.data
    assert raw.encode() not in listing.data
    assert (
        app.test_client().get("/api/v1/openapi.json", headers=_bearer(raw)).status_code
        == 200
    )


def test_a_token_needs_a_name(world):
    response = world.client("learner").post("/account/tokens", data={"name": "  "})

    assert response.status_code == 400
    assert b"Name the token" in response.data


def test_revoking_a_token_stops_it(app, world, client):
    raw = _token(app, world.ids["learner"])

    response = world.client("learner").post("/account/tokens/1/revoke")

    assert response.status_code == 302
    assert client.get("/api/v1/attempts/1", headers=_bearer(raw)).status_code == 401


def test_nobody_revokes_someone_elses_token(app, world, client):
    raw = _token(app, world.ids["learner"])

    response = world.client("admin").post("/account/tokens/1/revoke")

    assert response.status_code == 404
    assert client.get("/api/v1/attempts/999", headers=_bearer(raw)).status_code == 404


@pytest.mark.parametrize("role", ["learner", "trainer_owner", "manager", "admin"])
def test_every_role_has_a_token_page(world, role):
    assert world.client(role).get("/account/tokens").status_code == 200


def test_the_token_page_needs_a_sign_in(client):
    assert client.get("/account/tokens").status_code == 302
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 302
