"""Checking a raw question dict against the content rules, as "field: message"."""

from __future__ import annotations

from collections.abc import Mapping

from lms.quizzes.grading.normalize import normalize_short_answer, real_number
from lms.quizzes.grading.registry import (
    GRADERS,
    QUESTION_TYPES,
    VALIDATORS,
    Question,
    register_validator,
)

# Which optional keys each built-in type uses; a key on the wrong type is
# almost always an authoring mistake (e.g. `choices` under type = "short").
_TYPE_KEYS: dict[str, frozenset[str]] = {
    "choices": frozenset({"single", "multiple"}),
    "penalty": frozenset({"multiple"}),
    "answer": frozenset({"truefalse", "numeric"}),
    "answers": frozenset({"short"}),
    "case_sensitive": frozenset({"short"}),
    "tolerance": frozenset({"numeric"}),
    "units": frozenset({"numeric"}),
    "items": frozenset({"ordering"}),
}


def validate_question(q: object) -> list[str]:
    """Every problem with a question, as "field: message" strings; [] when valid.

    Works on the raw content dict (before normalisation) and never raises.
    """
    if not isinstance(q, Mapping):
        return ["question: must be a table of keys and values"]
    errors: list[str] = []
    qid = q.get("id")
    if not isinstance(qid, str) or not qid.strip():
        errors.append("id: every question needs a non-empty id")
    qtype = q.get("type")
    if not isinstance(q.get("prompt"), str) or not q["prompt"].strip():
        errors.append("prompt: the question text is empty")
    if "points" in q:
        points = real_number(q["points"])
        if points is None or points <= 0:
            errors.append(
                f"points: must be a number greater than 0, not {q['points']!r}"
            )
    for key in ("feedback", "correct_feedback", "incorrect_feedback"):
        if key in q and not isinstance(q[key], str):
            errors.append(f"{key}: must be text")
    if not isinstance(qtype, str) or qtype not in GRADERS:
        known = ", ".join(sorted(GRADERS))
        errors.append(f"type: unknown question type {qtype!r}; expected one of {known}")
        return errors
    if qtype in QUESTION_TYPES:
        for key, used_by in _TYPE_KEYS.items():
            if key in q and qtype not in used_by:
                errors.append(f"{key}: not used by {qtype} questions")
    validator = VALIDATORS.get(qtype)
    if validator is not None:
        errors.extend(validator(q))
    return errors


def _choice_errors(q: Question) -> tuple[list[str], int]:
    """Checks shared by single and multiple; returns (errors, number of correct choices)."""
    choices = q.get("choices")
    if not isinstance(choices, list | tuple) or len(choices) < 2:
        return ["choices: needs at least 2 choices"], 0
    errors = []
    seen: set[str] = set()
    n_correct = 0
    for number, choice in enumerate(choices, start=1):
        if not isinstance(choice, Mapping):
            errors.append(
                f"choices: choice {number} must be a table with text and correct"
            )
            continue
        text = choice.get("text")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"choices: choice {number} has no text")
        else:
            key = normalize_short_answer(text)
            if key in seen:
                errors.append(
                    f"choices: choice {number} repeats the text {text.strip()!r}"
                )
            seen.add(key)
        correct = choice.get("correct", False)
        if not isinstance(correct, bool):
            errors.append(
                f"choices: choice {number} has correct = {correct!r}; use true or false"
            )
        elif correct:
            n_correct += 1
        if "feedback" in choice and not isinstance(choice["feedback"], str):
            errors.append(f"choices: choice {number} feedback must be text")
    return errors, n_correct


@register_validator("single")
def _validate_single(q: Question) -> list[str]:
    errors, n_correct = _choice_errors(q)
    if n_correct == 0 and not errors:
        errors.append(
            "choices: a single-answer question needs one correct choice; none is marked"
        )
    elif n_correct > 1:
        errors.append(
            f"choices: a single-answer question needs exactly one correct choice, found "
            f'{n_correct} (use type = "multiple" for several)'
        )
    return errors


@register_validator("multiple")
def _validate_multiple(q: Question) -> list[str]:
    errors, n_correct = _choice_errors(q)
    if n_correct == 0 and not errors:
        errors.append(
            "choices: a multiple-answer question needs at least one correct choice"
        )
    if "penalty" in q:
        penalty = real_number(q["penalty"])
        if penalty is None or not 0 <= penalty <= 1:
            errors.append(
                f"penalty: must be a fraction from 0 to 1, not {q['penalty']!r}"
            )
    return errors


@register_validator("truefalse")
def _validate_truefalse(q: Question) -> list[str]:
    if not isinstance(q.get("answer"), bool):
        return ["answer: a true/false question needs answer = true or answer = false"]
    return []


@register_validator("short")
def _validate_short(q: Question) -> list[str]:
    errors = []
    answers = q.get("answers")
    if not isinstance(answers, list | tuple) or not answers:
        errors.append(
            "answers: a short-answer question needs at least one accepted answer"
        )
    elif not all(isinstance(a, str) and a.strip() for a in answers):
        errors.append("answers: every accepted answer must be non-empty text")
    if "case_sensitive" in q and not isinstance(q["case_sensitive"], bool):
        errors.append("case_sensitive: use true or false")
    return errors


@register_validator("numeric")
def _validate_numeric(q: Question) -> list[str]:
    errors = []
    if "answer" not in q:
        errors.append("answer: a numeric question needs an answer")
    elif real_number(q["answer"]) is None:
        errors.append(f"answer: must be a number, not {q['answer']!r}")
    if "tolerance" in q:
        tolerance = real_number(q["tolerance"])
        if tolerance is None or tolerance < 0:
            errors.append(
                f"tolerance: must be a number of 0 or more, not {q['tolerance']!r}"
            )
    if "units" in q and not isinstance(q["units"], str):
        errors.append("units: must be text")
    return errors


@register_validator("ordering")
def _validate_ordering(q: Question) -> list[str]:
    items = q.get("items")
    if not isinstance(items, list | tuple) or len(items) < 2:
        return ["items: an ordering question needs at least 2 items"]
    errors = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        text = item.get("text") if isinstance(item, Mapping) else item
        if not isinstance(text, str) or not text.strip():
            errors.append(f"items: item {number} must be non-empty text")
            continue
        key = normalize_short_answer(text)
        if key in seen:
            errors.append(f"items: item {number} repeats {text.strip()!r}")
        seen.add(key)
    return errors
