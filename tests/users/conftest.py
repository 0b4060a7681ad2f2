"""Fixtures for the people and team administration tests."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role, User
from tests import factories


@pytest.fixture
def admin_id(app) -> int:
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin", email="ada@example.test")
        db.session.commit()
        return admin.id


@pytest.fixture
def client_for(app, login):
    """client_for(user_id) -> a test client signed in as that user."""

    def _client_for(user_id: int):
        with app.app_context():
            return login(db.session.get(User, user_id))

    return _client_for


@pytest.fixture
def admin_client(client_for, admin_id):
    return client_for(admin_id)
