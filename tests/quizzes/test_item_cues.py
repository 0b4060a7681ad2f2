"""Item-writing cues: the longest choice as the key, and short answers printed
elsewhere in the same quiz; plus the guard that the bundled quizzes have neither."""

from __future__ import annotations

import tomllib

import pytest

from lms.config import PROJECT_ROOT
from lms.quizzes import grading
from lms.quizzes.item_cues import (
    answer_leak_warnings,
    item_cue_warnings,
    longest_choice_is_correct,
    longest_choice_warnings,
    longest_correct_share,
)


def single(qid: str, key: str, *others: str) -> dict:
    choices = [{"text": key, "correct": True}]
    choices += [{"text": text, "correct": False} for text in others]
    return {
        "id": qid,
        "type": "single",
        "prompt": f"Question {qid}?",
        "choices": choices,
    }


def short(qid: str, prompt: str, *answers: str) -> dict:
    return {"id": qid, "type": "short", "prompt": prompt, "answers": list(answers)}


CUED = single("q1", "Check it against the source document first", "Guess", "Skip it")
LEVEL = single("q2", "Yes", "No", "Ask")  # no unique longest choice
HIDDEN_KEY = single("q3", "Hold", "Post it now", "Delete the record")
SHORT_KEY = single("q4", "Zero", "The letter O", "Either of them")


# --- longest choice ----------------------------------------------------------


def test_a_unique_longest_correct_choice_is_a_cue():
    assert longest_choice_is_correct(CUED)
    assert not longest_choice_is_correct(HIDDEN_KEY)


def test_a_tie_for_longest_is_not_a_cue():
    tied = single("q", "Abcd", "Wxyz", "No")

    assert not longest_choice_is_correct(tied)
    assert not longest_choice_is_correct(LEVEL)


def test_runs_of_whitespace_count_once():
    spaced = single("q", "Two   words", "Two words!")

    assert not longest_choice_is_correct(spaced)


def test_multiple_choice_counts_when_its_longest_choice_is_a_correct_one():
    question = {
        "id": "m",
        "type": "multiple",
        "choices": [
            {"text": "Control totals on every batch", "correct": True},
            {"text": "Check digits", "correct": True},
            {"text": "Spell check", "correct": False},
        ],
    }

    assert longest_choice_is_correct(question)


def test_share_counts_choice_questions_only_and_names_the_cued_ones():
    truefalse = {"id": "t", "type": "truefalse", "prompt": "?", "answer": True}

    share, cued = longest_correct_share([CUED, LEVEL, HIDDEN_KEY, SHORT_KEY, truefalse])

    assert (share, cued) == (0.25, ["q1"])


def test_a_share_at_the_threshold_gives_no_warning():
    assert longest_choice_warnings([CUED, LEVEL, HIDDEN_KEY, SHORT_KEY]) == []


def test_a_share_above_the_threshold_names_every_cued_question():
    other = single("q5", "Report it to your team lead at once", "Wait", "Ignore it")

    warnings = longest_choice_warnings([CUED, LEVEL, HIDDEN_KEY, other])

    assert [w.question_id for w in warnings] == ["q1", "q5"]
    assert "question q1" in warnings[0].message
    assert "2 of 4 choice questions" in warnings[0].message
    assert "50% > 25%" in warnings[0].message


def test_the_threshold_can_be_set():
    assert longest_choice_warnings([CUED, LEVEL, HIDDEN_KEY], threshold=0.5) == []
    assert len(longest_choice_warnings([CUED, LEVEL], threshold=0.4)) == 1


def test_works_on_normalised_questions_too():
    normalised = [grading.normalize_question(q) for q in (CUED, LEVEL)]

    assert [w.question_id for w in longest_choice_warnings(normalised)] == ["q1"]


# --- short answers shown elsewhere ------------------------------------------


def test_a_short_answer_in_another_prompt_is_found_and_names_both_questions():
    questions = [
        short(
            "s1",
            "Swapping two neighbouring digits is called a ____ error.",
            "transposition",
        ),
        {"id": "p1", "type": "truefalse", "prompt": "A Transposition swaps digits."},
    ]

    warnings = answer_leak_warnings(questions)

    assert [(w.question_id, w.related_id) for w in warnings] == [("p1", "s1")]
    assert "question p1 shows 'transposition'" in warnings[0].message
    assert "short-answer question s1" in warnings[0].message


def test_a_short_answer_in_another_questions_choice_or_item_is_found():
    questions = [
        short(
            "s1", "What reduces what you owe a vendor?", "credit note", "credit memo"
        ),
        single("c1", "Purchase order", "Credit  Note", "Invoice"),
        {
            "id": "o1",
            "type": "ordering",
            "prompt": "Order:",
            "items": ["A", "A credit memo"],
        },
    ]

    warnings = answer_leak_warnings(questions)

    assert [(w.question_id, w.related_id) for w in warnings] == [
        ("c1", "s1"),
        ("o1", "s1"),
    ]


def test_only_whole_words_count():
    questions = [
        short("s1", "Which status is on hold?", "age"),
        single("c1", "Message the team", "Manage the queue", "Percentage"),
    ]

    assert answer_leak_warnings(questions) == []


def test_answers_shorter_than_three_characters_are_ignored():
    questions = [
        short("s1", "Which key has the bump?", "5", "no"),
        single("c1", "Press 5", "Say no", "Wait"),
    ]

    assert answer_leak_warnings(questions) == []


def test_the_short_questions_own_prompt_does_not_count():
    questions = [short("s1", "The 'duplicate' record is called a ...?", "duplicate")]

    assert answer_leak_warnings(questions) == []


def test_several_spellings_in_one_question_make_one_warning():
    questions = [
        short("s1", "Which key locks digits?", "Num Lock", "NumLock", "Num Lock key"),
        single("c1", "Press the Num Lock key", "Press Caps Lock", "Restart"),
    ]

    assert len(answer_leak_warnings(questions)) == 1


# --- both together -----------------------------------------------------------


def test_a_quiz_with_both_cues_gets_both_in_question_order():
    questions = [
        CUED,
        short("s1", "What do you call a second record of one customer?", "duplicate"),
        single(
            "c2", "Merge the duplicate records after checking", "Delete one", "Wait"
        ),
    ]

    warnings = item_cue_warnings(questions)

    assert [(w.question_id, w.related_id) for w in warnings] == [
        ("q1", None),
        ("c2", None),
        ("c2", "s1"),
    ]


def test_a_clean_quiz_gives_no_warnings():
    questions = [
        CUED,
        LEVEL,
        HIDDEN_KEY,
        SHORT_KEY,
        short("s1", "Which function removes extra spaces?", "TRIM"),
        {"id": "n1", "type": "numeric", "prompt": "18 % of 1,000?", "answer": 180},
    ]

    assert item_cue_warnings(questions) == []


def test_malformed_questions_do_not_raise():
    questions = [
        {"id": "x", "type": "single", "choices": "not a list"},
        {"id": "y", "type": "single", "choices": [None, {"text": 3}]},
        {"id": "z", "type": "short", "answers": None},
        {"type": "multiple"},
    ]

    assert item_cue_warnings(questions) == []


# --- the bundled quizzes -----------------------------------------------------


def bundled_quizzes():
    paths = sorted((PROJECT_ROOT / "quizzes").glob("*.toml"))
    quizzes = [(p, tomllib.loads(p.read_text(encoding="utf-8"))) for p in paths]
    return [(p.name, data) for p, data in quizzes if data.get("kind") == "quiz"]


def test_the_bundled_quizzes_are_found():
    assert len(bundled_quizzes()) >= 8


@pytest.mark.parametrize(
    "name, quiz", bundled_quizzes(), ids=[name for name, _ in bundled_quizzes()]
)
def test_bundled_quiz_has_no_item_writing_cues(name, quiz):
    assert [str(w) for w in item_cue_warnings(quiz["questions"])] == []
