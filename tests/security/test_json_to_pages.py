"""Pages read a JSON body as their form's fields: only an object of text values
can be one. Anything else is refused with 400 and nothing changes, where forms
used to crash with 500 on `false`, a list, a number or a nested object."""

from __future__ import annotations

import json

import pytest

from lms.auth.passwords import verify_password
from lms.extensions import db
from lms.users.models import Role, User
from tests import factories


@pytest.fixture
def trainer(app, login):
    with app.app_context():
        user = factories.user(Role.TRAINER)
        db.session.commit()
        return user.id, login(user)


@pytest.mark.parametrize(
    "body",
    [
        False,
        None,
        [1, 2],
        "text",
        12,
        {"current_password": True},
        {"new_password": 12345678901234},
        {"new_password": {"nested": "x"}},
        {"new_password": ["a", 1]},
        {"name": None},
    ],
)
def test_a_form_given_json_it_cannot_read_answers_400(app, trainer, body):
    user_id, client = trainer
    app.config["PROPAGATE_EXCEPTIONS"] = False

    response = client.post(
        "/account/password", data=json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"
    with app.app_context():
        stored = db.session.get(User, user_id)
        assert verify_password(stored.password_hash, factories.PASSWORD)


def test_json_of_text_values_still_reaches_the_form(trainer):
    _, client = trainer

    response = client.post(
        "/manage/preview",
        json={"markdown": "Some **bold** text"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.get_json()["html"]


def test_the_api_reads_its_own_bodies(app, trainer):
    _, client = trainer

    response = client.put("/api/v1/attempts/1/responses", json=[1, 2])

    assert response.status_code != 500
    assert "error" in response.get_json()
