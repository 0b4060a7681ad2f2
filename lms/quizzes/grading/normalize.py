"""Normalising a question dict: text-derived ids, defaults for every field, and the
comparison form of short answers. Tolerant by design: validation reports problems.
"""

from __future__ import annotations

import copy
import hashlib
import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from lms.quizzes.grading.registry import Question

_TEXT_KEYS = ("prompt", "feedback", "correct_feedback", "incorrect_feedback")


def normalize_question(q: Question) -> dict[str, Any]:
    """Return a copy of `q` with ids and defaults filled in; never mutates `q`.

    Tolerant by design: malformed values fall back to defaults so that
    grading cannot crash; `validate_question` is what reports them.
    """
    out: dict[str, Any] = dict(q)
    qtype = _as_text(q.get("type")).strip()
    out["id"] = _as_text(q.get("id"))
    out["type"] = qtype
    for key in _TEXT_KEYS:
        out[key] = _as_text(q.get(key))
    out["points"] = _positive_number(q.get("points"), default=1)

    if qtype in ("single", "multiple"):
        out["choices"] = _normalize_choices(q.get("choices"))
    if qtype == "multiple":
        penalty = real_number(q.get("penalty"))
        out["penalty"] = penalty if penalty is not None and 0 <= penalty <= 1 else 0
    if qtype == "truefalse":
        answer = q.get("answer")
        out["answer"] = answer if isinstance(answer, bool) else None
    if qtype == "short":
        answers = q.get("answers")
        out["answers"] = (
            [a for a in answers if isinstance(a, str)]
            if isinstance(answers, list | tuple)
            else []
        )
        out["case_sensitive"] = q.get("case_sensitive") is True
    if qtype == "numeric":
        out["answer"] = real_number(q.get("answer"))
        tolerance = real_number(q.get("tolerance"))
        out["tolerance"] = tolerance if tolerance is not None and tolerance >= 0 else 0
        out["units"] = _as_text(q.get("units"))
    if qtype == "ordering":
        out["items"] = _normalize_items(q.get("items"))
    return _detached(out, q)


def _detached(out: dict[str, Any], q: Question) -> dict[str, Any]:
    """Copy the nested values `out` still shares with `q` (the rebuilt ones, most
    of a question, are new already), so changing one never changes the other."""
    for key, value in out.items():
        if isinstance(value, dict | list) and value is q.get(key):
            out[key] = copy.deepcopy(value)
    return out


def _normalize_choices(raw: object) -> list[dict[str, Any]]:
    if not isinstance(raw, list | tuple):
        return []
    used: set[str] = set()
    choices = []
    for entry in raw:
        if isinstance(entry, Mapping):
            text = _as_text(entry.get("text"))
            correct = entry.get("correct") is True
            feedback = _as_text(entry.get("feedback"))
        else:
            text, correct, feedback = _as_text(entry), False, ""
        choices.append(
            {
                "id": _derived_id("c", text, used),
                "text": text,
                "correct": correct,
                "feedback": feedback,
            }
        )
    return choices


def _normalize_items(raw: object) -> list[dict[str, str]]:
    if not isinstance(raw, list | tuple):
        return []
    used: set[str] = set()
    items = []
    for entry in raw:
        text = _as_text(entry.get("text") if isinstance(entry, Mapping) else entry)
        items.append({"id": _derived_id("o", text, used), "text": text})
    return items


def _derived_id(prefix: str, text: str, used: set[str]) -> str:
    """An id that depends on the text only, so it says nothing about position.

    Repeated texts (a validation error anyway) get distinct ids by counting
    occurrences, so ids stay unique within a question.
    """
    occurrence = 0
    while True:
        digest = hashlib.sha256(f"{occurrence}\x1f{text}".encode()).hexdigest()
        candidate = prefix + digest[:8]
        if candidate not in used:
            used.add(candidate)
            return candidate
        occurrence += 1


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def real_number(value: object) -> int | float | None:
    """`value` if it is a finite int/float (bools are not numbers here), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _positive_number(value: object, *, default: int | float) -> int | float:
    number = real_number(value)
    return number if number is not None and number > 0 else default


def normalize_short_answer(text: str, *, case_sensitive: bool = False) -> str:
    """The comparison form of a short answer: NFKC, single spaces, folded case."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text if case_sensitive else text.casefold()
