"""One grader per built-in question type, and the shared turning of a share of the
marks into an ItemResult with the right feedback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from lms.quizzes.grading.normalize import normalize_short_answer, real_number
from lms.quizzes.grading.numeric import parse_numeric_response
from lms.quizzes.grading.registry import register_grader
from lms.quizzes.grading.results import INVALID_RESPONSE, NO_ANSWER, ItemResult

# Summaries of garbage responses end up in reports; keep them bounded.
_SUMMARY_LIMIT = 500


def _result(
    q: Mapping[str, Any],
    share: Fraction,
    *,
    summary: str,
    choice_feedback: Iterable[str] = (),
) -> ItemResult:
    """Turn a share of the marks (0..1) into an ItemResult with the right feedback."""
    share = min(max(share, Fraction(0)), Fraction(1))
    max_points = q["points"]
    correct = share == 1
    outcome_feedback = q["correct_feedback"] if correct else q["incorrect_feedback"]
    # Fractions keep 1/3 + 1/3 + 1/3 exact until this single conversion.
    points = float(share * Fraction(str(max_points)))
    if not correct and points >= max_points:
        # A share just below 1 may round up; it must never read as full marks.
        points = math.nextafter(float(max_points), 0.0)
    return ItemResult(
        correct=correct,
        points=points,
        max_points=float(max_points),
        feedback=_join_paragraphs(outcome_feedback, q["feedback"]),
        choice_feedback=[fb for fb in choice_feedback if fb],
        response_summary=_clip(summary),
    )


def _join_paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _clip(text: str) -> str:
    return text if len(text) <= _SUMMARY_LIMIT else text[: _SUMMARY_LIMIT - 1] + "…"


def _is_blank(response: object) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    return isinstance(response, list | tuple | dict) and not response


def _id_list(response: object) -> list[str] | None:
    """A list of string ids without repeats, or None if the shape is wrong."""
    if not isinstance(response, list | tuple):
        return None
    if not all(isinstance(item, str) for item in response):
        return None
    return list(dict.fromkeys(response))


@register_grader("single")
def grade_single(q: dict[str, Any], response: object) -> ItemResult:
    if _is_blank(response):
        return _result(q, Fraction(0), summary=NO_ANSWER)
    chosen = next((c for c in q["choices"] if c["id"] == response), None)
    if chosen is None:
        return _result(q, Fraction(0), summary=INVALID_RESPONSE)
    return _result(
        q,
        Fraction(1 if chosen["correct"] else 0),
        summary=chosen["text"],
        choice_feedback=[chosen["feedback"]],
    )


@register_grader("multiple")
def grade_multiple(q: dict[str, Any], response: object) -> ItemResult:
    if _is_blank(response):
        return _result(q, Fraction(0), summary=NO_ANSWER)
    picked_ids = _id_list(response)
    known = {c["id"] for c in q["choices"]}
    if picked_ids is None or not set(picked_ids) <= known:
        # An id we never showed means tampering or a stale page: no credit at all.
        return _result(q, Fraction(0), summary=INVALID_RESPONSE)
    picked = [c for c in q["choices"] if c["id"] in picked_ids]
    n_correct = sum(1 for c in q["choices"] if c["correct"])
    if n_correct == 0:
        return _result(q, Fraction(0), summary=_texts(picked))
    right = sum(1 for c in picked if c["correct"])
    wrong = len(picked) - right
    share = Fraction(right, n_correct) - wrong * _wrong_pick_cost(q, n_correct)
    return _result(
        q,
        share,
        summary=_texts(picked),
        choice_feedback=[c["feedback"] for c in picked],
    )


def _wrong_pick_cost(q: Mapping[str, Any], n_correct: int) -> Fraction:
    penalty = Fraction(str(q["penalty"]))
    return penalty if penalty > 0 else Fraction(1, n_correct)


def _texts(choices: Iterable[Mapping[str, Any]]) -> str:
    return "; ".join(c["text"] for c in choices)


@register_grader("truefalse")
def grade_truefalse(q: dict[str, Any], response: object) -> ItemResult:
    if _is_blank(response):
        return _result(q, Fraction(0), summary=NO_ANSWER)
    value = _truefalse_value(response)
    if value is None:
        return _result(q, Fraction(0), summary=INVALID_RESPONSE)
    right = q["answer"] is not None and value == q["answer"]
    return _result(q, Fraction(1 if right else 0), summary="True" if value else "False")


def _truefalse_value(response: object) -> bool | None:
    if isinstance(response, bool):
        return response
    if isinstance(response, str):
        return {"true": True, "false": False}.get(response.strip().casefold())
    return None


@register_grader("short")
def grade_short(q: dict[str, Any], response: object) -> ItemResult:
    if _is_blank(response):
        return _result(q, Fraction(0), summary=NO_ANSWER)
    if not isinstance(response, str):
        return _result(q, Fraction(0), summary=INVALID_RESPONSE)
    case_sensitive = q["case_sensitive"]
    typed = normalize_short_answer(response, case_sensitive=case_sensitive)
    accepted = {
        normalize_short_answer(a, case_sensitive=case_sensitive) for a in q["answers"]
    }
    accepted.discard("")  # an empty accepted answer must not match a blank response
    return _result(
        q,
        Fraction(1 if typed in accepted else 0),
        summary=" ".join(response.split()),
    )


@register_grader("numeric")
def grade_numeric(q: dict[str, Any], response: object) -> ItemResult:
    if _is_blank(response):
        return _result(q, Fraction(0), summary=NO_ANSWER)
    value = parse_numeric_response(response)
    if value is None:
        shown = (
            f"{' '.join(response.split())} (not a number)"
            if isinstance(response, str)
            else ""
        )
        return _result(q, Fraction(0), summary=shown or INVALID_RESPONSE)
    shown = " ".join(response.split()) if isinstance(response, str) else str(response)
    answer = _to_decimal(q["answer"])
    tolerance = _to_decimal(q["tolerance"]) or Decimal(0)
    right = answer is not None and abs(value - answer) <= tolerance
    return _result(q, Fraction(1 if right else 0), summary=shown)


def _to_decimal(value: object) -> Decimal | None:
    number = real_number(value)
    # str() gives the shortest repr, so the float 0.1 becomes exactly Decimal("0.1").
    return None if number is None else Decimal(str(number))


@register_grader("ordering")
def grade_ordering(q: dict[str, Any], response: object) -> ItemResult:
    if _is_blank(response):
        return _result(q, Fraction(0), summary=NO_ANSWER)
    order = [i["id"] for i in q["items"]]
    if (
        not isinstance(response, list | tuple)
        or not all(isinstance(r, str) for r in response)
        or len(response) != len(order)
        or set(response) != set(order)
    ):
        return _result(q, Fraction(0), summary=INVALID_RESPONSE)
    in_place = sum(
        1 for given, expected in zip(response, order, strict=True) if given == expected
    )
    text_by_id = {i["id"]: i["text"] for i in q["items"]}
    return _result(
        q,
        Fraction(in_place, len(order)),
        summary=" → ".join(text_by_id[r] for r in response),
    )
