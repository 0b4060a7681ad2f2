"""The live preview is a POST from our own page: it needs the CSRF token, which
markdown-preview.js sends in the X-CSRFToken header."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.courses import progress
from lms.courses.models import Course
from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.courses.conftest import tags


@pytest.fixture
def app_config_overrides():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def trainer_client(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        factories.course(slug="mine", owner=trainer)
        db.session.commit()
        return login(trainer)


def _token_from_editor(client) -> str:
    html = client.get("/manage/courses/mine/modules/new").get_data(as_text=True)
    for tag, attrs in tags(html):
        if tag == "input" and attrs.get("name") == "csrf_token":
            return attrs["value"]
    raise AssertionError("the module editor has no csrf_token input")


def test_preview_without_the_token_is_refused(trainer_client):
    response = trainer_client.post(
        "/manage/preview",
        json={"markdown": "*x*"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 400


def test_preview_with_the_pages_token_in_the_header_works(trainer_client):
    token = _token_from_editor(trainer_client)

    response = trainer_client.post(
        "/manage/preview",
        json={"markdown": "*x*"},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.get_json() == {"html": "<p><em>x</em></p>\n"}


def test_saving_a_module_without_the_token_changes_nothing(app, trainer_client):
    response = trainer_client.post(
        "/manage/courses/mine/modules/new",
        data={"title": "No token", "body_md": "text"},
    )

    assert response.status_code == 400
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "mine"))
        titles = [m.title for m in progress.active_modules(course)]
    assert "No token" not in titles
