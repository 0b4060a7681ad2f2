"""The people pages: list, filters, create, edit, deactivate and reactivate."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.auth.passwords import verify_password
from lms.courses.models import Enrolment, ModuleProgress
from lms.extensions import db
from lms.users import services
from lms.users.models import Role, User
from tests import factories


def _get_user(app, email: str) -> User | None:
    with app.app_context():
        user = services.get_user_by_email(email)
        if user is not None:
            db.session.expunge(user)
        return user


# --- list -------------------------------------------------------------------------


def test_list_shows_each_person_with_role_team_status_and_last_sign_in(
    app, admin_client, clock
):
    with app.app_context():
        claims = factories.team("Claims")
        factories.user(name="Asha Rao", email="asha@example.test", team=claims)
        gone = factories.user(name="Old Timer", active=False)
        gone.last_login_at = clock()
        db.session.commit()

    html = admin_client.get("/admin/users").get_data(as_text=True)

    assert "Asha Rao" in html and "asha@example.test" in html
    assert "Claims" in html
    assert "Deactivated" in html
    assert "02 Mar 2026, 14:30 IST" in html  # the default zone, Asia/Kolkata
    assert "Never" in html
    assert 'href="/admin/users/new"' in html
    assert 'href="/admin/users/import"' in html


def test_list_searches_and_filters_and_keeps_them_in_the_form(app, admin_client):
    with app.app_context():
        claims = factories.team("Claims")
        factories.user(Role.MANAGER, name="Ravi Kumar", team=claims)
        factories.user(name="Asha Rao", team=claims)
        factories.user(Role.MANAGER, name="Meera Iyer")
        db.session.commit()
        claims_id = claims.id

    html = admin_client.get(
        f"/admin/users?q=ku&role=manager&team={claims_id}&status=active"
    ).get_data(as_text=True)

    assert "Ravi Kumar" in html
    assert "Asha Rao" not in html and "Meera Iyer" not in html
    assert 'value="ku"' in html
    assert '<option selected value="manager">' in html


def test_bad_filter_values_are_ignored_not_errors(admin_client):
    response = admin_client.get("/admin/users?role=boss&team=x&status=maybe&page=abc")

    assert response.status_code == 200
    assert "Ada Admin" in response.get_data(as_text=True)


def test_list_has_an_empty_state_when_nobody_matches(admin_client):
    html = admin_client.get("/admin/users?q=zzz-nobody").get_data(as_text=True)

    assert "Nobody matches these filters" in html
    assert "Clear filters" in html


def test_list_paginates_and_pages_keep_the_filters(app, admin_client):
    with app.app_context():
        for i in range(30):
            factories.user(name=f"Learner {i:02d}")
        db.session.commit()

    first = admin_client.get("/admin/users?role=learner").get_data(as_text=True)
    second = admin_client.get("/admin/users?role=learner&page=2").get_data(as_text=True)

    assert first.count("Learner ") >= 25 and "Learner 29" not in first
    assert "Learner 29" in second
    assert "page=2" in first and "role=learner" in first
    assert "page 2 of 2" in second


# --- create -----------------------------------------------------------------------


def test_create_with_a_password(app, admin_client):
    with app.app_context():
        team_id = factories.team("Claims").id
        db.session.commit()

    response = admin_client.post(
        "/admin/users/new",
        data={
            "email": "New.Person@Example.test",
            "name": "New Person",
            "role": "trainer",
            "team_id": team_id,
            "job_title": "Process Trainer",
            "password": "a good password",
        },
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "Account created for New Person." in response.get_data(as_text=True)
    user = _get_user(app, "new.person@example.test")
    assert (user.role, user.team_id, user.job_title) == (
        Role.TRAINER,
        team_id,
        "Process Trainer",
    )
    with app.app_context():
        assert verify_password(user.password_hash, "a good password")


def test_create_without_a_password_shows_the_generated_one_once(app, admin_client):
    response = admin_client.post(
        "/admin/users/new",
        data={"email": "gen@example.test", "name": "Gen", "role": "learner"},
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    password = re.search(r"Their password is (\S+)", html).group(1)
    with app.app_context():
        assert verify_password(
            _get_user(app, "gen@example.test").password_hash, password
        )
    assert password not in admin_client.get("/admin/users").get_data(as_text=True)


def test_create_form_errors_keep_what_was_typed(app, admin_client):
    response = admin_client.post(
        "/admin/users/new",
        data={
            "email": "not-an-email",
            "name": "Typed Name",
            "role": "manager",
            "job_title": "Typed Title",
            "password": "short",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Typed Name"' in html and 'value="Typed Title"' in html
    assert 'value="not-an-email"' in html
    assert '<option selected value="manager">' in html
    assert "Use at least 12 characters" in html
    assert 'value="short"' not in html  # passwords are never echoed back
    assert _get_user(app, "not-an-email") is None


def test_create_with_a_taken_email_flashes_and_keeps_the_form(app, admin_client):
    with app.app_context():
        factories.user(email="taken@example.test")
        db.session.commit()

    response = admin_client.post(
        "/admin/users/new",
        data={"email": "Taken@example.test", "name": "Second Try", "role": "learner"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "An account with the email taken@example.test already exists." in html
    assert 'value="Second Try"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


# --- edit -------------------------------------------------------------------------


def test_edit_form_shows_current_values(app, admin_client):
    with app.app_context():
        team = factories.team("Claims")
        user = factories.user(Role.TRAINER, name="Tara", team=team)
        user.job_title = "Trainer"
        db.session.commit()
        user_id, team_id = user.id, team.id

    html = admin_client.get(f"/admin/users/{user_id}/edit").get_data(as_text=True)

    assert 'value="Tara"' in html and 'value="Trainer"' in html
    assert '<option selected value="trainer">' in html
    assert f'<option selected value="{team_id}">' in html
    assert "Deactivate account" in html


def test_edit_saves_changes(app, admin_client):
    with app.app_context():
        user_id = factories.user(name="Before").id
        db.session.commit()

    response = admin_client.post(
        f"/admin/users/{user_id}/edit",
        data={
            "email": "after@example.test",
            "name": "After",
            "role": "manager",
            "team_id": 0,
            "job_title": "",
        },
    )

    assert response.status_code == 302
    user = _get_user(app, "after@example.test")
    assert (user.id, user.name, user.role, user.team_id) == (
        user_id,
        "After",
        Role.MANAGER,
        None,
    )


def test_edit_rule_failure_flashes_and_keeps_typed_values(app, admin_client):
    with app.app_context():
        manager = factories.user(Role.MANAGER, name="Maya")
        factories.team("Claims", manager=manager)
        db.session.commit()
        manager_id = manager.id

    response = admin_client.post(
        f"/admin/users/{manager_id}/edit",
        data={
            "email": "maya.new@example.test",
            "name": "Maya Typed",
            "role": "learner",
            "team_id": 0,
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Maya manages Claims" in html
    assert 'value="Maya Typed"' in html and 'value="maya.new@example.test"' in html
    assert _get_user(app, "maya.new@example.test") is None


def test_unknown_person_is_404(admin_client):
    assert admin_client.get("/admin/users/999999/edit").status_code == 404


# --- deactivate / reactivate ------------------------------------------------------


def test_deactivated_person_cannot_sign_in_and_their_history_stays(
    app, admin_client, client_for
):
    with app.app_context():
        learner = factories.user(email="lee@example.test")
        course = factories.course(modules=2)
        factories.enrolment(learner, course)
        factories.completed(learner, course.modules[0])
        db.session.commit()
        learner_id = learner.id
    their_browser = client_for(learner_id)
    assert their_browser.get("/").status_code == 200

    response = admin_client.post(
        f"/admin/users/{learner_id}/deactivate", follow_redirects=True
    )

    assert "is deactivated and signed out everywhere" in response.get_data(as_text=True)
    assert their_browser.get("/").status_code == 302  # their session ended
    sign_in = app.test_client().post(
        "/login", data={"email": "lee@example.test", "password": factories.PASSWORD}
    )
    assert sign_in.status_code == 400
    with app.app_context():
        assert db.session.get(User, learner_id) is not None
        for model in (Enrolment, ModuleProgress):
            assert (
                db.session.scalar(
                    sa.select(sa.func.count()).where(model.user_id == learner_id)
                )
                == 1
            )


def test_reactivated_person_can_sign_in_again(app, admin_client):
    with app.app_context():
        user_id = factories.user(email="back@example.test", active=False).id
        db.session.commit()

    admin_client.post(f"/admin/users/{user_id}/reactivate")

    sign_in = app.test_client().post(
        "/login", data={"email": "back@example.test", "password": factories.PASSWORD}
    )
    assert sign_in.status_code == 302


def test_admin_cannot_deactivate_themself(app, admin_client, admin_id):
    page = admin_client.get(f"/admin/users/{admin_id}/edit").get_data(as_text=True)
    assert "Deactivate account" not in page

    response = admin_client.post(
        f"/admin/users/{admin_id}/deactivate", follow_redirects=True
    )

    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin_id).is_active_account
    assert admin_client.get("/admin/users").status_code == 200


def test_deactivate_asks_for_confirmation(app, admin_client):
    with app.app_context():
        user_id = factories.user(name="Confirm Me").id
        db.session.commit()

    html = admin_client.get(f"/admin/users/{user_id}/edit").get_data(as_text=True)

    assert re.search(
        rf'action="/admin/users/{user_id}/deactivate" data-confirm="Deactivate Confirm Me\?',
        html,
    )
