"""The skills admin pages run the same number of queries however many skills,
categories, paths and roles there are (the lazy-load guard stays on, so an N+1
would raise before it could be counted)."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.skills import framework_builders as build


@pytest.fixture
def trainer(app, login):
    with app.app_context():
        user = factories.user(Role.TRAINER)
        db.session.commit()
        return login(user)


@pytest.fixture
def grow(app):
    """grow(n): n more categories, each with skills (one inactive), and n more
    paths, each with roles that require skills."""

    def _grow(n: int) -> dict[str, int]:
        with app.app_context():
            last = {}
            for _ in range(n):
                category = build.category()
                skills = [build.skill(of=category) for _ in range(2)]
                build.skill(of=category, active=False)
                path = build.path()
                for position in (1, 2):
                    role = build.role(
                        on=path,
                        position=position,
                        requires={s: position + 1 for s in skills},
                    )
                last = {"path": path.id, "role": role.id}
            db.session.commit()
            return last

    return _grow


def queries(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.mark.parametrize(
    "url",
    [
        "/manage/skills/",
        "/manage/skills/?status=all",
        "/manage/skills/categories",
        "/manage/skills/paths",
        "/manage/skills/export.csv",
        "/manage/skills/new",
    ],
)
def test_list_pages(app, trainer, grow, count_queries, url):
    grow(2)
    small = queries(trainer, count_queries, url)
    grow(12)
    large = queries(trainer, count_queries, url)

    assert large == small


def test_a_paths_page_and_a_roles_required_levels(app, trainer, grow, count_queries):
    first = grow(2)
    small = [
        queries(trainer, count_queries, f"/manage/skills/paths/{first['path']}"),
        queries(trainer, count_queries, f"/manage/skills/roles/{first['role']}"),
        queries(
            trainer, count_queries, f"/manage/skills/roles/{first['role']}/requirements"
        ),
    ]
    grow(12)
    large = [
        queries(trainer, count_queries, f"/manage/skills/paths/{first['path']}"),
        queries(trainer, count_queries, f"/manage/skills/roles/{first['role']}"),
        queries(
            trainer, count_queries, f"/manage/skills/roles/{first['role']}/requirements"
        ),
    ]

    assert large == small
