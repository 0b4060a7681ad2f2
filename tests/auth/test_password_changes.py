"""Changing, resetting and first-time passwords: the policy on every new password,
API tokens revoked by a password change and by deactivation (and still revoked
after reactivation), one-time passwords from an admin that must be changed at the
next sign-in, as must the first password of an account an admin or an import made."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.auth import tokens
from lms.auth.passwords import verify_password
from lms.extensions import db
from lms.users.models import Role, User
from tests import factories

NEW = "lantern ledger sunrise"


@pytest.fixture
def people(app):
    with app.app_context():
        admin = factories.user(Role.ADMIN, email="ada@example.test")
        learner = factories.user(email="lee.park@example.test", name="Lee Park")
        token = tokens.create_token(learner, "script")[1]
        db.session.commit()
        return {
            "admin": admin,
            "learner": learner,
            "learner_id": learner.id,
            "token": token,
        }


def _user(app, email) -> User:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.expunge_all()
        return user


def _api_status(app, token) -> int:
    client = app.test_client()
    return client.get(
        "/api/v1/attempts/1", headers={"Authorization": f"Bearer {token}"}
    ).status_code


def _change(client, current, new):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new,
        },
    )


@pytest.mark.parametrize("weak", ["elevenchars", "password1234", "Lee Park rocks"])
def test_a_weak_new_password_is_refused_beside_the_new_password(
    app, login, people, weak
):
    response = _change(login(people["learner"]), factories.PASSWORD, weak)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    new_field = page[page.index('name="new_password"') :]
    assert "invalid-feedback" in new_field[:600]
    with app.app_context():
        assert verify_password(
            _user(app, "lee.park@example.test").password_hash, factories.PASSWORD
        )


def test_a_password_change_revokes_api_tokens(app, login, people):
    assert _api_status(app, people["token"]) == 404  # works: no such attempt

    response = _change(login(people["learner"]), factories.PASSWORD, NEW)

    assert response.status_code == 302
    assert _api_status(app, people["token"]) == 401


def test_deactivation_revokes_api_tokens_for_good(app, login, people):
    admin = login(people["admin"])
    learner_id = people["learner_id"]

    admin.post(f"/admin/users/{learner_id}/deactivate")
    assert _api_status(app, people["token"]) == 401
    admin.post(f"/admin/users/{learner_id}/reactivate")

    assert _api_status(app, people["token"]) == 401
    with app.app_context():
        assert all(
            t.revoked_at is not None
            for t in tokens.tokens_for(db.session.get(User, learner_id))
        )


def test_an_admin_reset_gives_a_one_time_password_to_change_at_sign_in(
    app, login, people
):
    learner_id = people["learner_id"]
    their_browser = login(people["learner"])
    assert their_browser.get("/").status_code == 200

    response = login(people["admin"]).post(
        f"/admin/users/{learner_id}/reset-password", follow_redirects=True
    )

    page = response.get_data(as_text=True)
    one_time = re.search(r'id="one-time-password">([^<]+)<', page).group(1)
    assert response.headers.get("Cache-Control") == "no-store"
    assert their_browser.get("/").status_code == 302  # signed out everywhere
    assert _api_status(app, people["token"]) == 401
    user = _user(app, "lee.park@example.test")
    assert user.must_change_password
    with app.app_context():
        assert not verify_password(user.password_hash, factories.PASSWORD)

    browser = app.test_client()
    signed_in = browser.post(
        "/login", data={"email": "lee.park@example.test", "password": one_time}
    )
    assert signed_in.status_code == 302
    assert browser.get("/").headers["Location"].endswith("/account/password")
    assert browser.get("/api/v1/attempts/1").status_code == 403
    assert _change(browser, one_time, NEW).status_code == 302
    assert browser.get("/").status_code == 200
    assert not _user(app, "lee.park@example.test").must_change_password


def test_an_account_an_admin_creates_must_change_its_password(app, login, people):
    admin = login(people["admin"])
    admin.post(
        "/admin/users/new",
        data={"email": "typed@example.test", "name": "Typed", "password": NEW},
    )
    admin.post(
        "/admin/users/new", data={"email": "gen@example.test", "name": "Generated"}
    )

    assert _user(app, "typed@example.test").must_change_password
    assert _user(app, "gen@example.test").must_change_password
    browser = app.test_client()
    browser.post("/login", data={"email": "typed@example.test", "password": NEW})
    assert browser.get("/").headers["Location"].endswith("/account/password")


def test_the_admin_create_form_applies_the_policy(app, login, people):
    response = login(people["admin"]).post(
        "/admin/users/new",
        data={"email": "w@example.test", "name": "Weak", "password": "password1234"},
    )

    assert response.status_code == 400
    assert "too common" in response.get_data(as_text=True)
    assert _user(app, "w@example.test") is None


def test_imported_accounts_must_change_their_password(app):
    from lms.users import services

    data = (
        "email,name,password\n"
        "given@example.test,Given,lantern ledger sunrise\n"
        "blank@example.test,Blank,\n"
    )
    with app.app_context():
        services.import_users(data)
        db.session.commit()

    assert _user(app, "given@example.test").must_change_password
    assert _user(app, "blank@example.test").must_change_password


def test_an_import_refuses_weak_passwords(app):
    from lms.users import csv_import

    result = csv_import.validate(
        "email,name,password\n"
        "a@example.test,Ann Lee,password1234\n"
        "b@example.test,Bob Stone,bob.stone.99x\n"
    )

    assert [(p.line, p.field) for p in result.errors] == [
        (2, "password"),
        (3, "password"),
    ]
    assert "password1234" not in str(result.errors)
