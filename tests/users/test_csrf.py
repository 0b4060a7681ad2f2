"""With CSRF protection on (as in production), admin actions need the form's token."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.users.models import User
from tests import factories


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def test_deactivate_without_a_token_is_refused_and_with_it_works(app, admin_client):
    with app.app_context():
        user_id = factories.user(name="Protected").id
        db.session.commit()

    refused = admin_client.post(f"/admin/users/{user_id}/deactivate")
    page = admin_client.get(f"/admin/users/{user_id}/edit").get_data(as_text=True)
    token = re.search(
        r'action="/admin/users/\d+/deactivate".*?name="csrf_token" type="hidden" value="([^"]+)"',
        page,
        re.S,
    )[1]
    accepted = admin_client.post(
        f"/admin/users/{user_id}/deactivate", data={"csrf_token": token}
    )

    assert refused.status_code == 400
    assert accepted.status_code == 302
    with app.app_context():
        assert not db.session.get(User, user_id).is_active_account
