"""The shared view helper that runs one user action as one transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages

from lms.errors import ValidationError
from lms.extensions import db
from lms.forms import service_action
from lms.users.models import Team


def _teams() -> list[str]:
    return list(db.session.scalars(sa.select(Team.name)))


def test_a_finished_action_commits(app):
    with app.test_request_context():
        with service_action() as action:
            db.session.add(Team(name="Claims"))
        db.session.close()

        assert action.ok and _teams() == ["Claims"]


def test_a_domain_error_rolls_back_and_is_flashed(app):
    with app.test_request_context():
        with service_action() as action:
            db.session.add(Team(name="Claims"))
            db.session.flush()
            raise ValidationError("That team name is taken.")

        assert not action.ok
        assert _teams() == []
        assert get_flashed_messages(with_categories=True) == [
            ("danger", "That team name is taken.")
        ]


def test_other_errors_propagate(app):
    with app.test_request_context(), pytest.raises(RuntimeError), service_action():
        raise RuntimeError("bug")
