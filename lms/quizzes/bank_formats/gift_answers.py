"""GIFT answer blocks: the question type and its choices, answers and feedback.

* `{=right ~wrong}` → single; `{~%50%a ~%50%b ~%-100%c}` (no `=`) → multiple.
  Correct choices must carry equal shares summing to 100 % (our multiple
  grading gives every correct pick the same credit) and wrong choices one
  common weight, which becomes `penalty` (-100 % → 1.0; 0 % or none keeps the
  grading default, where a wrong pick cancels one right pick). Partial credit on a
  single-answer choice and weights on short or numeric answers are refused
  rather than silently changed.
* `{T}`, `{TRUE}`, `{F}`, `{FALSE}` → truefalse; as in Moodle,
  `{T#shown when wrong#shown when right}` → incorrect_feedback / correct_feedback.
* `{=a =b}` → short. Feedback on accepted answers becomes correct_feedback.
* `{#12.5:0.1}`, `{#1..2}`, `{#12.5}` → numeric with one answer; `~#text` is the
  feedback for a wrong answer. Several numeric answers are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lms.quizzes.bank_formats.gift_text import Block, QuestionErrors, formatted

_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


# Tolerance (in percentage points) for weights such as 33.33333 × 3.
_WEIGHT_SLACK = 0.5


@dataclass
class _Answer:
    marker: str  # "=", "~" or "" (text before any marker)
    weight: float | None
    text: str
    feedback: str
    line: int


def parse_answer_block(
    block: Block, base: int, answer_text: str, errors: QuestionErrors
) -> dict[str, Any] | None:
    """Decide the question type from the answer block (Moodle's order) and build it."""
    stripped = answer_text.strip()
    line = block.line_at(base + len(answer_text) - len(answer_text.lstrip()))
    if not stripped:
        errors.add(line, "answer", "essay questions ({}) are not supported")
        return None
    if stripped.startswith("#"):
        lead = answer_text.index("#") + 1
        return _gift_numeric(block, base + lead, answer_text[lead:], errors)
    if "~" in stripped:
        answers = _split_answers(block, base, answer_text, "=~", errors)
        if "=" in stripped:
            return _gift_single(answers, errors)
        return _gift_multiple(answers, errors)
    if "=" in stripped and "->" in stripped:
        errors.add(line, "answer", "matching questions (a -> b) are not supported")
        return None
    head, *feedback = stripped.split("#", 2)
    if head.strip().upper() in _TRUEFALSE:
        wrong = formatted(feedback[0], line, "feedback", errors) if feedback else ""
        right = (
            formatted(feedback[1], line, "feedback", errors)
            if len(feedback) > 1
            else ""
        )
        question: dict[str, Any] = {
            "type": "truefalse",
            "answer": _TRUEFALSE[head.strip().upper()],
        }
        if right:
            question["correct_feedback"] = right
        if wrong:
            question["incorrect_feedback"] = wrong
        return question
    return _gift_short(_split_answers(block, base, answer_text, "=", errors), errors)


def _split_answers(
    block: Block, base: int, answer_text: str, markers: str, errors: QuestionErrors
) -> list[_Answer]:
    """Cut the answer block at every unescaped marker; parse weight and #feedback."""
    cuts = [i for i, ch in enumerate(answer_text) if ch in markers]
    segments = []
    if answer_text[: cuts[0] if cuts else len(answer_text)].strip():
        segments.append(("", 0, cuts[0] if cuts else len(answer_text)))
    for n, cut in enumerate(cuts):
        end = cuts[n + 1] if n + 1 < len(cuts) else len(answer_text)
        segments.append((answer_text[cut], cut + 1, end))
    answers = []
    for marker, begin, end in segments:
        body = answer_text[begin:end]
        line = block.line_at(base + begin + len(body) - len(body.lstrip()))
        weight = None
        match = _WEIGHT.match(body)
        if match:
            weight = float(match[1])
            body = body[match.end() :]
        choice, _, feedback = body.partition("#")
        answers.append(
            _Answer(
                marker=marker,
                weight=weight,
                text=formatted(choice, line, "answer", errors),
                feedback=formatted(feedback, line, "feedback", errors),
                line=line,
            )
        )
    return answers


def _gift_single(
    answers: list[_Answer], errors: QuestionErrors
) -> dict[str, Any] | None:
    choices = []
    for answer in answers:
        if answer.marker == "":
            errors.add(
                answer.line,
                "choices",
                "every choice must start with = (right) or ~ (wrong)",
            )
            continue
        if answer.marker == "=" and answer.weight not in (None, 100):
            errors.add(
                answer.line, "choices", "'=' marks the right answer; drop the %weight%"
            )
        if answer.marker == "~" and answer.weight not in (None, 0):
            errors.add(
                answer.line,
                "choices",
                f"a %{answer.weight:g}% weight on a wrong choice: partial credit and negative "
                "marking need a multiple-answer question (no '=', equal %weights% on right choices)",
            )
        choices.append(_choice(answer, correct=answer.marker == "="))
    return {"type": "single", "choices": choices}


def _gift_multiple(
    answers: list[_Answer], errors: QuestionErrors
) -> dict[str, Any] | None:
    right = [a for a in answers if a.weight is not None and a.weight > 0]
    wrong = [a for a in answers if a not in right]
    first_line = answers[0].line if answers else 0
    for answer in answers:
        if answer.marker == "":
            errors.add(answer.line, "choices", "every choice must start with ~")
        if answer.weight is not None and not -100 <= answer.weight <= 100:
            errors.add(
                answer.line,
                "choices",
                f"weight {answer.weight:g}% is outside -100..100",
            )
    if not right:
        errors.add(
            first_line,
            "choices",
            "no right choice: use '=' for one right answer, or %weights% that add up to 100 "
            "on the right choices",
        )
        return None
    shares = [a.weight or 0 for a in right]
    if (
        max(shares) - min(shares) > _WEIGHT_SLACK
        or abs(sum(shares) - 100) > _WEIGHT_SLACK
    ):
        errors.add(
            right[0].line,
            "choices",
            "right choices must carry equal weights adding up to 100% "
            f"(e.g. %{100 / len(right):.5g}% each); found "
            + ", ".join(f"{w:g}%" for w in shares),
        )
    penalties = {a.weight or 0 for a in wrong}
    if len(penalties) > 1:
        errors.add(
            wrong[0].line,
            "choices",
            "wrong choices must all carry the same weight (one penalty per wrong pick); found "
            + ", ".join(f"{w:g}%" for w in sorted(penalties)),
        )
    question: dict[str, Any] = {
        "type": "multiple",
        "choices": [_choice(a, correct=a in right) for a in answers],
    }
    penalty = -min(penalties) / 100 if penalties else 0
    if penalty > 0:
        question["penalty"] = penalty
    return question


def _choice(answer: _Answer, *, correct: bool) -> dict[str, Any]:
    choice: dict[str, Any] = {"text": answer.text, "correct": correct}
    if answer.feedback:
        choice["feedback"] = answer.feedback
    return choice


def _gift_short(
    answers: list[_Answer], errors: QuestionErrors
) -> dict[str, Any] | None:
    accepted = []
    for answer in answers:
        if answer.weight not in (None, 100):
            errors.add(
                answer.line,
                "answers",
                f"%{answer.weight:g}% partial credit on a short answer is not supported",
            )
        if not answer.text:
            errors.add(answer.line, "answers", "an accepted answer is empty")
        accepted.append(answer.text)
    question: dict[str, Any] = {
        "type": "short",
        "answers": accepted,
        "case_sensitive": False,
    }
    feedback = _distinct(a.feedback for a in answers)
    if feedback:
        question["correct_feedback"] = feedback
    return question


def _gift_numeric(
    block: Block, base: int, answer_text: str, errors: QuestionErrors
) -> dict[str, Any] | None:
    answers = _split_answers(block, base, answer_text, "=~", errors)
    right = [a for a in answers if a.marker in ("", "=")]
    wrong = [a for a in answers if a.marker == "~"]
    line = block.line_at(base)
    if len(right) != 1:
        errors.add(
            right[1].line if len(right) > 1 else line,
            "answer",
            "a numeric question needs exactly one answer (several answers are not supported)"
            if right
            else "a numeric question needs an answer, e.g. {#12.5:0.1} or {#1..2}",
        )
        return None
    answer = right[0]
    if answer.weight not in (None, 100):
        errors.add(
            answer.line,
            "answer",
            f"%{answer.weight:g}% partial credit is not supported",
        )
    for other in wrong:
        if other.text:
            errors.add(
                other.line,
                "answer",
                "after '~' only #feedback for a wrong answer may follow",
            )
    value = _numeric_answer(answer, errors)
    if value is None:
        return None
    centre, tolerance = value
    question: dict[str, Any] = {
        "type": "numeric",
        "answer": _plain_number(centre),
        "tolerance": _plain_number(tolerance),
    }
    if answer.feedback:
        question["correct_feedback"] = answer.feedback
    incorrect = _distinct(a.feedback for a in wrong)
    if incorrect:
        question["incorrect_feedback"] = incorrect
    return question


def _numeric_answer(
    answer: _Answer, errors: QuestionErrors
) -> tuple[Decimal, Decimal] | None:
    """`value`, `value:tolerance` or `min..max` → (answer, tolerance)."""
    text = answer.text
    try:
        if ".." in text:
            low_text, high_text = text.split("..", 1)
            low, high = Decimal(low_text.strip()), Decimal(high_text.strip())
            if low > high:
                errors.add(
                    answer.line, "answer", f"range {text!r} runs backwards (min..max)"
                )
                return None
            centre, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in text:
            value_text, tolerance_text = text.split(":", 1)
            centre, tolerance = (
                Decimal(value_text.strip()),
                Decimal(tolerance_text.strip()),
            )
        else:
            centre, tolerance = Decimal(text.strip()), Decimal(0)
    except InvalidOperation:
        errors.add(
            answer.line,
            "answer",
            f"{text!r} is not a number, value:tolerance or min..max",
        )
        return None
    if not (centre.is_finite() and tolerance.is_finite()):
        errors.add(answer.line, "answer", f"{text!r} is not a finite number")
        return None
    if tolerance < 0:
        errors.add(answer.line, "answer", "the tolerance cannot be negative")
        return None
    return centre, tolerance


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _distinct(texts: Iterator[str] | list[str]) -> str:
    return "\n\n".join(dict.fromkeys(t for t in texts if t))
