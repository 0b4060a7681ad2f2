"""CSRF, password hashing parameters, the login rate limit, the `next` check."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from lms import create_app
from lms.auth.services import is_safe_next
from lms.config import ARGON2_OWASP, Config
from lms.extensions import db
from tests import factories
from tests.conftest import make_config


def test_production_hashes_use_owasp_argon2id_parameters():
    assert Config.PASSWORD_HASH_PARAMS == {
        "time_cost": 2,
        "memory_cost": 19456,
        "parallelism": 1,
    }
    assert ARGON2_OWASP["memory_cost"] * 1024 >= 19 * 1024 * 1024

    encoded = PasswordHasher(**Config.PASSWORD_HASH_PARAMS).hash("x" * 12)

    assert encoded.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in encoded


def test_stored_hash_is_argon2id_never_the_password(app):
    with app.app_context():
        user = factories.user(password="a secret phrase")
        assert user.password_hash.startswith("$argon2id$")
        assert "a secret phrase" not in user.password_hash


@pytest.fixture
def csrf_app(database_url, tmp_path, app):
    # `app` first: it creates the schema and empties the tables afterwards.
    extra = create_app(make_config(database_url, tmp_path, WTF_CSRF_ENABLED=True))
    yield extra
    _dispose(extra)


def test_post_without_csrf_token_is_rejected(csrf_app):
    client = csrf_app.test_client()

    response = client.post("/login", data={"email": "a@b.test", "password": "whatever"})

    assert response.status_code == 400
    assert b"CSRF" in response.data or b"could not be understood" in response.data


def test_csrf_token_lifetime_outlasts_the_longest_test():
    assert Config.WTF_CSRF_TIME_LIMIT >= 4 * 3600


@pytest.fixture
def limited_app(database_url, tmp_path, app):
    extra = create_app(
        make_config(
            database_url,
            tmp_path,
            RATELIMIT_ENABLED=True,
            LOGIN_RATE_LIMIT="3 per minute",
        )
    )
    yield extra
    _dispose(extra)


def _dispose(extra_app) -> None:
    """Close the extra app's pooled connections (PostgreSQL warns about leaks)."""
    with extra_app.app_context():
        db.engine.dispose()


def test_login_is_rate_limited(limited_app):
    client = limited_app.test_client()
    data = {"email": "nobody@example.test", "password": "wrong password"}

    statuses = [client.post("/login", data=data).status_code for _ in range(4)]

    assert statuses[:3] == [400, 400, 400]
    assert statuses[3] == 429


@pytest.mark.parametrize(
    "target,ok",
    [
        ("/learning", True),
        ("/courses/x?y=1", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
        ("/ok\nLocation: x", False),
    ],
)
def test_is_safe_next(target, ok):
    assert is_safe_next(target) is ok


def test_session_cookie_flags(app, client):
    with app.app_context():
        factories.user(email="flags@example.test")
        db.session.commit()

    response = client.post(
        "/login", data={"email": "flags@example.test", "password": factories.PASSWORD}
    )

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
