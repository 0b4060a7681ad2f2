"""Tests for GIFT and Aiken import: good files, broken files with exact line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes.bank_formats import ParseError, parse_aiken, parse_gift
from lms.quizzes.grading import grade_question, normalize_question, validate_question

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "banks"
BANKS = Path(__file__).resolve().parents[2] / "quizzes" / "_banks"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def where(errors: list[ParseError]) -> list[tuple[int, str]]:
    return [(e.line, e.field) for e in errors]


# --------------------------------------------------------------------------
# GIFT: the good fixture, question by question
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_gift():
    result = parse_gift(read(FIXTURES / "good.gift"), "good.gift")
    assert result.errors == []
    assert result.ok
    return {q["id"]: q for q in result.questions}


def test_gift_ids_follow_file_order(good_gift):
    assert list(good_gift) == [f"gift-{n:03d}" for n in range(1, 11)]


def test_gift_single_choice_with_feedback_title_and_category(good_gift):
    assert good_gift["gift-001"] == {
        "id": "gift-001",
        "type": "single",
        "title": "Capital",
        "prompt": "What is the capital of India?",
        "points": 1,
        "choices": [
            {"text": "New Delhi", "correct": True, "feedback": "Correct."},
            {
                "text": "Mumbai",
                "correct": False,
                "feedback": "That is the financial capital.",
            },
            {"text": "Kolkata", "correct": False},
        ],
        "feedback": "Delhi has been the capital since 1911.",
        "category": "Fixtures/Basics",
    }


def test_gift_weighted_choices_become_multiple_with_penalty(good_gift):
    q = good_gift["gift-002"]
    assert q["type"] == "multiple"
    assert q["prompt"] == "Which are **even**?"  # [markdown] tag removed
    assert q["penalty"] == 1.0
    assert q["choices"] == [
        {"text": "2", "correct": True},
        {"text": "4", "correct": True},
        {"text": "3", "correct": False, "feedback": "Odd."},
    ]


def test_gift_true_false_feedback_follows_moodle_order(good_gift):
    # {T#shown when wrong#shown when right}
    q = good_gift["gift-003"]
    assert (q["type"], q["answer"]) == ("truefalse", True)
    assert q["incorrect_feedback"] == "It must balance."
    assert q["correct_feedback"] == "Yes."
    assert good_gift["gift-004"]["answer"] is False
    assert "correct_feedback" not in good_gift["gift-004"]


def test_gift_short_answer(good_gift):
    q = good_gift["gift-005"]
    assert (q["type"], q["answers"], q["case_sensitive"]) == (
        "short",
        ["checker", "reviewer"],
        False,
    )
    assert q["correct_feedback"] == "Either word works."


def test_gift_numeric_forms(good_gift):
    assert {
        k: good_gift["gift-006"][k]
        for k in ("type", "answer", "tolerance", "correct_feedback")
    } == {
        "type": "numeric",
        "answer": 5500,
        "tolerance": 0.5,
        "correct_feedback": "Right.",
    }
    assert (good_gift["gift-007"]["answer"], good_gift["gift-007"]["tolerance"]) == (
        1.5,
        0.5,
    )
    exact = good_gift["gift-008"]
    assert (exact["answer"], exact["tolerance"]) == (12, 0)
    assert exact["incorrect_feedback"] == "Count again."


def test_gift_escapes_become_literal_characters(good_gift):
    q = good_gift["gift-009"]
    assert q["prompt"] == "Escapes: a {brace}, #hash, 2=2 and ~tilde"
    assert q["answers"] == ["ok"]


def test_gift_category_line_may_share_a_block_with_a_question():
    result = parse_gift(read(FIXTURES / "good.gift"), "good.gift")
    last = result.questions[-1]
    assert last["category"] == "Fixtures/Other"
    assert last["prompt"] == "Line one\nline two"  # \n escape
    assert last["answer"] is True


def test_gift_questions_validate_and_grade(good_gift):
    for q in good_gift.values():
        assert validate_question(q) == [], q["id"]
    two = normalize_question(good_gift["gift-002"])
    right = [c["id"] for c in two["choices"] if c["correct"]]
    assert grade_question(two, right).correct is True
    assert (
        grade_question(good_gift["gift-007"], "2").correct is True
    )  # range bound inclusive
    assert grade_question(good_gift["gift-007"], "2.01").correct is False


# --------------------------------------------------------------------------
# GIFT: broken and unsupported files
# --------------------------------------------------------------------------


def test_gift_broken_file_reports_every_error_with_its_line():
    result = parse_gift(read(FIXTURES / "broken.gift"), "broken.gift")
    assert not result.ok
    assert where(result.errors) == [
        (2, "answer"),  # no answer block: a description
        (4, "choices"),  # two = answers on a single-answer question
        (6, "choices"),  # unequal weights on right choices
        (8, "answer"),  # { never closed
        (11, "prompt"),  # [html]
        (13, "answer"),  # {#abc}
        (15, "answer"),  # range 5..1
        (17, "answers"),  # partial credit on a short answer
        (19, "choices"),  # negative weight on a single-answer choice
        (21, "title"),  # :: never closed
        (23, "choices"),  # repeated choice text
        (29, "choices"),  # wrong choices with different penalties
        (31, "answer"),  # stray }
    ]
    assert all(e.source == "broken.gift" for e in result.errors)
    # Only the last, sound question was read; callers still import nothing.
    assert [q["id"] for q in result.questions] == ["gift-014"]


def test_gift_broken_messages_say_what_to_fix():
    messages = {
        e.line: e.message
        for e in parse_gift(read(FIXTURES / "broken.gift"), "b").errors
    }
    assert "descriptions" in messages[2]
    assert "exactly one correct choice" in messages[4]
    assert "equal weights" in messages[6] and "70%" in messages[6]
    assert "never closed" in messages[8]
    assert "[html]" in messages[11]
    assert "'abc'" in messages[13]
    assert "backwards" in messages[15]
    assert "partial credit" in messages[17]
    assert "multiple-answer" in messages[19]
    assert "'::'" in messages[21]
    assert "repeats" in messages[23]
    assert "-50%" in messages[29] and "0%" in messages[29]
    assert "stray '}'" in messages[31]


def test_gift_unsupported_question_types_are_named():
    result = parse_gift(read(FIXTURES / "unsupported.gift"), "unsupported.gift")
    assert result.questions == []
    messages = [(e.line, e.message) for e in result.errors]
    assert [line for line, _ in messages] == [1, 3, 5, 7]
    assert "matching" in messages[0][1]
    assert "essay" in messages[1][1]
    assert "missing-word" in messages[2][1]
    assert "descriptions" in messages[3][1]


def test_gift_error_inside_a_multi_line_answer_points_at_that_line():
    text = "Pick{\n  =a\n  ~b\n  ~%-40%c\n}\n"
    errors = parse_gift(text, "t").errors
    assert where(errors) == [(4, "choices")]


def test_gift_windows_line_endings_and_bom_keep_line_numbers():
    text = "\ufeff// comment\r\n\r\nBad {#x}\r\n\r\nAlso bad {}\r\n"
    assert [e.line for e in parse_gift(text, "t").errors] == [3, 5]


def test_gift_more_features():
    text = "\n".join(
        [
            "::Q::[plain]Two choices {",
            "  =[markdown]**right** answer",
            "  ~wrong",
            "}",
            "",
            "Thirds {~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}",
            "",
            "Text with a \\\\ backslash and \\* markdown {=x}",
            "",
            "Colon\\: in a range {#=-5..-1}",
        ]
    )
    result = parse_gift(text, "t")
    assert result.errors == []
    first, thirds, slashes, negative = result.questions
    assert first["prompt"] == "Two choices"
    assert first["choices"][0]["text"] == "**right** answer"
    assert thirds["type"] == "multiple" and "penalty" not in thirds
    assert slashes["prompt"] == "Text with a \\ backslash and \\* markdown"
    assert (negative["answer"], negative["tolerance"]) == (-3, 2)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Two answers {#=1 =2}", "exactly one answer"),
        ("Weighted numeric {#=%50%1}", "partial credit"),
        ("Wrong with text {#1 ~2}", "only #feedback"),
        ("Multiple blocks {=a} and {=b}", "second '{'"),
        ("Marker missing {x ~y}", "start with"),
        ("No right {~a ~b}", "no right choice"),
        ("Too heavy {~%150%a ~b}", "outside -100..100"),
        ("$CATEGORY:", "needs a path"),
        ("Weight on right {=%50%a ~b}", "drop the %weight%"),
        ("Empty short {=}", "empty"),
        ("Not finite {#inf}", "finite"),
        ("Negative tolerance {#5:-1}", "negative"),
    ],
)
def test_gift_error_messages(text, words):
    errors = parse_gift(text, "t").errors
    assert errors, text
    assert any(words in e.message for e in errors), [e.message for e in errors]
    assert all(e.line == 1 for e in errors)


def test_parse_error_reads_like_a_compiler_message():
    error = ParseError("bank.gift", 12, "choices", "no right choice")
    assert str(error) == "bank.gift:12: choices: no right choice"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("{}=~#%:\\-.>[]$ \nabTF1\r")) | st.characters()
    )
)
def test_gift_parser_never_raises(text):
    result = parse_gift(text, "fuzz")
    for q in result.questions:
        assert validate_question(q) == []
    assert all(e.line >= 1 for e in result.errors)


# --------------------------------------------------------------------------
# Aiken
# --------------------------------------------------------------------------


def test_aiken_good_file():
    result = parse_aiken(read(FIXTURES / "good.aiken.txt"), "good.aiken.txt")
    assert result.errors == []
    assert result.questions == [
        {
            "id": "aiken-001",
            "type": "single",
            "prompt": "What does KYC stand for?",
            "points": 1,
            "choices": [
                {"text": "Know your customer", "correct": True},
                {"text": "Keep your copy", "correct": False},
                {"text": "Key yearly check", "correct": False},
            ],
        },
        {
            "id": "aiken-002",
            "type": "single",
            "prompt": "Which team approves refunds\nabove the limit?",
            "points": 1,
            "choices": [
                {"text": "Finance controller", "correct": True},
                {"text": "Any agent", "correct": False},
            ],
        },
    ]


def test_aiken_broken_file_reports_every_error_with_its_line():
    result = parse_aiken(read(FIXTURES / "broken.aiken.txt"), "broken.aiken.txt")
    assert not result.ok
    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (
            1,
            "answer",
            "missing 'ANSWER: <letter>' line after the options (before line 5)",
        ),
        (8, "answer", "ANSWER E is not one of the options (A, B)"),
        (10, "choices", "needs at least 2 options, found 1"),
        (16, "choices", "expected option B, found C"),
        (19, "answer", "ANSWER line without a question above it"),
        (21, "choices", "option A comes before any question text"),
        (23, "answer", "missing 'ANSWER: <letter>' line at the end of the file"),
    ]
    assert result.questions == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q\nA) a\nB) b\nANSWER: AB\n", [(4, "answer")]),
        ("Q\nA) a\nB)\nANSWER: A\n", [(3, "choices")]),
        ("Q\nA) same\nB) same\nANSWER: A\n", [(1, "choices")]),
        ("Q\nA) a\nANSWER: B\n", [(1, "choices"), (3, "answer")]),
    ],
)
def test_aiken_small_errors(text, expected):
    assert where(parse_aiken(text, "t").errors) == expected


def test_aiken_answer_in_lower_case_and_prompts_starting_with_answer():
    text = "Answer: which form is used?\nA. Form 16\nB. Form 26AS\nAnswer: b\n"
    result = parse_aiken(text, "t")
    assert result.errors == []
    assert result.questions[0]["prompt"] == "Answer: which form is used?"
    assert [c["correct"] for c in result.questions[0]["choices"]] == [False, True]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ABCDE).: \nANSWERxyz")) | st.characters())
)
def test_aiken_parser_never_raises(text):
    result = parse_aiken(text, "fuzz")
    for q in result.questions:
        assert validate_question(q) == []


# --------------------------------------------------------------------------
# The sample banks shipped for trainers
# --------------------------------------------------------------------------


def answer_key(q: dict) -> object:
    nq = normalize_question(q)
    if nq["type"] == "single":
        return next(c["id"] for c in nq["choices"] if c["correct"])
    if nq["type"] == "multiple":
        return [c["id"] for c in nq["choices"] if c["correct"]]
    if nq["type"] in ("truefalse", "numeric"):
        return nq["answer"]
    return nq["answers"][0]


@pytest.mark.parametrize(
    ("filename", "parse"),
    [
        ("spreadsheet-formulas.gift", parse_gift),
        ("back-office-basics.aiken.txt", parse_aiken),
    ],
)
def test_sample_banks_import_cleanly_and_grade_by_their_key(filename, parse):
    result = parse(read(BANKS / filename), filename)
    assert result.errors == []
    assert len(result.questions) >= 10
    for q in result.questions:
        assert validate_question(q) == []
        assert grade_question(q, answer_key(q)).correct is True, q["id"]


def test_sample_gift_bank_uses_several_types_and_categories():
    result = parse_gift(read(BANKS / "spreadsheet-formulas.gift"), "bank")
    assert {q["type"] for q in result.questions} == {
        "single",
        "multiple",
        "truefalse",
        "short",
        "numeric",
    }
    assert len({q["category"] for q in result.questions}) >= 3
