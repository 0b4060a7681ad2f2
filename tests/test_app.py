"""The application factory, security headers, sessions and the SQLite settings."""

from __future__ import annotations

import sqlalchemy as sa

from lms import create_app
from lms.extensions import db
from tests import factories
from tests.conftest import make_config


def test_login_page_renders_with_security_headers(client):
    response = client.get("/login")

    assert response.status_code == 200
    assert b"Sign in" in response.data
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_anonymous_dashboard_redirects_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_sqlite_pragmas_are_set(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path / 'p.sqlite'}", tmp_path))  # noqa
    with app.app_context(), db.engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
        }

    assert pragmas == {
        "journal_mode": "wal",
        "busy_timeout": 10_000,
        "foreign_keys": 1,
        "synchronous": 2,
    }


def test_secret_key_is_generated_into_instance_folder(tmp_path, monkeypatch):
    config = make_config(
        "sqlite://", tmp_path, INSTANCE_PATH=str(tmp_path / "instance")
    )
    config.pop("SECRET_KEY")
    first = create_app(config)
    second = create_app(config)

    assert len(first.config["SECRET_KEY"]) == 64
    assert (tmp_path / "instance" / "secret_key").read_text() == first.config[
        "SECRET_KEY"
    ]
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_api_404_is_json(client):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_login_flow_and_session_revocation_on_logout(app, client):
    with app.app_context():
        factories.user(email="ana@example.test")
        db.session.commit()
    response = client.post(
        "/login", data={"email": "ANA@example.test", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    other = app.test_client()
    other.post(
        "/login", data={"email": "ana@example.test", "password": factories.PASSWORD}
    )
    assert other.get("/").status_code == 200

    client.post("/logout")

    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 302  # every session of the account ended


def test_wrong_password_keeps_email_and_says_why(app, client):
    with app.app_context():
        factories.user(email="ben@example.test")
        db.session.commit()

    response = client.post(
        "/login", data={"email": "ben@example.test", "password": "nope"}
    )

    assert response.status_code == 400
    assert b"do not match" in response.data
    assert b'value="ben@example.test"' in response.data


def test_deactivated_user_cannot_sign_in(app, client):
    with app.app_context():
        factories.user(email="cy@example.test", active=False)
        db.session.commit()

    response = client.post(
        "/login", data={"email": "cy@example.test", "password": factories.PASSWORD}
    )

    assert response.status_code == 400


def test_next_redirect_only_to_local_paths(app, client):
    with app.app_context():
        factories.user(email="di@example.test")
        db.session.commit()
    data = {"email": "di@example.test", "password": factories.PASSWORD}

    evil = client.post("/login", data={**data, "next": "//evil.example/x"})
    assert evil.headers["Location"].endswith("/")
    client.post("/logout")
    good = client.post("/login", data={**data, "next": "/account/password"})
    assert good.headers["Location"].endswith("/account/password")


def test_password_change_signs_out_other_sessions(app, login):
    with app.app_context():
        user = factories.user()
        db.session.commit()
        me, other = login(user), login(user)

    response = me.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "a brand new one",
            "confirm_password": "a brand new one",
        },
    )

    assert response.status_code == 302
    assert me.get("/").status_code == 200
    assert other.get("/").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("user")))
            == 1
        )
