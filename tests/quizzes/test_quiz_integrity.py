"""Quiz results as people read them, and evidence of answers given faster
than anyone can read the questions."""

from __future__ import annotations

import random

import pytest

from lms.attempts.kinds import ReviewContext
from lms.quizzes import kind as quiz_kind
from lms.quizzes.settings import QuizSettings
from lms.templating import format_points
from tests import factories
from tests.attempts.helpers import right_answer


def _snapshot(quiz):
    return quiz_kind.build_snapshot(quiz, random.Random(1))


def test_points_are_rounded_for_people_and_whole_numbers_stay_whole():
    assert format_points(5.866666666) == "5.87"
    assert format_points(0.6666667) == "0.67"
    assert format_points(0.5) == "0.5"
    assert format_points(14.0) == "14"
    assert format_points(None) == "—"


def test_answers_faster_than_reading_are_flagged_but_still_scored(app_ctx):
    quiz = factories.quiz(10)
    snapshot = _snapshot(quiz)
    answers = right_answers_for(snapshot)

    hurried = quiz_kind.score(snapshot, answers, [], elapsed_seconds=9)
    steady = quiz_kind.score(snapshot, answers, [], elapsed_seconds=120)

    (flag,) = hurried["flags"]
    assert flag["code"] == "implausible_speed"
    assert flag["evidence"]["answered"] == 10
    assert hurried["percent"] == steady["percent"] == 100
    assert "flags" not in steady


def test_a_blank_quick_submit_is_not_flagged(app_ctx):
    snapshot = _snapshot(factories.quiz(5))
    assert "flags" not in quiz_kind.score(snapshot, {}, [], elapsed_seconds=1)


def right_answers_for(snapshot):
    return {q["id"]: right_answer(q) for q in snapshot["questions"]}


@pytest.mark.parametrize(
    ("attempts_left", "closed", "shown"),
    [(True, False, False), (False, False, True), (True, True, True)],
)
def test_keys_and_feedback_after_the_last_attempt(attempts_left, closed, shown):
    """A retake cannot be copied from the review: the key and the feedback
    (which often names the answer) wait for the last attempt or the close."""
    settings = {
        "show_correct_answers": "after_last_attempt",
        "show_feedback": "after_last_attempt",
    }
    context = ReviewContext(closed=closed, close_at=None, attempts_left=attempts_left)
    options = quiz_kind.QuizKind().review_options(settings, context)
    assert options.allowed
    assert options.show_correct_answers is shown
    assert options.show_feedback is shown
    assert options.show_score and options.show_correctness


def test_the_retake_pattern_is_named_and_a_pool_or_late_keys_clear_it():
    same_questions = QuizSettings.from_stored({})
    assert same_questions.retake_warnings(attempts_allowed=3, pool_size=10)
    pooled = QuizSettings.from_stored({"questions_per_attempt": 10})
    late = QuizSettings.from_stored(
        {"show_correct_answers": False, "show_feedback": "after_last_attempt"}
    )
    assert pooled.retake_warnings(attempts_allowed=3, pool_size=20) == []
    assert late.retake_warnings(attempts_allowed=3, pool_size=10) == []
    assert same_questions.retake_warnings(attempts_allowed=1, pool_size=10) == []
