"""Making an editable copy of a course, a quiz or a keying test that comes from
the files, as one action: the domain makes the copy (lms.courses.copying,
lms.quizzes.copying, lms.keying.copying; lms.copies has what they share), the
copy gets the original's skill mappings as browser mappings with the same
rules (the import only keeps file content's mappings, so the copy's are its
own to change), and the audit log records who copied what ("content.copy").

The file version is never changed. Services flush; the view commits.
"""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.audit import services as audit
from lms.courses import copying as course_copying
from lms.courses.models import Course
from lms.extensions import db
from lms.keying import copying as keying_copying
from lms.origins import ORIGIN_UI
from lms.quizzes import copying as quiz_copying
from lms.skills.models import SkillMapping
from lms.users.models import User

AUDIT_ACTION = "content.copy"


def copy_course(course: Course, actor: User) -> Course:
    copy = course_copying.copy_course(course, actor)
    _finish(course, copy, actor, "course")
    return copy


def copy_quiz(quiz: Assessment, actor: User) -> Assessment:
    copy = quiz_copying.copy_quiz(quiz, actor)
    _finish(quiz, copy, actor, "assessment")
    return copy


def copy_keying_test(test: Assessment, actor: User) -> Assessment:
    copy = keying_copying.copy_keying_test(test, actor)
    _finish(test, copy, actor, "assessment")
    return copy


def _finish(original, copy, actor: User, target_type: str) -> None:
    _copy_mappings(original, copy)
    audit.record(
        actor,
        AUDIT_ACTION,
        target_type,
        copy.id,
        {"from": original.slug, "slug": copy.slug, "title": copy.title},
    )


def _copy_mappings(original: Course | Assessment, copy: Course | Assessment) -> None:
    column = "course_id" if isinstance(original, Course) else "assessment_id"
    for mapping in db.session.scalars(
        sa.select(SkillMapping).where(getattr(SkillMapping, column) == original.id)
    ):
        db.session.add(
            SkillMapping(
                skill_id=mapping.skill_id,
                rule=dict(mapping.rule or {}),
                origin=ORIGIN_UI,
                **{column: copy.id},
            )
        )
    db.session.flush()
