"""Builders for the earned-completion tests: a course that asks for reading time
and/or the end of each module, with modules of a known length."""

from __future__ import annotations

from lms.courses import progress
from lms.courses.earning import CompletionRules
from lms.courses.models import Course
from lms.extensions import db
from tests import factories

# 400 words: 2 minutes at 200 words a minute.
LONG_TEXT = " ".join(["word"] * 400)


def earned_course(
    *,
    slug: str,
    percent: int = 50,
    end: bool = False,
    modules: int = 2,
    body_md: str = LONG_TEXT,
    published: bool = True,
) -> Course:
    """A course whose modules each ask `percent` of their reading time (and the end)."""
    course = factories.course(slug=slug, modules=0, published=published)
    for i in range(modules):
        factories.module(
            course, title=f"Lesson {i + 1}", position=i + 1, body_md=body_md
        )
    course.completion_rules = CompletionRules(
        min_reading_percent=percent, require_reaching_end=end
    ).to_stored()
    db.session.flush()
    return course


def module_ids(course: Course) -> list[int]:
    return [m.id for m in progress.active_modules(course)]
