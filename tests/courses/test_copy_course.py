"""“Make an editable copy” of a course from the course files: a draft browser
course owned by the trainer with copies of its current modules; the file
course stays as it is."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.courses.models import Course, Module
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.skills.models import SkillMapping
from lms.users.models import Role, User
from tests import factories
from tests.conftest import Clients, session_of
from tests.skills import evidence_builders

ROLES = ("learner", "trainer", "other_trainer", "manager", "admin")


@pytest.fixture
def world(app, clock):
    with app.app_context():
        people = {
            role: factories.user(Role.TRAINER if role == "other_trainer" else role)
            for role in ROLES
        }
        course = factories.course(
            slug="records-care", title="Records care", origin=ORIGIN_FILE, modules=3
        )
        course.skills = ["data-entry"]
        retired = factories.module(course, title="Old module", position=4)
        retired.is_active = False
        evidence_builders.mapping(evidence_builders.skill(), course=course)
        db.session.commit()
        return {
            "clients": Clients(
                app,
                {role: session_of(u) for role, u in people.items()}
                | {"anonymous": None},
            ),
            "ids": {role: u.id for role, u in people.items()},
            "course": course.id,
        }


def _course(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


def _modules(course: Course) -> list[tuple]:
    return [
        (m.position, m.slug, m.title, m.body_md, m.body_html, m.is_active)
        for m in db.session.scalars(
            sa.select(Module)
            .where(Module.course_id == course.id)
            .order_by(Module.position)
        )
    ]


def _state(course: Course) -> tuple:
    return (
        course.title,
        course.origin,
        course.owner_id,
        course.is_published,
        course.updated_at,
        _modules(course),
    )


def test_the_copy_is_a_draft_of_ones_own_with_the_current_modules(app, world):
    with app.app_context():
        before = _state(_course("records-care"))

    response = world["clients"]["trainer"].post("/manage/courses/records-care/copy")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/manage/courses/records-care-copy/edit"
    )
    with app.app_context():
        original = _course("records-care")
        copy = _course("records-care-copy")
        assert (copy.origin, copy.owner_id, copy.is_published) == (
            ORIGIN_UI,
            world["ids"]["trainer"],
            False,
        )
        assert copy.title == "Records care (copy)"
        assert (copy.summary, copy.skills) == (original.summary, ["data-entry"])
        assert _modules(copy) == [m for m in _modules(original) if m[-1]]
        assert _state(original) == before
        mapping = db.session.scalars(
            sa.select(SkillMapping).where(SkillMapping.course_id == copy.id)
        ).one()
        assert mapping.origin == ORIGIN_UI
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "content.copy")
        ).one()
        assert (event.target_type, event.target_id, event.details["from"]) == (
            "course",
            copy.id,
            "records-care",
        )


def test_the_copy_is_editable_and_the_original_is_not(app, world):
    trainer = world["clients"]["trainer"]
    trainer.post("/manage/courses/records-care/copy")

    assert trainer.get("/manage/courses/records-care-copy/edit").status_code == 200
    assert trainer.get("/manage/courses/records-care/edit").status_code == 403
    saved = trainer.post(
        "/manage/courses/records-care-copy/modules/new",
        data={"title": "A new lesson", "body_md": "Our own **text**."},
    )
    assert saved.status_code == 302
    published = trainer.post("/manage/courses/records-care-copy/publish")
    assert published.status_code == 302
    with app.app_context():
        copy = _course("records-care-copy")
        assert copy.is_published and len(_modules(copy)) == 4
        assert len(_modules(_course("records-care"))) == 4  # 3 active + 1 retired
    learner_page = world["clients"]["learner"].get("/courses/records-care-copy")
    assert learner_page.status_code == 200


def test_copying_twice_gives_two_copies_with_their_own_slugs(app, world):
    world["clients"]["trainer"].post("/manage/courses/records-care/copy")
    world["clients"]["trainer"].post("/manage/courses/records-care/copy")

    with app.app_context():
        assert _course("records-care-copy") is not None
        assert _course("records-care-copy-2") is not None


def test_the_course_page_offers_the_copy_to_authors_only(world):
    trainer = world["clients"]["trainer"].get("/courses/records-care")
    learner = world["clients"]["learner"].get("/courses/records-care")

    assert 'action="/manage/courses/records-care/copy"' in trainer.get_data(
        as_text=True
    )
    assert "Make an editable copy" in trainer.get_data(as_text=True)
    assert "Make an editable copy" not in learner.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("learner", 403),
        ("manager", 403),
        ("other_trainer", 302),
        ("admin", 302),
    ],
)
def test_who_may_copy_a_file_course(app, world, role, status):
    response = world["clients"][role].post("/manage/courses/records-care/copy")

    assert response.status_code == status
    with app.app_context():
        made = _course("records-care-copy") is not None
        assert made == (role in ("other_trainer", "admin"))


def test_a_browser_course_is_not_copied_this_way(app, world):
    with app.app_context():
        owner = db.session.get(User, world["ids"]["trainer"])
        factories.course(slug="own-course", owner=owner)
        db.session.commit()

    response = world["clients"]["trainer"].post(
        "/manage/courses/own-course/copy", follow_redirects=True
    )

    assert "Only courses from the files are copied" in response.get_data(as_text=True)
    with app.app_context():
        assert _course("own-course-copy") is None
