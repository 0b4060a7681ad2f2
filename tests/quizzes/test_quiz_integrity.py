"""Quiz results as people read them, and evidence of answers given faster
than anyone can read the questions."""

from __future__ import annotations

import random

from lms.quizzes import kind as quiz_kind
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
