"""“Make an editable copy” of a keying test from the files, and the details page
of the copy; the file test stays as it is."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.skills.models import SkillMapping
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of
from tests.skills import evidence_builders

SLUG = "customer-record-entry"
ROLES = ("learner", "trainer", "other_trainer", "manager", "admin")
DETAILS = {
    "title": "Customer records, our version",
    "description_md": "Key **every** record.",
    "time_limit_minutes": "12",
    "attempts_allowed": "2",
    "is_published": "y",
}


@pytest.fixture
def world(app, clock):
    with app.app_context():
        people = {
            role: factories.user(Role.TRAINER if role == "other_trainer" else role)
            for role in ROLES
        }
        test = factories.bundled_keying_test(SLUG)
        evidence_builders.mapping(evidence_builders.skill(), assessment=test)
        db.session.commit()
        return {
            "clients": Clients(
                app,
                {role: session_of(u) for role, u in people.items()}
                | {"anonymous": None},
            ),
            "ids": {role: u.id for role, u in people.items()},
        }


def _test(slug: str) -> Assessment | None:
    return db.session.scalar(sa.select(Assessment).where(Assessment.slug == slug))


def _state(test: Assessment) -> tuple:
    return (
        test.title,
        test.origin,
        test.version,
        test.content,
        test.settings,
        test.is_published,
        test.updated_at,
    )


def test_the_copy_is_a_draft_of_ones_own_with_the_tests_content(app, world):
    with app.app_context():
        before = _state(_test(SLUG))

    response = world["clients"]["trainer"].post(f"/keying/tests/{SLUG}/copy")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/keying/tests/{SLUG}-copy/edit")
    with app.app_context():
        original, copy = _test(SLUG), _test(f"{SLUG}-copy")
        assert (copy.origin, copy.owner_id, copy.is_published) == (
            ORIGIN_UI,
            world["ids"]["trainer"],
            False,
        )
        assert copy.title == original.title + " (copy)"
        assert (copy.kind, copy.content, copy.settings) == (
            original.kind,
            original.content,
            original.settings,
        )
        assert copy.time_limit_seconds == original.time_limit_seconds
        assert _state(original) == before
        mapping = db.session.scalars(
            sa.select(SkillMapping).where(SkillMapping.assessment_id == copy.id)
        ).one()
        assert mapping.origin == ORIGIN_UI
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "content.copy")
        ).one()
        assert (event.target_id, event.details["from"]) == (copy.id, SLUG)


def test_the_owner_edits_and_publishes_the_copy_and_a_learner_takes_it(app, world):
    trainer = world["clients"]["trainer"]
    trainer.post(f"/keying/tests/{SLUG}/copy")

    page = trainer.get(f"/keying/tests/{SLUG}-copy/edit")
    assert page.status_code == 200
    assert 'for="time_limit_minutes"' in page.get_data(as_text=True)
    saved = trainer.post(f"/keying/tests/{SLUG}-copy/edit", data=DETAILS)

    assert saved.status_code == 302
    with app.app_context():
        copy = _test(f"{SLUG}-copy")
        assert (copy.title, copy.time_limit_seconds, copy.attempts_allowed) == (
            "Customer records, our version",
            720,
            2,
        )
        assert copy.is_published and copy.version == 2
        assert "<strong>every</strong>" in copy.description_html
    start = world["clients"]["learner"].post(
        f"/api/v1/assessments/{SLUG}-copy/attempts"
    )
    assert start.status_code == 201, start.get_json()
    assert start.get_json()["kind"] == "record_entry"


def test_bad_details_come_back_with_the_typed_values(world):
    trainer = world["clients"]["trainer"]
    trainer.post(f"/keying/tests/{SLUG}/copy")

    response = trainer.post(
        f"/keying/tests/{SLUG}-copy/edit",
        data=DETAILS | {"title": "", "time_limit_minutes": "9999"},
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Give the test a title." in html
    assert 'value="9999"' in html


def test_copying_twice_gives_two_copies_with_their_own_slugs(app, world):
    world["clients"]["trainer"].post(f"/keying/tests/{SLUG}/copy")
    world["clients"]["admin"].post(f"/keying/tests/{SLUG}/copy")

    with app.app_context():
        assert _test(f"{SLUG}-copy").owner_id == world["ids"]["trainer"]
        assert _test(f"{SLUG}-copy-2").owner_id == world["ids"]["admin"]


def test_the_file_test_is_refused_and_another_trainer_cannot_edit_a_copy(app, world):
    world["clients"]["trainer"].post(f"/keying/tests/{SLUG}/copy")

    file_test = world["clients"]["trainer"].post(
        f"/keying/tests/{SLUG}/edit", data=DETAILS
    )
    other = world["clients"]["other_trainer"].post(
        f"/keying/tests/{SLUG}-copy/edit", data=DETAILS
    )

    assert file_test.status_code == 403
    assert "comes from the files" in file_test.get_data(as_text=True)
    assert other.status_code == 403
    with app.app_context():
        assert _test(SLUG).title != DETAILS["title"]
        assert _test(f"{SLUG}-copy").title.endswith("(copy)")


def test_the_attempts_page_offers_the_copy_beside_its_message(world):
    html = world["clients"]["trainer"].get(f"/keying/tests/{SLUG}/attempts")

    text = html.get_data(as_text=True)
    assert "read-only here" in text
    assert f'action="/keying/tests/{SLUG}/copy"' in text
    assert "Make an editable copy" in text


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
def test_who_may_copy_a_file_keying_test(app, world, role, status):
    response = world["clients"][role].post(f"/keying/tests/{SLUG}/copy")

    assert response.status_code == status
    with app.app_context():
        made = _test(f"{SLUG}-copy") is not None
        assert made == (role in ("other_trainer", "admin"))
