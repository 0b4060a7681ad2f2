"""Quiz grading: pure functions over the question dicts of docs/content-format.md.

No Flask and no database. The attempt engine grades the snapshot it took at
start against the responses it saved (`grade_quiz`), the API builds what a
learner's browser may see before finalisation with `learner_view`, and the
content checker and the bank editor call `validate_question`.

Question types are a registry (`GRADERS`, `VALIDATORS`): a new type registers
a grader that returns an `ItemResult`, and may return `correct=None` for
"needs manual grading".

Rules, in one place:

* Ids. `normalize_question` gives each choice an id "c" + 8 hex digits and each
  ordering item "o" + 8 hex digits, derived from the text (SHA-256), never
  from the position. Positions would leak the key: ordering items are listed
  in the correct order, and GIFT/Aiken authors habitually put the right
  choice first, so "o0"/"c0" would tell a learner the answer through any
  shuffle. Lists keep file order; the same text always gets the same id, so
  normalising twice is harmless.
* single / truefalse / short / numeric: all or nothing.
* multiple: each correct pick earns points / (number of correct choices); each
  wrong pick costs `penalty` × points. A penalty of 0 (the default) means a
  wrong pick cancels one correct pick's share, so ticking every box never
  earns full marks. The total is floored at 0.
* ordering: points × (items in the right position / number of items). The
  response must list every item exactly once; anything else scores 0.
* numeric: decimal arithmetic, inclusive bounds: |response − answer| ≤
  tolerance. Responses may use thousands separators (1,250.50, Indian
  1,25,000 or 1 250), surrounding spaces and a unit or currency before or
  after the number ("₹ 1,250.50", "12.5 kg"). Units are not graded.
* short: NFKC-normalised, runs of whitespace collapsed, and case-folded
  unless `case_sensitive`.
* A blank, unknown or malformed response scores 0 and never raises.
* Feedback: optional `correct_feedback` / `incorrect_feedback` on any question
  (Moodle's combined feedback; GIFT true/false feedback lands there) come
  first, by outcome ("incorrect" covers partial credit and no answer), then
  the general `feedback`. `choice_feedback` holds the feedback of the choices
  the learner picked, in file order.
"""

from __future__ import annotations

import copy
import hashlib
import math
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

Question = Mapping[str, Any]

QUESTION_TYPES = ("single", "multiple", "truefalse", "short", "numeric", "ordering")

NO_ANSWER = "(no answer)"
INVALID_RESPONSE = "(invalid response)"

# Summaries of garbage responses end up in reports; keep them bounded.
_SUMMARY_LIMIT = 500

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

_TEXT_KEYS = ("prompt", "feedback", "correct_feedback", "incorrect_feedback")


class UnknownQuestionType(ValueError):
    """A question's type has no registered grader (content should not get this far)."""


@dataclass(frozen=True)
class ItemResult:
    """The outcome of one question: `correct` is None while it awaits manual grading."""

    correct: bool | None
    points: float
    max_points: float
    feedback: str = ""
    choice_feedback: list[str] = field(default_factory=list)
    response_summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "correct": self.correct,
            "points": self.points,
            "max_points": self.max_points,
            "feedback": self.feedback,
            "choice_feedback": list(self.choice_feedback),
            "response_summary": self.response_summary,
        }


@dataclass(frozen=True)
class QuizResult:
    """A whole attempt. `percent` is 0–100; `items` is keyed by question id."""

    score: float
    max_score: float
    percent: float
    passed: bool
    items: dict[str, ItemResult]
    needs_manual_grading: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form stored on the attempt and returned by the API."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "percent": self.percent,
            "passed": self.passed,
            "needs_manual_grading": self.needs_manual_grading,
            "items": {qid: item.to_dict() for qid, item in self.items.items()},
        }


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


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------


def normalize_question(q: Question) -> dict[str, Any]:
    """Return a copy of `q` with ids and defaults filled in; never mutates `q`.

    Tolerant by design: malformed values fall back to defaults so that
    grading cannot crash; `validate_question` is what reports them.
    """
    out: dict[str, Any] = copy.deepcopy(dict(q))
    qtype = _as_text(q.get("type")).strip()
    out["id"] = _as_text(q.get("id"))
    out["type"] = qtype
    for key in _TEXT_KEYS:
        out[key] = _as_text(q.get(key))
    out["points"] = _positive_number(q.get("points"), default=1)

    if qtype in ("single", "multiple"):
        out["choices"] = _normalize_choices(q.get("choices"))
    if qtype == "multiple":
        penalty = _real_number(q.get("penalty"))
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
        out["answer"] = _real_number(q.get("answer"))
        tolerance = _real_number(q.get("tolerance"))
        out["tolerance"] = tolerance if tolerance is not None and tolerance >= 0 else 0
        out["units"] = _as_text(q.get("units"))
    if qtype == "ordering":
        out["items"] = _normalize_items(q.get("items"))
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


def _real_number(value: object) -> int | float | None:
    """`value` if it is a finite int/float (bools are not numbers here), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _positive_number(value: object, *, default: int | float) -> int | float:
    number = _real_number(value)
    return number if number is not None and number > 0 else default


# --------------------------------------------------------------------------
# What the learner sees
# --------------------------------------------------------------------------


def learner_view(
    q: Question, rng: random.Random, *, shuffle: bool = True
) -> dict[str, Any]:
    """The question as a learner's browser may see it before finalisation.

    Built from an allow-list, so nothing about the key (correct flags,
    accepted answers, tolerance, feedback, penalty) can slip through. `shuffle`
    is the quiz's shuffle_choices setting; ordering items are always shuffled,
    and never left in the correct order, since that order is the answer. Pass
    a Random seeded from the attempt so a reload shows the same order.
    """
    nq = normalize_question(q)
    view: dict[str, Any] = {
        "id": nq["id"],
        "type": nq["type"],
        "prompt": nq["prompt"],
        "points": nq["points"],
    }
    if nq["type"] in ("single", "multiple"):
        choices = [{"id": c["id"], "text": c["text"]} for c in nq["choices"]]
        if shuffle:
            rng.shuffle(choices)
        view["choices"] = choices
    elif nq["type"] == "ordering":
        items = [{"id": i["id"], "text": i["text"]} for i in nq["items"]]
        view["items"] = _shuffled_out_of_order(items, rng)
    elif nq["type"] == "numeric":
        view["units"] = nq["units"]
    return view


def _shuffled_out_of_order(
    items: list[dict[str, str]], rng: random.Random
) -> list[dict[str, str]]:
    shuffled = list(items)
    rng.shuffle(shuffled)
    if len(shuffled) >= 2 and shuffled == items:
        # Rotating by one moves every item, so the answer is never handed over.
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


# --------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------


def grade_question(q: Question, response: object) -> ItemResult:
    """Grade one response. Raises UnknownQuestionType only for an unregistered type."""
    nq = normalize_question(q)
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
    pass_mark = _real_number(pass_percent)
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
        items[nq["id"]] = grade_question(nq, answers.get(nq["id"]))
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


def normalize_short_answer(text: str, *, case_sensitive: bool = False) -> str:
    """The comparison form of a short answer: NFKC, single spaces, folded case."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text if case_sensitive else text.casefold()


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
    number = _real_number(value)
    # str() gives the shortest repr, so the float 0.1 becomes exactly Decimal("0.1").
    return None if number is None else Decimal(str(number))


_NUMBER_RE = re.compile(
    r"""
    ^(?P<sign1>[+\-\u2212])?\s*
    (?P<prefix>[^\W\d_]+\.?|[^\w\s.,+\-\u2212()])?\s*   # INR, Rs., ₹, $ ...
    (?P<sign2>[+\-\u2212])?\s*
    (?P<int>\d+(?:[, ]\d+)*)?
    (?:\.(?P<frac>\d+))?
    \s*(?P<suffix>\D*)$                              # kg, %, INR, /- ...
    """,
    re.VERBOSE,
)
_GROUPINGS = (
    re.compile(r"\d{1,3}(?:,\d{3})+"),  # 1,250,000
    re.compile(r"\d{1,2}(?:,\d{2})*,\d{3}"),  # 12,50,000 (Indian)
    re.compile(r"\d{1,3}(?: \d{3})+"),  # 1 250 000
)


def parse_numeric_response(response: object) -> Decimal | None:
    """Read a learner's number, or None when it is not one.

    Accepts ints, floats and Decimals (not bools), and text with thousands
    separators in a consistent Western or Indian grouping, spaces, a sign and
    a unit or currency before or after the number. "1250,50" is rejected
    rather than guessed at.
    """
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float | Decimal):
        value = Decimal(str(response))
        return value if value.is_finite() else None
    if not isinstance(response, str):
        return None
    # NFKC turns no-break and thin spaces into plain spaces and full-width digits into ASCII.
    text = unicodedata.normalize("NFKC", response).strip()
    match = _NUMBER_RE.match(text)
    if match is None or (match["int"] is None and match["frac"] is None):
        return None
    if match["sign1"] and match["sign2"]:
        return None
    whole = match["int"] or "0"
    if ("," in whole or " " in whole) and not any(
        g.fullmatch(whole) for g in _GROUPINGS
    ):
        return None
    sign = "-" if (match["sign1"] or match["sign2"] or "") in ("-", "\u2212") else ""
    digits = whole.replace(",", "").replace(" ", "")
    try:
        return Decimal(f"{sign}{digits}.{match['frac'] or '0'}")
    except InvalidOperation:
        return None


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


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


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
        points = _real_number(q["points"])
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
        penalty = _real_number(q["penalty"])
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
    elif _real_number(q["answer"]) is None:
        errors.append(f"answer: must be a number, not {q['answer']!r}")
    if "tolerance" in q:
        tolerance = _real_number(q["tolerance"])
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
