"""Grading one question by its type, and a whole quiz: score, percent, pass."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from lms.quizzes.grading.normalize import normalize_question, real_number
from lms.quizzes.grading.registry import GRADERS, Question, UnknownQuestionType
from lms.quizzes.grading.results import ItemResult, QuizResult


def grade_question(q: Question, response: object) -> ItemResult:
    """Grade one response. Raises UnknownQuestionType only for an unregistered type."""
    return _grade_normalized(normalize_question(q), response)


def _grade_normalized(nq: Question, response: object) -> ItemResult:
    grader = GRADERS.get(nq["type"])
    if grader is None:
        raise UnknownQuestionType(f"no grader for question type {nq['type']!r}")
    return grader(nq, response)


def grade_quiz(
    questions: Iterable[Question],
    responses: Mapping[str, object] | None,
    pass_percent: float,
) -> QuizResult:
    """Grade every question of a snapshot; a missing response counts as no answer.

    `passed` compares the unrounded percentage with `pass_percent` (so 80 % of
    80 passes). It is computed even when some item awaits manual grading;
    `needs_manual_grading` tells the engine not to treat it as final.
    """
    pass_mark = real_number(pass_percent)
    if pass_mark is None or not 0 <= pass_mark <= 100:
        raise ValueError(
            f"pass_percent must be a number from 0 to 100, not {pass_percent!r}"
        )
    answers = responses if isinstance(responses, Mapping) else {}
    items: dict[str, ItemResult] = {}
    for q in questions:
        nq = normalize_question(q)
        if nq["id"] in items:
            raise ValueError(f"duplicate question id {nq['id']!r}")
        items[nq["id"]] = _grade_normalized(nq, answers.get(nq["id"]))
    score = math.fsum(item.points for item in items.values())
    max_score = math.fsum(item.max_points for item in items.values())
    percent = score / max_score * 100 if max_score > 0 else 0.0
    # Float noise (79.99999999999999 for 80) must not fail a learner on the mark.
    passed = max_score > 0 and (
        percent >= pass_mark or math.isclose(percent, pass_mark, abs_tol=1e-9)
    )
    return QuizResult(
        score=score,
        max_score=max_score,
        percent=percent,
        passed=passed,
        items=items,
        needs_manual_grading=any(item.correct is None for item in items.values()),
    )
