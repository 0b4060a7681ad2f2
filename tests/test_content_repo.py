"""Repository guard: the bundled courses/ and quizzes/ validate and are complete enough."""

from __future__ import annotations

import pytest

from lms.config import PROJECT_ROOT
from lms.content import loader


@pytest.fixture(scope="module")
def catalog() -> loader.Catalog:
    return loader.load_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")


def test_bundled_content_has_no_errors(catalog):
    assert [str(e) for e in catalog.errors] == []


def test_there_are_at_least_seven_courses_of_three_to_six_modules(catalog):
    assert len(catalog.courses) >= 7
    sizes = {course.slug: len(course.modules) for course in catalog.courses}
    assert {slug: n for slug, n in sizes.items() if not 3 <= n <= 6} == {}


def test_every_course_has_a_quiz_of_at_least_ten_questions(catalog):
    questions_by_course: dict[str, int] = {}
    for spec in catalog.assessments:
        if spec.kind == "quiz" and spec.course_slug:
            n = len(spec.content["questions"])
            questions_by_course[spec.course_slug] = max(
                n, questions_by_course.get(spec.course_slug, 0)
            )

    short = {
        course.slug: questions_by_course.get(course.slug, 0)
        for course in catalog.courses
        if questions_by_course.get(course.slug, 0) < 10
    }
    assert short == {}


def test_every_keying_kind_is_bundled(catalog):
    kinds = {spec.kind for spec in catalog.assessments}

    assert set(loader.KINDS) <= kinds


def test_no_bundled_quiz_can_be_passed_by_copying_an_earlier_review(catalog):
    """Each attempt draws from a pool at least twice its size, and the correct
    answers wait for the last attempt, so a retake cannot copy the review."""
    exposed = {}
    for spec in catalog.assessments:
        if spec.kind != "quiz":
            continue
        pool = len(spec.content["questions"])
        draw = spec.settings.get("questions_per_attempt") or pool
        shown = spec.settings.get("show_correct_answers", True)
        if pool < 2 * draw or shown is True:
            exposed[spec.slug] = {"draw": draw, "pool": pool, "answers": shown}

    assert exposed == {}
