"""Skill mappings (lms.skills.mappings): made from the content files' skills
lists with the default rule, changed by trainers in the browser, audited, and
read-only when they come from the files."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.audit.models import AuditEvent
from lms.config import PROJECT_ROOT
from lms.content import importer
from lms.courses.models import Course
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.skills import mappings, rules
from lms.skills.models import Skill, SkillMapping
from lms.users.models import Role
from tests import factories
from tests.skills import evidence_builders as build


def all_mappings() -> list[tuple[str, int, str, str]]:
    rows = db.session.execute(
        sa.select(
            SkillMapping.course_id,
            SkillMapping.assessment_id,
            Skill.slug,
            SkillMapping.origin,
        ).join(Skill, Skill.id == SkillMapping.skill_id)
    )
    return sorted(
        ("course" if c else "assessment", c or a, slug, origin)
        for c, a, slug, origin in rows
    )


@pytest.fixture
def files(app_ctx):
    """A file course and a file quiz and keying test naming two skills."""
    data_entry = build.skill("Data entry", slug="data-entry")
    accuracy = build.skill("Attention to detail", slug="attention-to-detail")
    course = factories.course(
        origin=ORIGIN_FILE, skills=["data-entry", "attention-to-detail"]
    )
    quiz = factories.quiz(2, origin=ORIGIN_FILE)
    quiz.skills = ["data-entry"]
    keying = factories.record_entry_test(origin=ORIGIN_FILE)
    keying.skills = ["attention-to-detail", "no-such-skill"]
    db.session.flush()
    return course, quiz, keying, data_entry, accuracy


# --- from the content files -----------------------------------------------------------


def test_file_content_gets_a_mapping_per_named_skill_with_the_default_rule(files):
    course, quiz, keying, data_entry, accuracy = files

    changes = mappings.sync_mappings_from_content()

    assert all_mappings() == sorted(
        [
            ("course", course.id, "data-entry", ORIGIN_FILE),
            ("course", course.id, "attention-to-detail", ORIGIN_FILE),
            ("assessment", quiz.id, "data-entry", ORIGIN_FILE),
            ("assessment", keying.id, "attention-to-detail", ORIGIN_FILE),
        ]
    )
    rules_by_subject = {
        (m.course_id, m.assessment_id): m.rule
        for m in db.session.scalars(sa.select(SkillMapping))
    }
    assert rules_by_subject[(course.id, None)] == rules.default_rule("course")
    assert rules_by_subject[(None, quiz.id)] == rules.default_rule("quiz")
    assert rules_by_subject[(None, keying.id)] == rules.default_rule("record_entry")
    # "no-such-skill" is not in the framework: it maps nothing and is not reported.
    assert sorted((c.subject, c.skill, c.bucket) for c in changes) == sorted(
        [
            (f"course {course.slug}", "data-entry", "created"),
            (f"course {course.slug}", "attention-to-detail", "created"),
            (f"assessment {quiz.slug}", "data-entry", "created"),
            (f"assessment {keying.slug}", "attention-to-detail", "created"),
        ]
    )


def test_a_second_sync_changes_nothing(files):
    mappings.sync_mappings_from_content()
    assert mappings.sync_mappings_from_content() == []


def test_a_skill_dropped_from_the_file_loses_its_file_mapping(files):
    course, *_ = files
    mappings.sync_mappings_from_content()
    course.skills = ["data-entry"]

    changes = mappings.sync_mappings_from_content()

    assert [(c.action, c.skill, c.bucket) for c in changes] == [
        ("removed", "attention-to-detail", "updated")
    ]
    assert ("course", course.id, "attention-to-detail", ORIGIN_FILE) not in (
        all_mappings()
    )


def test_browser_mappings_are_never_touched_by_the_files(files):
    course, quiz, keying, data_entry, accuracy = files
    mine = build.mapping(data_entry, assessment=keying, origin=ORIGIN_UI)
    theirs = build.mapping(
        accuracy,
        assessment=quiz,
        origin=ORIGIN_UI,
        rule={"type": "percent", "levels": [[90, 4]]},
    )
    browser_course = factories.course(skills=["data-entry"])  # a browser course

    mappings.sync_mappings_from_content()
    quiz.skills = ["data-entry", "attention-to-detail"]  # the file names it too now
    mappings.sync_mappings_from_content()

    assert db.session.get(SkillMapping, mine.id).origin == ORIGIN_UI
    assert db.session.get(SkillMapping, theirs.id).rule == {
        "type": "percent",
        "levels": [[90, 4]],
    }
    assert all(
        row[1] != browser_course.id or row[0] != "course" for row in all_mappings()
    )


def test_flask_content_import_maps_the_bundled_content(app_ctx):
    report = importer.import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")

    assert report.ok, report.errors
    mapped: dict[tuple[str, int], set[str]] = {}
    for kind, subject_id, slug, origin in all_mappings():
        assert origin == ORIGIN_FILE
        mapped.setdefault((kind, subject_id), set()).add(slug)
    named = {
        ("course", c.id): set(c.skills) for c in db.session.scalars(sa.select(Course))
    } | {
        ("assessment", a.id): set(a.skills)
        for a in db.session.scalars(sa.select(Assessment))
    }
    assert mapped == {key: slugs for key, slugs in named.items() if slugs}
    assert any("reconciliation" in slugs for slugs in mapped.values())
    again = importer.import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    assert not [c for c in again.created + again.updated if c.kind == "mapping"]


# --- changing mappings in the browser ----------------------------------------------------


@pytest.fixture
def authored(app_ctx):
    trainer = factories.user(Role.TRAINER)
    quiz = factories.quiz(2, owner=trainer)
    skill = build.skill("Reconciliation")
    return trainer, quiz, skill


def test_a_trainer_adds_changes_and_removes_a_mapping_audited(authored):
    trainer, quiz, skill = authored

    mapping = mappings.add_mapping(
        trainer, quiz, skill, {"type": "percent", "levels": [[80, 2]]}
    )
    mappings.update_mapping(
        trainer, mapping, {"type": "percent", "levels": [[70, 1], [90, 3]]}
    )
    mappings.remove_mapping(trainer, mapping)

    assert mappings.mappings_for(quiz) == []
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "skill_mapping.add",
        "skill_mapping.update",
        "skill_mapping.remove",
    ]
    assert events[1].details["before"] == {"type": "percent", "levels": [[80, 2]]}
    assert events[0].details["assessment"] == quiz.slug


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"type": "band", "levels": {"job_ready": 3}}, "percent thresholds"),
        ({"type": "percent", "levels": [[120, 2]]}, "up to 100"),
    ],
)
def test_a_rule_that_does_not_fit_is_refused(authored, rule, words):
    trainer, quiz, skill = authored
    with pytest.raises(ValidationError, match=words):
        mappings.add_mapping(trainer, quiz, skill, rule)


def test_a_skill_is_mapped_once(authored):
    trainer, quiz, skill = authored
    mappings.add_mapping(trainer, quiz, skill, rules.default_rule("quiz"))
    with pytest.raises(ValidationError, match="already mapped"):
        mappings.add_mapping(trainer, quiz, skill, rules.default_rule("quiz"))


def test_file_mappings_are_read_only(files):
    mappings.sync_mappings_from_content()
    admin = factories.user(Role.ADMIN)
    mapping = db.session.scalars(sa.select(SkillMapping)).first()
    with pytest.raises(PermissionDeniedError, match="content files"):
        mappings.update_mapping(admin, mapping, rules.default_rule("course"))
    with pytest.raises(PermissionDeniedError):
        mappings.remove_mapping(admin, mapping)


def test_who_may_map_what(app_ctx):
    owner = factories.user(Role.TRAINER)
    other = factories.user(Role.TRAINER)
    admin = factories.user(Role.ADMIN)
    learner = factories.user()
    manager = factories.user(Role.MANAGER)
    own_quiz = factories.quiz(1, owner=owner)
    file_test = factories.record_entry_test(origin=ORIGIN_FILE)
    own_course = factories.course(owner=owner)
    file_course = factories.course(origin=ORIGIN_FILE)

    def can(user):
        return [
            mappings.can_map(user, subject)
            for subject in (own_quiz, file_test, own_course, file_course)
        ]

    assert can(owner) == [True, True, True, True]
    assert can(other) == [False, True, False, True]
    assert can(admin) == [True, True, True, True]
    assert can(learner) == [False, False, False, False]
    assert can(manager) == [False, False, False, False]


# --- course pages ------------------------------------------------------------------------------


def test_a_course_is_checked_by_its_own_assessments_then_those_of_its_skills(app_ctx):
    skill = build.skill()
    course = factories.course()
    build.mapping(skill, course=course)
    keying = factories.record_entry_test(course=course, title="A keying test")
    quiz = factories.quiz(1, course=course, title="Z check quiz")
    elsewhere = factories.quiz(1, title="B related quiz")
    build.mapping(skill, assessment=elsewhere)
    factories.quiz(1, title="Unrelated")
    factories.quiz(1, course=course, published=False)

    found = mappings.check_your_learning(course)

    assert [a.id for a in found] == [quiz.id, keying.id, elsewhere.id]
