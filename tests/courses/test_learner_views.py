"""Learner pages: My learning, a course, a module, marking progress."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lms.courses import progress
from lms.courses.models import Course, Enrolment, ModuleProgress
from lms.extensions import db
from tests import factories


def _enrolment(app, user_id: int, slug: str) -> Enrolment | None:
    with app.app_context():
        enrolment = db.session.scalar(
            sa.select(Enrolment)
            .join(Course, Course.id == Enrolment.course_id)
            .where(Enrolment.user_id == user_id, Course.slug == slug)
        )
        db.session.expunge_all()
        return enrolment


def test_starting_a_course_opens_its_first_module(app, world):
    response = world.client("learner").post("/courses/published/enrol")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        world.path("/courses/{P}/modules/{p1}")
    )
    assert _enrolment(app, world.ids["learner"], "published").source == "self"


def test_enrolling_in_ones_own_draft_explains_why_not(app, world):
    response = world.client("trainer_owner").post(
        "/courses/draft/enrol", follow_redirects=True
    )

    assert "not open for enrolment" in response.get_data(as_text=True)
    assert _enrolment(app, world.ids["owner"], "draft") is None


def test_opening_a_module_remembers_where_to_resume(app, world):
    client = world.client("learner")
    client.get(world.path("/courses/published/modules/{p2}"))

    assert (
        _enrolment(app, world.ids["learner"], "published").last_module_id
        == (world.ids["p2"])
    )
    html = client.get("/courses/published").get_data(as_text=True)
    assert "Start: Module 2" in html


def test_authors_previewing_a_draft_leave_no_progress(app, world):
    world.client("trainer_owner").get(world.path("/courses/draft/modules/{d1}"))

    assert _enrolment(app, world.ids["owner"], "draft") is None


def test_marking_modules_complete_moves_on_and_finishes_the_course(app, world):
    client = world.client("learner")

    first = client.post(world.path("/courses/published/modules/{p1}/complete"))
    assert first.headers["Location"].endswith(world.path("/courses/{P}/modules/{p2}"))
    client.post(world.path("/courses/published/modules/{p2}/complete"))
    last = client.post(
        world.path("/courses/published/modules/{p3}/complete"), follow_redirects=True
    )

    assert "Course complete: Published course" in last.get_data(as_text=True)
    assert _enrolment(app, world.ids["learner"], "published").completed_at is not None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))) == 3


def test_marking_complete_needs_a_post(world):
    response = world.client("learner").get(
        world.path("/courses/published/modules/{p1}/complete")
    )

    assert response.status_code == 405


def test_my_learning_lists_overdue_assignments_first(app, world, clock):
    with app.app_context():
        learner = db.session.get(factories.User, world.ids["learner"])
        late = factories.course(title="Late one")
        later = factories.course(title="Later one")
        factories.enrolment(learner, later, due_on=date(2026, 5, 1))
        factories.enrolment(learner, late, due_on=date(2026, 2, 1))
        db.session.commit()

    html = world.client("learner").get("/learning").get_data(as_text=True)

    assert html.index("Late one") < html.index("Later one")
    late_card = html.split("Late one")[1].split("</article>")[0]
    assert "Overdue" in late_card


def test_the_catalogue_in_my_learning_is_paginated(app, world):
    with app.app_context():
        for n in range(30):
            factories.course(title=f"Catalogue {n:02d}", modules=1)
        db.session.commit()
    client = world.client("learner")

    first = client.get("/learning").get_data(as_text=True)
    second = client.get("/learning?page=2").get_data(as_text=True)
    beyond = client.get("/learning?page=9").get_data(as_text=True)

    # 30 new + "File course" + "Published course" = 32 open courses, 24 a page
    assert first.count("Catalogue ") == 24
    assert second.count("Catalogue ") == 6
    assert "Published course" in second and "Published course" not in first
    assert "/learning?page=2" in first
    assert "no more courses" in beyond


def test_drafts_are_not_offered_to_learners(world):
    html = world.client("learner").get("/learning").get_data(as_text=True)

    assert "Published course" in html
    assert "Draft course" not in html


def test_course_page_shows_progress_for_enrolled_learners(app, world):
    with app.app_context():
        learner = db.session.get(factories.User, world.ids["learner"])
        course = db.session.scalar(sa.select(Course).where(Course.slug == "published"))
        factories.enrolment(learner, course, due_on=date(2026, 3, 30))
        progress.complete_module(learner, progress.active_modules(course)[0])
        db.session.commit()

    html = world.client("learner").get("/courses/published").get_data(as_text=True)

    assert "1 of 3 modules complete" in html
    assert "Due 30 Mar 2026" in html
    assert "Continue: Module 2" in html
