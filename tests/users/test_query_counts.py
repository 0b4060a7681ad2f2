"""The admin lists run the same number of queries however many rows there are.

This module measures by counting, so it switches off the lazy-load guard (which would
otherwise turn an N+1 into an exception before it could be counted).
"""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role, Team
from tests import factories


@pytest.fixture
def _lazy_loads_raise():
    """Overrides the autouse guard from tests/conftest.py for this module only."""
    yield


@pytest.fixture
def admin_browser(app, login):
    with app.app_context():
        admin = factories.user(Role.ADMIN)
        db.session.commit()
        return login(admin)


def _queries_for(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_people_list(app, admin_browser, count_queries):
    def add_people(n: int) -> None:
        with app.app_context():
            for _ in range(n):
                factories.user(team=factories.team())
            db.session.commit()

    add_people(3)
    small = _queries_for(admin_browser, count_queries, "/admin/users")
    add_people(20)
    large = _queries_for(admin_browser, count_queries, "/admin/users")

    assert large == small


def test_team_list(app, admin_browser, count_queries):
    def add_teams(n: int) -> None:
        with app.app_context():
            for _ in range(n):
                team = factories.team(manager=factories.user(Role.MANAGER))
                factories.user(team=team)
                factories.user(team=team, active=False)
            db.session.commit()

    add_teams(2)
    small = _queries_for(admin_browser, count_queries, "/admin/teams")
    add_teams(15)
    large = _queries_for(admin_browser, count_queries, "/admin/teams")

    assert large == small


def test_team_page(app, admin_browser, count_queries):
    with app.app_context():
        team_id = factories.team(manager=factories.user(Role.MANAGER)).id
        db.session.commit()

    def add_members(n: int) -> None:
        with app.app_context():
            team = db.session.get(Team, team_id)
            for _ in range(n):
                factories.user(team=team)  # a member
                factories.user(team=factories.team())  # a candidate from another team
            db.session.commit()

    add_members(2)
    small = _queries_for(admin_browser, count_queries, f"/admin/teams/{team_id}")
    add_members(15)
    large = _queries_for(admin_browser, count_queries, f"/admin/teams/{team_id}")

    assert large == small
