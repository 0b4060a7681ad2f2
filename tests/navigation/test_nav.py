"""The main navigation: each role sees its menus, and only what it may open."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories

MENUS = {
    Role.LEARNER: [],
    Role.TRAINER: ["Teach"],
    Role.MANAGER: ["Team"],
    Role.ADMIN: ["Teach", "Team", "Admin"],
}


def _home(app, login, role):
    with app.app_context():
        client = login(factories.user(role))
        db.session.commit()
    return client.get("/").get_data(as_text=True)


def _menus(html: str) -> list[str]:
    return re.findall(
        r'<summary class="nav-link dropdown-toggle[^"]*">([^<]+)</summary>', html
    )


@pytest.mark.parametrize("role", list(MENUS), ids=lambda r: r.value)
def test_each_role_sees_its_menus(app, login, role):
    assert _menus(_home(app, login, role)) == MENUS[role]


def test_admin_menus_hold_their_pages(app, login):
    html = _home(app, login, Role.ADMIN)

    for path in (
        "/manage/skills/",
        "/reports/coverage",
        "/admin/teams",
        "/admin/audit",
    ):
        assert f'class="dropdown-item" href="{path}"' in html


def test_a_menu_with_one_page_is_a_plain_link(app, login):
    html = _home(app, login, Role.LEARNER)

    assert '<a class="nav-link" href="/mentoring">Mentoring</a>' in html


def test_learners_have_no_api_tokens_item(app, login):
    assert "API tokens" not in _home(app, login, Role.LEARNER)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER, Role.ADMIN], ids=str)
def test_roles_that_use_the_api_have_the_tokens_item(app, login, role):
    assert "API tokens" in _home(app, login, role)


def test_people_of_different_roles_in_one_app_each_see_their_own_menus(app, login):
    """The navigation is worked out once per role and page: never another role's."""
    for role in [Role.ADMIN, Role.LEARNER, Role.MANAGER, Role.ADMIN]:
        assert _menus(_home(app, login, role)) == MENUS[role]


def test_the_current_page_is_marked_on_each_page(app, login):
    with app.app_context():
        client = login(factories.user(Role.LEARNER))
        db.session.commit()
    for path, label in (("/", "Dashboard"), ("/mentoring", "Mentoring")):
        html = client.get(path).get_data(as_text=True)
        current = re.findall(r'aria-current="page" href="[^"]*">([^<]+)</a>', html)
        assert current == [label]
