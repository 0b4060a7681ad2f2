"""Unit tests for lms.quizzes.grading: every question type, its edges, and the learner view."""

from __future__ import annotations

import copy
import json
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes.grading import (
    GRADERS,
    INVALID_RESPONSE,
    NO_ANSWER,
    ItemResult,
    UnknownQuestionType,
    grade_question,
    grade_quiz,
    learner_view,
    normalize_question,
    parse_numeric_response,
    validate_question,
)

SINGLE = {
    "id": "q-single",
    "type": "single",
    "prompt": "Who signs off a payment run?",
    "points": 2,
    "feedback": "Maker-checker needs two people.",
    "choices": [
        {
            "text": "The maker",
            "correct": False,
            "feedback": "Makers never approve their own work.",
        },
        {
            "text": "The checker",
            "correct": True,
            "feedback": "Yes, the checker approves.",
        },
        {"text": "Anyone on shift", "correct": False},
    ],
}

MULTIPLE = {
    "id": "q-multi",
    "type": "multiple",
    "prompt": "Which are personal data?",
    "points": 2,
    "choices": [
        {"text": "Mobile number", "correct": True, "feedback": "Personal."},
        {"text": "Office city", "correct": False, "feedback": "Not personal."},
        {"text": "Date of birth", "correct": True},
        {"text": "Software version", "correct": False},
    ],
}

TRUEFALSE = {
    "id": "q-tf",
    "type": "truefalse",
    "prompt": "The control total must match before sign-off.",
    "answer": True,
    "feedback": "Control totals catch lost records.",
    "correct_feedback": "Right.",
    "incorrect_feedback": "It must match.",
}

SHORT = {
    "id": "q-short",
    "type": "short",
    "prompt": "Name the capital of India.",
    "answers": ["New Delhi", "Delhi"],
}

NUMERIC = {
    "id": "q-num",
    "type": "numeric",
    "prompt": "What is the batch total?",
    "answer": 1250.5,
    "tolerance": 0.01,
    "units": "INR",
}

ORDERING = {
    "id": "q-order",
    "type": "ordering",
    "prompt": "Order the steps.",
    "points": 4,
    "items": ["Receive", "Key", "Check", "Approve"],
}

ALL_QUESTIONS = [SINGLE, MULTIPLE, TRUEFALSE, SHORT, NUMERIC, ORDERING]


def choice_id(q: dict, text: str) -> str:
    return next(c["id"] for c in normalize_question(q)["choices"] if c["text"] == text)


def item_ids(q: dict) -> list[str]:
    return [i["id"] for i in normalize_question(q)["items"]]


# --------------------------------------------------------------------------
# normalize_question
# --------------------------------------------------------------------------


def test_normalize_fills_defaults_and_keeps_file_order():
    nq = normalize_question(MULTIPLE)
    assert [c["text"] for c in nq["choices"]] == [
        c["text"] for c in MULTIPLE["choices"]
    ]
    assert nq["penalty"] == 0
    assert nq["feedback"] == ""
    assert nq["choices"][3]["feedback"] == ""
    assert normalize_question(SHORT)["points"] == 1
    assert normalize_question(SHORT)["case_sensitive"] is False
    assert normalize_question({**NUMERIC, "tolerance": None})["tolerance"] == 0
    assert (
        normalize_question({k: v for k, v in NUMERIC.items() if k != "units"})["units"]
        == ""
    )


def test_normalize_does_not_mutate_its_input():
    before = copy.deepcopy(SINGLE)
    nq = normalize_question(SINGLE)
    nq["choices"][0]["text"] = "changed"
    assert before == SINGLE


def test_choice_ids_are_unique_stable_and_prefixed():
    nq = normalize_question(MULTIPLE)
    ids = [c["id"] for c in nq["choices"]]
    assert len(set(ids)) == 4
    assert all(i.startswith("c") and len(i) == 9 for i in ids)
    assert normalize_question(nq)["choices"] == nq["choices"]  # idempotent


def test_ids_do_not_reveal_position_or_order():
    """Moving a choice or an ordering item keeps its id, so ids cannot encode the key."""
    moved = {**SINGLE, "choices": list(reversed(SINGLE["choices"]))}
    assert choice_id(moved, "The checker") == choice_id(SINGLE, "The checker")
    assert choice_id(SINGLE, "The maker") != "c0"
    reordered = {**ORDERING, "items": ["Approve", "Check", "Key", "Receive"]}
    assert item_ids(reordered) == list(reversed(item_ids(ORDERING)))
    assert not any(re.fullmatch(r"o\d+", i) for i in item_ids(ORDERING))


def test_repeated_texts_still_get_distinct_ids():
    q = {**SINGLE, "choices": [{"text": "Same"}, {"text": "Same", "correct": True}]}
    ids = [c["id"] for c in normalize_question(q)["choices"]]
    assert len(set(ids)) == 2


# --------------------------------------------------------------------------
# single
# --------------------------------------------------------------------------


def test_single_right_choice_earns_full_points_and_its_feedback():
    result = grade_question(SINGLE, choice_id(SINGLE, "The checker"))
    assert result == ItemResult(
        correct=True,
        points=2.0,
        max_points=2.0,
        feedback="Maker-checker needs two people.",
        choice_feedback=["Yes, the checker approves."],
        response_summary="The checker",
    )


def test_single_wrong_choice_earns_nothing():
    result = grade_question(SINGLE, choice_id(SINGLE, "The maker"))
    assert (result.correct, result.points, result.max_points) == (False, 0.0, 2.0)
    assert result.choice_feedback == ["Makers never approve their own work."]


@pytest.mark.parametrize("response", [None, "", "   ", []])
def test_single_blank_response_is_no_answer(response):
    result = grade_question(SINGLE, response)
    assert (result.correct, result.points, result.response_summary) == (
        False,
        0.0,
        NO_ANSWER,
    )


@pytest.mark.parametrize(
    "response", ["c0", "nonsense", 1, True, ["x"], {"id": "c1"}, 2.5]
)
def test_single_unknown_or_malformed_response_scores_zero(response):
    result = grade_question(SINGLE, response)
    assert (result.points, result.response_summary) == (0.0, INVALID_RESPONSE)


def test_single_list_holding_the_right_id_is_still_malformed():
    assert grade_question(SINGLE, [choice_id(SINGLE, "The checker")]).points == 0


# --------------------------------------------------------------------------
# multiple
# --------------------------------------------------------------------------


def picks(q: dict, *texts: str) -> list[str]:
    return [choice_id(q, t) for t in texts]


def test_multiple_all_right_and_nothing_wrong_is_correct():
    result = grade_question(MULTIPLE, picks(MULTIPLE, "Date of birth", "Mobile number"))
    assert (result.correct, result.points) == (True, 2.0)
    # Feedback of picked choices in file order; empty feedback left out.
    assert result.choice_feedback == ["Personal."]
    assert result.response_summary == "Mobile number; Date of birth"


def test_multiple_half_the_right_choices_is_half_credit():
    result = grade_question(MULTIPLE, picks(MULTIPLE, "Mobile number"))
    assert (result.correct, result.points) == (False, 1.0)


def test_multiple_default_penalty_cancels_one_right_pick_per_wrong_pick():
    result = grade_question(MULTIPLE, picks(MULTIPLE, "Mobile number", "Office city"))
    assert result.points == 0.0


def test_multiple_picking_everything_does_not_earn_full_marks():
    everything = [c["id"] for c in normalize_question(MULTIPLE)["choices"]]
    assert grade_question(MULTIPLE, everything).points == 0.0


@pytest.mark.parametrize("penalty", [0, 0.01, 0.25, 0.5, 1])
def test_multiple_picking_everything_is_never_full_marks(penalty):
    q = {**MULTIPLE, "penalty": penalty}
    everything = [c["id"] for c in normalize_question(q)["choices"]]
    result = grade_question(q, everything)
    assert result.points < result.max_points
    assert result.correct is False


def test_multiple_explicit_penalty_is_a_fraction_of_the_points():
    q = {**MULTIPLE, "penalty": 0.25}
    # 2 right (full share) − 1 wrong × 0.25 = 0.75 of 2 points.
    result = grade_question(
        q, picks(q, "Mobile number", "Date of birth", "Office city")
    )
    assert result.points == pytest.approx(1.5)


def test_multiple_negative_total_floors_at_zero():
    q = {**MULTIPLE, "penalty": 1}
    result = grade_question(q, picks(q, "Office city", "Software version"))
    assert result.points == 0.0
    result = grade_question(
        q, picks(q, "Mobile number", "Office city", "Software version")
    )
    assert result.points == 0.0


def test_multiple_repeated_ids_count_once():
    ids = picks(MULTIPLE, "Mobile number") * 3
    assert grade_question(MULTIPLE, ids).points == 1.0


@pytest.mark.parametrize(
    "response",
    ["just-a-string", [1, 2], ["unknown-id"], {"a": 1}, 42],
)
def test_multiple_malformed_or_unknown_ids_score_zero(response):
    result = grade_question(MULTIPLE, response)
    assert (result.points, result.response_summary) == (0.0, INVALID_RESPONSE)


def test_multiple_an_unknown_id_voids_otherwise_right_picks():
    response = [*picks(MULTIPLE, "Mobile number", "Date of birth"), "c-forged"]
    assert grade_question(MULTIPLE, response).points == 0.0


def test_multiple_empty_list_is_no_answer():
    assert grade_question(MULTIPLE, []).response_summary == NO_ANSWER


def test_thirds_add_up_exactly():
    q = {
        "id": "q3",
        "type": "multiple",
        "prompt": "p",
        "points": 3,
        "choices": [{"text": t, "correct": True} for t in "abc"] + [{"text": "d"}],
    }
    assert grade_question(q, picks(q, "a")).points == 1.0
    assert grade_question(q, picks(q, "a", "b")).points == 2.0


# --------------------------------------------------------------------------
# truefalse
# --------------------------------------------------------------------------


@pytest.mark.parametrize("response", [True, "true", " TRUE ", "True"])
def test_truefalse_right_answer_in_any_accepted_form(response):
    result = grade_question(TRUEFALSE, response)
    assert (result.correct, result.points) == (True, 1.0)
    assert result.feedback == "Right.\n\nControl totals catch lost records."
    assert result.response_summary == "True"


@pytest.mark.parametrize("response", [False, "false", "FALSE"])
def test_truefalse_wrong_answer_shows_incorrect_feedback(response):
    result = grade_question(TRUEFALSE, response)
    assert (result.correct, result.points) == (False, 0.0)
    assert result.feedback == "It must match.\n\nControl totals catch lost records."


@pytest.mark.parametrize("response", ["yes", 1, 0, "T", ["true"]])
def test_truefalse_other_values_are_invalid(response):
    assert grade_question(TRUEFALSE, response).response_summary == INVALID_RESPONSE


def test_truefalse_blank_is_no_answer_and_gets_incorrect_feedback():
    result = grade_question(TRUEFALSE, None)
    assert result.response_summary == NO_ANSWER
    assert result.feedback.startswith("It must match.")


# --------------------------------------------------------------------------
# short
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response", ["New Delhi", "new delhi", "  NEW   delhi ", "delhi", "Delhi\n"]
)
def test_short_ignores_case_and_extra_whitespace(response):
    assert grade_question(SHORT, response).correct is True


def test_short_summary_collapses_whitespace():
    assert grade_question(SHORT, "  new   delhi ").response_summary == "new delhi"


@pytest.mark.parametrize("response", ["Mumbai", "NewDelhi", "New Delhi."])
def test_short_wrong_answers(response):
    assert grade_question(SHORT, response).points == 0.0


def test_short_case_sensitive_option():
    q = {**SHORT, "answers": ["GSTIN"], "case_sensitive": True}
    assert grade_question(q, "GSTIN").correct is True
    assert grade_question(q, "gstin").correct is False
    assert grade_question(q, " GSTIN ").correct is True


def test_short_unicode_forms_and_case_folding():
    q = {**SHORT, "answers": ["Café", "Straße"]}
    assert grade_question(q, "cafe\u0301").correct is True  # decomposed é
    assert grade_question(q, "STRASSE").correct is True  # ß folds to ss
    assert grade_question(q, "ｃａｆé").correct is True  # full-width letters
    assert grade_question({**q, "answers": ["मुंबई"]}, " मुंबई ").correct is True


def test_short_non_text_response_is_invalid():
    assert (
        grade_question({**SHORT, "answers": ["42"]}, 42).response_summary
        == INVALID_RESPONSE
    )


def test_short_empty_accepted_answer_never_matches():
    q = {**SHORT, "answers": ["", "Delhi"]}
    assert grade_question(q, " ").points == 0.0


# --------------------------------------------------------------------------
# numeric
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        "1250.5",
        "1250.50",
        1250.5,
        Decimal("1250.50"),
        "1,250.50",
        "1 250.50",
        "1\u00a0250.50",  # no-break space as a thousands separator
        "₹1,250.50",
        "₹ 1,250.50",
        "Rs. 1,250.50",
        "1250.50 INR",
        "INR 1250.5",
        "  1250.5  ",
        "1250.51",  # upper bound, inclusive
        "1250.49",  # lower bound, inclusive
    ],
)
def test_numeric_accepted_forms_and_inclusive_bounds(response):
    result = grade_question(NUMERIC, response)
    assert (result.correct, result.points) == (True, 1.0), response


@pytest.mark.parametrize(
    "response", ["1250.52", "1250.48", "1250.5100001", "1250.4899999", 1250.52]
)
def test_numeric_just_outside_the_tolerance_is_wrong(response):
    result = grade_question(NUMERIC, response)
    assert (result.correct, result.points) == (False, 0.0)


def test_numeric_zero_tolerance_is_exact():
    q = {**NUMERIC, "answer": 12, "tolerance": 0}
    assert grade_question(q, "12").correct is True
    assert grade_question(q, "12.000").correct is True
    assert grade_question(q, 12).correct is True
    assert grade_question(q, "12.001").correct is False


def test_numeric_negative_numbers():
    q = {**NUMERIC, "answer": -5, "tolerance": 0}
    for response in ("-5", "−5", "- 5", "-5.0 kg", -5):
        assert grade_question(q, response).correct is True, response


def test_numeric_indian_grouping():
    q = {**NUMERIC, "answer": 125000.5, "tolerance": 0}
    assert grade_question(q, "1,25,000.50").correct is True
    assert grade_question(q, "125,000.50").correct is True


@pytest.mark.parametrize(
    "response",
    [
        "abc",
        "1250,50",
        "1,2,3",
        "12 5",
        "1.2.3",
        "1e3",
        "(1,250.50)",
        "--5",
        "+-5",
        "5 5 5",
        ".",
    ],
)
def test_numeric_garbage_scores_zero_with_a_summary(response):
    result = grade_question(NUMERIC, response)
    assert result.points == 0.0
    assert result.response_summary.endswith("(not a number)")


@pytest.mark.parametrize(
    "response", [True, False, float("nan"), float("inf"), [1250.5], {}]
)
def test_numeric_non_numbers_score_zero(response):
    result = grade_question(NUMERIC, response)
    assert result.points == 0.0
    assert result.response_summary in (INVALID_RESPONSE, NO_ANSWER)


def test_numeric_response_summary_keeps_what_was_typed():
    assert grade_question(NUMERIC, " ₹ 1,250.50 ").response_summary == "₹ 1,250.50"


def test_parse_numeric_response_values():
    assert parse_numeric_response("1,25,000") == Decimal("125000")
    assert parse_numeric_response(".5") == Decimal("0.5")
    assert parse_numeric_response("5.") == Decimal("5")
    assert parse_numeric_response("45 %") == Decimal("45")
    assert parse_numeric_response("Rs. 500/-") == Decimal("500")
    assert parse_numeric_response("１２") == Decimal("12")  # full-width digits
    assert parse_numeric_response("") is None


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_parse_numeric_reads_back_western_grouping(value):
    assert parse_numeric_response(f"{value:,.2f}") == value
    assert parse_numeric_response(f"{value:,.2f} INR") == value


# --------------------------------------------------------------------------
# ordering
# --------------------------------------------------------------------------


def order(*texts: str) -> list[str]:
    by_text = {i["text"]: i["id"] for i in normalize_question(ORDERING)["items"]}
    return [by_text[t] for t in texts]


def test_ordering_right_order_is_full_marks():
    result = grade_question(ORDERING, order("Receive", "Key", "Check", "Approve"))
    assert (result.correct, result.points) == (True, 4.0)
    assert result.response_summary == "Receive → Key → Check → Approve"


def test_ordering_partial_credit_is_share_of_items_in_place():
    # Receive and Approve are in place, Key and Check are swapped: 2 of 4.
    result = grade_question(ORDERING, order("Receive", "Check", "Key", "Approve"))
    assert (result.correct, result.points) == (False, 2.0)


def test_ordering_reversed_is_zero():
    assert (
        grade_question(ORDERING, order("Approve", "Check", "Key", "Receive")).points
        == 0.0
    )


@pytest.mark.parametrize(
    "response",
    [
        lambda: order("Receive", "Key", "Check"),  # item missing
        lambda: order("Receive", "Receive", "Check", "Approve"),  # repeat
        lambda: [*order("Receive", "Key", "Check"), "o-forged"],
        lambda: "Receive,Key,Check,Approve",
        lambda: [1, 2, 3, 4],
    ],
)
def test_ordering_malformed_responses_score_zero(response):
    result = grade_question(ORDERING, response())
    assert (result.points, result.response_summary) == (0.0, INVALID_RESPONSE)


# --------------------------------------------------------------------------
# grade_quiz
# --------------------------------------------------------------------------


def test_grade_quiz_totals_and_json_shape():
    responses = {
        "q-single": choice_id(SINGLE, "The checker"),  # 2 of 2
        "q-multi": picks(MULTIPLE, "Mobile number"),  # 1 of 2
        "q-tf": "false",  # 0 of 1
        "q-short": "delhi",  # 1 of 1
        # q-num missing: 0 of 1
        "q-order": order("Receive", "Check", "Key", "Approve"),  # 2 of 4
    }
    result = grade_quiz(ALL_QUESTIONS, responses, pass_percent=50)
    assert (result.score, result.max_score) == (6.0, 11.0)
    assert result.percent == pytest.approx(600 / 11)
    assert result.passed is True
    assert result.items["q-num"].response_summary == NO_ANSWER

    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {
        "score",
        "max_score",
        "percent",
        "passed",
        "needs_manual_grading",
        "items",
    }
    assert list(data["items"]) == [q["id"] for q in ALL_QUESTIONS]
    assert set(data["items"]["q-single"]) == {
        "correct",
        "points",
        "max_points",
        "feedback",
        "choice_feedback",
        "response_summary",
    }
    assert data["items"]["q-multi"] == {
        "correct": False,
        "points": 1.0,
        "max_points": 2.0,
        "feedback": "",
        "choice_feedback": ["Personal."],
        "response_summary": "Mobile number",
    }


def test_grade_quiz_pass_mark_is_inclusive():
    questions = [
        {"id": f"q{i}", "type": "truefalse", "prompt": "p", "answer": True}
        for i in range(5)
    ]
    four_right = {f"q{i}": i < 4 for i in range(5)}
    assert grade_quiz(questions, four_right, 80).passed is True
    assert grade_quiz(questions, four_right, 80.01).passed is False


def test_grade_quiz_passes_at_exact_thirds():
    q = {
        "id": "q",
        "type": "multiple",
        "prompt": "p",
        "choices": [{"text": t, "correct": True} for t in "abc"] + [{"text": "d"}],
    }
    questions = [{**q, "id": f"q{i}"} for i in range(3)]
    one_third_each = {f"q{i}": picks(q, "a") for i in range(3)}
    result = grade_quiz(questions, one_third_each, pass_percent=100 / 3)
    assert result.passed is True


def test_grade_quiz_empty_and_missing_responses():
    result = grade_quiz([], {}, 80)
    assert (result.score, result.max_score, result.percent, result.passed) == (
        0,
        0,
        0,
        False,
    )
    assert grade_quiz([SHORT], None, 0).items["q-short"].response_summary == NO_ANSWER


def test_grade_quiz_rejects_duplicate_ids_and_bad_pass_marks():
    with pytest.raises(ValueError, match="duplicate"):
        grade_quiz([SHORT, SHORT], {}, 80)
    for bad in (-1, 101, "80", None, True):
        with pytest.raises(ValueError, match="pass_percent"):
            grade_quiz([SHORT], {}, bad)


def test_unknown_type_raises():
    with pytest.raises(UnknownQuestionType):
        grade_question({**SHORT, "type": "essay"}, "text")


def test_registered_manual_type_marks_quiz_as_needing_grading(monkeypatch):
    def grade_essay(q, response):
        return ItemResult(correct=None, points=0.0, max_points=float(q["points"]))

    monkeypatch.setitem(GRADERS, "essay", grade_essay)
    essay = {"id": "q-essay", "type": "essay", "prompt": "Explain.", "points": 5}
    result = grade_quiz([essay, SHORT], {"q-short": "Delhi"}, 50)
    assert result.needs_manual_grading is True
    assert result.items["q-essay"].correct is None
    assert validate_question(essay) == []


# --------------------------------------------------------------------------
# learner_view
# --------------------------------------------------------------------------

KEY_FIELDS = {
    "correct",
    "answer",
    "answers",
    "tolerance",
    "feedback",
    "correct_feedback",
    "incorrect_feedback",
    "penalty",
    "case_sensitive",
}


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


def all_strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in all_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in all_strings(v)]
    return [value] if isinstance(value, str) else []


def secret_texts(q: dict) -> list[str]:
    nq = normalize_question(q)
    texts = [nq["feedback"], nq["correct_feedback"], nq["incorrect_feedback"]]
    texts += [c["feedback"] for c in nq.get("choices", [])]
    texts += nq.get("answers", [])
    return [t for t in texts if t]


@pytest.mark.parametrize("q", ALL_QUESTIONS, ids=lambda q: q["type"])
@pytest.mark.parametrize("seed", range(5))
def test_learner_view_never_contains_key_material(q, seed):
    view = learner_view(q, random.Random(seed))
    assert not all_keys(view) & KEY_FIELDS
    strings = all_strings(view)
    for secret in secret_texts(q):
        assert all(secret not in s for s in strings), secret
    if q["type"] == "numeric":
        assert q["answer"] not in view.values()
        assert view["units"] == "INR"


def test_learner_view_choices_have_only_id_and_text():
    view = learner_view(SINGLE, random.Random(1))
    assert set(view) == {"id", "type", "prompt", "points", "choices"}
    assert all(set(c) == {"id", "text"} for c in view["choices"])
    assert sorted(c["id"] for c in view["choices"]) == sorted(
        c["id"] for c in normalize_question(SINGLE)["choices"]
    )


def test_learner_view_shuffle_is_reproducible_and_optional():
    many = {
        **SINGLE,
        "choices": [{"text": f"Choice {n}", "correct": n == 0} for n in range(8)],
    }
    first = learner_view(many, random.Random(42))
    assert learner_view(many, random.Random(42)) == first
    orders = {
        tuple(c["text"] for c in learner_view(many, random.Random(s))["choices"])
        for s in range(10)
    }
    assert len(orders) > 1
    unshuffled = learner_view(many, random.Random(42), shuffle=False)
    assert [c["text"] for c in unshuffled["choices"]] == [
        f"Choice {n}" for n in range(8)
    ]


@pytest.mark.parametrize("items", [["a", "b"], ["a", "b", "c"], ORDERING["items"]])
def test_learner_view_never_shows_ordering_items_in_the_correct_order(items):
    q = {**ORDERING, "items": items}
    for seed in range(50):
        view = learner_view(q, random.Random(seed), shuffle=False)
        assert [i["text"] for i in view["items"]] != items
        assert sorted(i["text"] for i in view["items"]) == sorted(items)


def test_learner_view_of_truefalse_and_short_has_no_extras():
    assert set(learner_view(TRUEFALSE, random.Random(0))) == {
        "id",
        "type",
        "prompt",
        "points",
    }
    assert set(learner_view(SHORT, random.Random(0))) == {
        "id",
        "type",
        "prompt",
        "points",
    }


def test_learner_view_ids_are_the_ids_the_grader_accepts():
    view = learner_view(ORDERING, random.Random(3))
    shown_ids = [i["id"] for i in view["items"]]
    assert sorted(shown_ids) == sorted(item_ids(ORDERING))
    assert grade_question(ORDERING, item_ids(ORDERING)).correct is True


# --------------------------------------------------------------------------
# validate_question
# --------------------------------------------------------------------------


@pytest.mark.parametrize("q", ALL_QUESTIONS, ids=lambda q: q["type"])
def test_valid_questions_have_no_errors(q):
    assert validate_question(q) == []


def fields(errors: list[str]) -> list[str]:
    return [e.split(":", 1)[0] for e in errors]


@pytest.mark.parametrize(
    ("q", "field", "words"),
    [
        ({**SHORT, "type": "essay"}, "type", "unknown question type"),
        ({**SHORT, "type": ["single"]}, "type", "unknown question type"),
        ({**SHORT, "id": ""}, "id", "id"),
        ({**SHORT, "prompt": "  "}, "prompt", "empty"),
        ({**SHORT, "points": 0}, "points", "greater than 0"),
        ({**SHORT, "points": -1}, "points", "greater than 0"),
        ({**SHORT, "points": "2"}, "points", "greater than 0"),
        ({**SHORT, "points": True}, "points", "greater than 0"),
        ({**SHORT, "feedback": 5}, "feedback", "text"),
        (
            {**SINGLE, "choices": [{**c, "correct": False} for c in SINGLE["choices"]]},
            "choices",
            "none is marked",
        ),
        (
            {**SINGLE, "choices": [{**c, "correct": True} for c in SINGLE["choices"]]},
            "choices",
            "found 3",
        ),
        ({**SINGLE, "choices": [SINGLE["choices"][1]]}, "choices", "at least 2"),
        ({**SINGLE, "choices": "a, b"}, "choices", "at least 2"),
        (
            {**SINGLE, "choices": [{"text": "x", "correct": True}, "y"]},
            "choices",
            "choice 2",
        ),
        (
            {**SINGLE, "choices": [{"text": "x", "correct": True}, {"text": ""}]},
            "choices",
            "no text",
        ),
        (
            {**SINGLE, "choices": [{"text": "x", "correct": True}, {"text": "x"}]},
            "choices",
            "repeats",
        ),
        (
            {**SINGLE, "choices": [{"text": "x", "correct": "yes"}, {"text": "y"}]},
            "choices",
            "true or false",
        ),
        (
            {
                **MULTIPLE,
                "choices": [{**c, "correct": False} for c in MULTIPLE["choices"]],
            },
            "choices",
            "at least one correct",
        ),
        ({**MULTIPLE, "penalty": 1.5}, "penalty", "0 to 1"),
        ({**MULTIPLE, "penalty": -0.1}, "penalty", "0 to 1"),
        ({**SINGLE, "penalty": 0.5}, "penalty", "not used by single"),
        ({**SHORT, "choices": SINGLE["choices"]}, "choices", "not used by short"),
        ({**TRUEFALSE, "answer": "yes"}, "answer", "true or answer = false"),
        ({k: v for k, v in TRUEFALSE.items() if k != "answer"}, "answer", "true"),
        ({k: v for k, v in SHORT.items() if k != "answers"}, "answers", "at least one"),
        ({**SHORT, "answers": []}, "answers", "at least one"),
        ({**SHORT, "answers": ["ok", " "]}, "answers", "non-empty"),
        ({**SHORT, "case_sensitive": "no"}, "case_sensitive", "true or false"),
        (
            {k: v for k, v in NUMERIC.items() if k != "answer"},
            "answer",
            "needs an answer",
        ),
        ({**NUMERIC, "answer": "1250.5"}, "answer", "must be a number"),
        ({**NUMERIC, "answer": float("nan")}, "answer", "must be a number"),
        ({**NUMERIC, "tolerance": -0.5}, "tolerance", "0 or more"),
        ({**NUMERIC, "units": 5}, "units", "text"),
        ({**ORDERING, "items": ["only one"]}, "items", "at least 2"),
        ({**ORDERING, "items": ["a", ""]}, "items", "item 2"),
        ({**ORDERING, "items": ["a", "A "]}, "items", "repeats"),
    ],
)
def test_validate_question_reports_problems(q, field, words):
    errors = validate_question(q)
    matching = [e for e in errors if e.startswith(f"{field}:")]
    assert matching, errors
    assert any(words in e for e in matching), errors


def test_validate_question_reports_every_problem_at_once():
    q = {
        "id": "",
        "type": "single",
        "prompt": "",
        "points": 0,
        "choices": [{"text": "x"}],
    }
    assert fields(validate_question(q)) == ["id", "prompt", "points", "choices"]


def test_validate_question_refuses_non_tables():
    assert validate_question(["not", "a", "dict"]) == [
        "question: must be a table of keys and values"
    ]


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=10,
)


@st.composite
def questions(draw):
    qtype = draw(
        st.sampled_from(
            ["single", "multiple", "truefalse", "short", "numeric", "ordering"]
        )
    )
    q = {
        "id": "q",
        "type": qtype,
        "prompt": "p",
        "points": draw(st.one_of(st.integers(1, 10), st.floats(0.01, 100))),
    }
    texts = draw(
        st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=6, unique=True)
    )
    if qtype in ("single", "multiple"):
        flags = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
        q["choices"] = [
            {"text": t, "correct": f} for t, f in zip(texts, flags, strict=True)
        ]
        if qtype == "multiple":
            q["penalty"] = draw(st.floats(0, 1))
    elif qtype == "truefalse":
        q["answer"] = draw(st.booleans())
    elif qtype == "short":
        q["answers"] = texts
        q["case_sensitive"] = draw(st.booleans())
    elif qtype == "numeric":
        q["answer"] = draw(st.floats(-1e9, 1e9))
        q["tolerance"] = draw(st.floats(0, 1e3))
    else:
        q["items"] = texts
    return q


@st.composite
def question_and_response(draw):
    q = draw(questions())
    nq = normalize_question(q)
    ids = [c["id"] for c in nq.get("choices", [])] + [
        i["id"] for i in nq.get("items", [])
    ]
    candidates = [json_like]
    if ids:
        candidates += [
            st.sampled_from(ids),
            st.lists(st.sampled_from(ids), max_size=8),
            st.permutations(ids),
        ]
    candidates += [
        st.sampled_from(nq.get("answers") or ["x"]),
        st.text(alphabet="0123456789,. -₹INR"),
    ]
    return q, draw(st.one_of(candidates))


@settings(max_examples=400, deadline=None)
@given(question_and_response())
def test_grade_question_never_raises_and_stays_in_range(case):
    q, response = case
    result = grade_question(q, response)
    assert 0 <= result.points <= result.max_points
    assert result.max_points == float(q["points"])
    assert result.correct is (result.points == result.max_points)
    json.dumps(result.to_dict())


@settings(max_examples=100, deadline=None)
@given(
    st.lists(questions(), max_size=5),
    st.dictionaries(st.sampled_from(["q", "x"]), json_like),
)
def test_grade_quiz_never_raises_on_any_responses(qs, responses):
    numbered = [{**q, "id": f"q{n}"} for n, q in enumerate(qs)]
    result = grade_quiz(numbered, {**responses, "q0": responses.get("q")}, 50)
    assert 0 <= result.score <= result.max_score
    assert 0 <= result.percent <= 100


@settings(max_examples=200, deadline=None)
@given(questions(), st.randoms(use_true_random=False))
def test_learner_view_property_no_key_fields(q, rng):
    assert not all_keys(learner_view(q, rng)) & KEY_FIELDS
