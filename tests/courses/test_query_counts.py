"""List pages run a fixed number of queries however much data there is (no N+1)."""

from __future__ import annotations

from datetime import date

import pytest

from lms.courses import progress
from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.users.models import Role
from tests import factories

SIZES = (2, 9)


def _queries(count_queries, client, url: str) -> int:
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    return q.count


def _my_learning_world(app, login, n: int):
    with app.app_context():
        learner = factories.user()
        for i in range(n):
            course = factories.course(modules=3)
            factories.enrolment(learner, course, due_on=date(2026, 4, i + 1))
            factories.completed(learner, progress.active_modules(course)[0])
            factories.course(modules=2)  # optional, not enrolled
        db.session.commit()
        return login(learner)


def test_my_learning_query_count_does_not_grow(app, login, count_queries, clock):
    counts = []
    for n in SIZES:
        client = _my_learning_world(app, login, n)
        html = client.get("/learning").get_data(as_text=True)
        assert html.count("data-course=") == n  # every enrolled course is listed
        counts.append(_queries(count_queries, client, "/learning"))

    assert counts[0] == counts[1], counts


def _manage_world(app, login, n: int, role=Role.TRAINER):
    with app.app_context():
        trainer = factories.user(role)
        for _ in range(n):
            own = factories.course(modules=3, owner=trainer)
            factories.course(modules=2, origin=ORIGIN_FILE)
            factories.enrolment(factories.user(), own)
        db.session.commit()
        return login(trainer)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_course_list_query_count_does_not_grow(app, login, count_queries, role):
    counts = []
    for n in SIZES:
        client = _manage_world(app, login, n, role)
        counts.append(_queries(count_queries, client, "/manage/courses"))

    assert counts[0] == counts[1], counts


def test_assign_page_query_count_does_not_grow(app, login, count_queries, clock):
    counts = []
    for n in SIZES:
        with app.app_context():
            manager = factories.user(Role.MANAGER)
            team = factories.team(manager=manager)
            course = factories.course(slug=f"assign-{n}", modules=3)
            for _ in range(n):
                member = factories.user(team=team)
                factories.enrolment(member, course, due_on=date(2026, 3, 1))
                factories.completed(member, progress.active_modules(course)[0])
            db.session.commit()
            client = login(manager)
        counts.append(
            _queries(count_queries, client, f"/manage/courses/assign-{n}/assign")
        )

    assert counts[0] == counts[1], counts


def test_course_editor_query_count_does_not_grow(app, login, count_queries):
    counts = []
    for n in SIZES:
        with app.app_context():
            trainer = factories.user(Role.TRAINER)
            factories.course(slug=f"edit-{n}", modules=n, owner=trainer)
            db.session.commit()
            client = login(trainer)
        counts.append(_queries(count_queries, client, f"/manage/courses/edit-{n}/edit"))

    assert counts[0] == counts[1], counts
