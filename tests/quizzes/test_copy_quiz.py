"""“Make an editable copy” of a quiz from the files: a draft browser quiz owned by
the trainer whose slots fix the file's bank rows; the file quiz stays as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.audit.models import AuditEvent
from lms.content.importer import import_content
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.quizzes.builder import QUIZ_SETTING_DEFAULTS
from lms.quizzes.models import Question
from lms.skills.models import SkillMapping
from lms.users.models import Role, User
from tests import factories
from tests.conftest import Clients, session_of
from tests.content.conftest import GOOD
from tests.skills import evidence_builders

SLUG = "keying-basics-check"
ROLES = ("learner", "trainer", "other_trainer", "manager", "admin")


def _build(app, root: Path) -> dict:
    with app.app_context():
        report = import_content(root / "courses", root / "quizzes")
        assert report.ok, report.errors
        people = {role: factories.user(_role_of(role)) for role in ROLES}
        quiz = db.session.scalar(sa.select(Assessment).where(Assessment.slug == SLUG))
        evidence_builders.mapping(
            evidence_builders.skill(),
            assessment=quiz,
            rule={"type": "percent", "levels": [[70, 2]]},
        )
        db.session.commit()
        return {
            "sessions": {role: session_of(u) for role, u in people.items()},
            "ids": {role: u.id for role, u in people.items()},
            "quiz": quiz.id,
        }


def _role_of(name: str) -> Role:
    return Role.TRAINER if name == "other_trainer" else Role(name)


@pytest.fixture
def world(app, tmp_path, clock):
    root = tmp_path / "content"
    shutil.copytree(GOOD, root)
    built = _build(app, root)
    built["clients"] = Clients(app, built["sessions"] | {"anonymous": None})
    return built


def _file_quiz_state(quiz_id: int) -> tuple:
    quiz = db.session.get(Assessment, quiz_id)
    return (
        quiz.title,
        quiz.slug,
        quiz.origin,
        quiz.version,
        quiz.content,
        quiz.settings,
        quiz.is_published,
        quiz.updated_at,
    )


def _copies() -> list[Assessment]:
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.slug.startswith(SLUG + "-copy"))
            .order_by(Assessment.id)
        )
    )


def test_the_copy_is_a_draft_of_ones_own_that_fixes_the_file_questions(app, world):
    with app.app_context():
        before = _file_quiz_state(world["quiz"])

    response = world["clients"]["trainer"].post(f"/manage/quizzes/{world['quiz']}/copy")

    with app.app_context():
        (copy,) = _copies()
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/manage/quizzes/{copy.id}")
        original = db.session.get(Assessment, world["quiz"])
        assert (copy.origin, copy.owner_id, copy.is_published) == (
            ORIGIN_UI,
            world["ids"]["trainer"],
            False,
        )
        assert copy.title == original.title + " (copy)"
        assert copy.slug == SLUG + "-copy"
        assert (copy.kind, copy.time_limit_seconds, copy.attempts_allowed) == (
            "quiz",
            original.time_limit_seconds,
            original.attempts_allowed,
        )
        assert copy.settings == QUIZ_SETTING_DEFAULTS | original.settings
        rows = {
            q.source_key: q.id
            for q in db.session.scalars(
                sa.select(Question).where(Question.source_key.is_not(None))
            )
        }
        expected = [
            {"question_id": rows[f"{SLUG}/{q['id']}"]}
            for q in original.content["questions"]
        ]
        assert copy.content == {"questions": [], "slots": expected}
        assert (
            _file_quiz_state(world["quiz"]) == before
        )  # the file version is untouched
        mapping = db.session.scalars(
            sa.select(SkillMapping).where(SkillMapping.assessment_id == copy.id)
        ).one()
        assert mapping.origin == ORIGIN_UI and mapping.rule["levels"] == [[70, 2]]
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "content.copy")
        ).one()
        assert (event.actor_id, event.target_type, event.target_id) == (
            world["ids"]["trainer"],
            "assessment",
            copy.id,
        )
        assert event.details["from"] == SLUG


def test_copying_twice_gives_two_copies_with_their_own_slugs(app, world):
    for role in ("trainer", "other_trainer"):
        world["clients"][role].post(f"/manage/quizzes/{world['quiz']}/copy")

    with app.app_context():
        copies = _copies()
        assert [c.slug for c in copies] == [f"{SLUG}-copy", f"{SLUG}-copy-2"]
        assert [c.owner_id for c in copies] == [
            world["ids"]["trainer"],
            world["ids"]["other_trainer"],
        ]


def test_the_copy_is_edited_published_and_taken_by_a_learner(app, world):
    trainer = world["clients"]["trainer"]
    trainer.post(f"/manage/quizzes/{world['quiz']}/copy")
    with app.app_context():
        (copy,) = _copies()
        copy_id, copy_slug = copy.id, copy.slug
        spare = db.session.scalar(
            sa.select(Question.id).where(Question.source_key == f"{SLUG}/gst")
        )

    page = trainer.get(f"/manage/quizzes/{copy_id}").get_data(as_text=True)
    assert "Make an editable copy" not in page and "slot-table" in page
    assert trainer.post(f"/manage/quizzes/{copy_id}/slots/0/remove").status_code == 302
    added = trainer.post(
        f"/manage/quizzes/{copy_id}/slots/questions", data={"question_id": spare}
    )
    assert added.status_code == 302
    with app.app_context():  # the review setting of the file needs a close time
        quiz = db.session.get(Assessment, copy_id)
        quiz.settings = quiz.settings | {"review": "immediately"}
        db.session.commit()
    assert trainer.post(f"/manage/quizzes/{copy_id}/publish").status_code == 302

    learner = world["clients"]["learner"]
    start = learner.post(f"/api/v1/assessments/{copy_slug}/attempts")
    assert start.status_code == 201, start.get_json()
    body = start.get_json()
    assert all(item["id"].startswith("bank-") for item in body["items"])
    submitted = learner.post(f"/api/v1/attempts/{body['id']}/submit")
    assert submitted.status_code == 200
    assert submitted.get_json()["state"] == "submitted"


def test_the_file_quiz_page_offers_the_copy_beside_its_message(world):
    html = world["clients"]["trainer"].get(f"/manage/quizzes/{world['quiz']}")

    text = html.get_data(as_text=True)
    assert "It is read-only here" in text
    assert f'action="/manage/quizzes/{world["quiz"]}/copy"' in text
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
def test_who_may_copy_a_file_quiz(app, world, role, status):
    response = world["clients"][role].post(f"/manage/quizzes/{world['quiz']}/copy")

    assert response.status_code == status
    with app.app_context():
        assert len(_copies()) == (1 if role in ("other_trainer", "admin") else 0)
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


def test_a_browser_quiz_is_not_copied_this_way(app, world):
    with app.app_context():
        owner = db.session.get(User, world["ids"]["trainer"])
        own = factories.bank_quiz(owner, [], slug="own-quiz")
        db.session.commit()
        own_id = own.id

    response = world["clients"]["trainer"].post(
        f"/manage/quizzes/{own_id}/copy", follow_redirects=True
    )

    assert "Only quizzes from the files are copied" in response.get_data(as_text=True)
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).where(
                Assessment.slug.startswith("own-quiz-copy")
            )
        )
        assert count == 0


def test_copy_of_a_quiz_imported_before_the_bank_kept_its_questions(app, clock):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        quiz = factories.quiz(
            [
                factories.question("single", qid="a"),
                factories.question("short", qid="b"),
            ],
            origin=ORIGIN_FILE,
            slug="older-quiz",
        )
        db.session.commit()
        quiz_id = quiz.id
        from lms.content import copies

        copy = copies.copy_quiz(quiz, trainer)
        db.session.commit()
        keys = [
            db.session.get(Question, s["question_id"]).source_key
            for s in copy.content["slots"]
        ]
        assert keys == ["older-quiz/a", "older-quiz/b"]
        assert db.session.get(Assessment, quiz_id).content["questions"][0]["id"] == "a"
