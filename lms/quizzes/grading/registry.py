"""The question types and their graders and validators, looked up by `type`.

A new question type registers a grader that returns an ItemResult (with
`correct=None` for "needs manual grading") and may register a validator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lms.quizzes.grading.results import ItemResult

Question = Mapping[str, Any]

QUESTION_TYPES = ("single", "multiple", "truefalse", "short", "numeric", "ordering")


class UnknownQuestionType(ValueError):
    """A question's type has no registered grader (content should not get this far)."""


Grader = Callable[[dict[str, Any], object], ItemResult]
Validator = Callable[[Question], list[str]]

# New question types register here; validate_question() checks `type` against these keys.
GRADERS: dict[str, Grader] = {}
VALIDATORS: dict[str, Validator] = {}


def register_grader(type_name: str) -> Callable[[Grader], Grader]:
    """Decorator: make `fn(normalized_question, response) -> ItemResult` grade `type_name`."""

    def decorate(fn: Grader) -> Grader:
        GRADERS[type_name] = fn
        return fn

    return decorate


def register_validator(type_name: str) -> Callable[[Validator], Validator]:
    """Decorator: type-specific checks for validate_question()."""

    def decorate(fn: Validator) -> Validator:
        VALIDATORS[type_name] = fn
        return fn

    return decorate
