"""The role-aware landing page: what each role sees, the team progress figures,
and a query count that does not grow with the number of people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms import clock
from lms.extensions import db
from lms.users.models import Role
from tests import factories


@pytest.fixture
def team_world(app):
    """A manager's team of three with known progress, and another manager's team."""
    with app.app_context():
        manager = factories.user(Role.MANAGER, name="Mona Manager")
        other_manager = factories.user(Role.MANAGER)
        team = factories.team("Invoices", manager=manager)
        other = factories.team("Claims", manager=other_manager)
        course = factories.course(modules=2)
        today = clock.now().date()
        done = factories.user(team=team, name="Anil Done")
        late = factories.user(team=team, name="Bela Late")
        factories.user(team=team, name="Chitra Nothing")
        factories.user(team=other, name="Devi Elsewhere")
        e = factories.enrolment(done, course, due_on=today + timedelta(days=3))
        e.completed_at = clock.now()
        factories.enrolment(late, course, due_on=today - timedelta(days=2))
        db.session.commit()
        return {"manager": manager, "other_manager": other_manager}


def test_manager_sees_own_team_progress_only(team_world, login):
    client = login(team_world["manager"])

    html = client.get("/").get_data(as_text=True)

    assert "Your teams at a glance" in html
    assert "Invoices" in html and "Claims" not in html
    assert "1 of 2 assigned courses completed" in html
    assert "1 overdue (1 people)" in html
    assert "Anil Done" in html and "Chitra Nothing" in html
    assert "Devi Elsewhere" not in html


def test_learner_sees_learning_not_teams(app, login):
    with app.app_context():
        learner = factories.user()
        course = factories.course(title="Ten-key basics")
        factories.enrolment(learner, course)
        db.session.commit()

    html = login(learner).get("/").get_data(as_text=True)

    assert "Continue learning" in html and "Ten-key basics" in html
    assert "Your teams at a glance" not in html
    assert "Your content" not in html


def test_trainer_sees_content_panel(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        factories.course(owner=trainer, published=False)
        db.session.commit()

    html = login(trainer).get("/").get_data(as_text=True)

    assert "Your content" in html
    assert "Latest attempts to review" in html
    assert "Your teams at a glance" not in html


def test_admin_sees_every_team(team_world, app, login):
    with app.app_context():
        admin = factories.user(Role.ADMIN)
        db.session.commit()

    html = login(admin).get("/").get_data(as_text=True)

    assert "Invoices" in html and "Claims" in html
    assert "Active accounts" in html


def _add_people(app, manager_id: int, count: int) -> None:
    with app.app_context():
        from lms.users.models import User

        manager = db.session.get(User, manager_id)
        team = factories.team(manager=manager)
        course = factories.course(modules=1)
        for _ in range(count):
            factories.enrolment(factories.user(team=team), course)
        db.session.commit()


def test_manager_dashboard_queries_do_not_grow_with_people(app, login, count_queries):
    with app.app_context():
        manager = factories.user(Role.MANAGER)
        db.session.commit()
        manager_id = manager.id
    client = login(manager)
    _add_people(app, manager_id, 2)
    with count_queries() as small:
        assert client.get("/").status_code == 200

    _add_people(app, manager_id, 15)
    with count_queries() as large:
        assert client.get("/").status_code == 200

    assert large.count == small.count
