"""Item-writing cues: ways a quiz gives its answers away to a learner who does not
know the subject.

Pure: no Flask, no database. Takes a quiz's questions as dicts, either as written
in a quiz file's `[[questions]]` or as lms.quizzes.grading.normalize_question
returns them, and returns `CueWarning`s. Warnings are advice for the author; they
never stop a quiz from loading. Two patterns are looked for:

* **Longest choice is the key.** Authors tend to make the right choice the most
  careful, qualified and therefore longest one, so "pick the longest" scores well
  above chance. A single- or multiple-choice question gives this cue when its
  longest choice (characters, with runs of whitespace counted once) is longer
  than every other choice and is a correct one. Any one question may do so by
  chance; a quiz is flagged when more than `threshold` of its choice questions
  do, and then every such question is named.
* **An accepted short answer printed elsewhere.** A short-answer question's
  accepted answer that appears in another question's prompt, choices or
  ordering items can simply be copied from there. Matching ignores case and
  looks for the whole word or phrase; answers shorter than MIN_ANSWER_LENGTH
  characters (digits, "5") are too common to count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LONGEST_SHARE_THRESHOLD = 0.25
MIN_ANSWER_LENGTH = 3
CHOICE_TYPES = ("single", "multiple")

Question = Mapping[str, Any]


@dataclass(frozen=True)
class CueWarning:
    """One cue found in one question; `question_id` is the question to rewrite and
    `related_id` the other question involved, if any."""

    question_id: str
    message: str
    related_id: str | None = None

    def __str__(self) -> str:
        return self.message


def item_cue_warnings(
    questions: Sequence[Question], *, threshold: float = LONGEST_SHARE_THRESHOLD
) -> list[CueWarning]:
    """Every cue this module knows about, in question order."""
    found = longest_choice_warnings(questions, threshold=threshold)
    found += answer_leak_warnings(questions)
    order = {_id(q): n for n, q in enumerate(questions)}
    return sorted(found, key=lambda w: order.get(w.question_id, len(order)))


# --------------------------------------------------------------------------
# Longest choice is the key
# --------------------------------------------------------------------------


def is_choice_question(question: Question) -> bool:
    return question.get("type") in CHOICE_TYPES and len(_choices(question)) >= 2


def longest_choice_is_correct(question: Question) -> bool:
    """True when one choice is strictly longer than all others and it is correct."""
    choices = _choices(question)
    if question.get("type") not in CHOICE_TYPES or len(choices) < 2:
        return False
    lengths = sorted(
        (_length(c.get("text")), c.get("correct") is True) for c in choices
    )
    (runner_up, _), (longest, correct) = lengths[-2], lengths[-1]
    return correct and longest > runner_up


def longest_correct_share(questions: Iterable[Question]) -> tuple[float, list[str]]:
    """The share of choice questions whose longest choice is the key, and their ids."""
    choice_questions = [q for q in questions if is_choice_question(q)]
    cued = [_id(q) for q in choice_questions if longest_choice_is_correct(q)]
    share = len(cued) / len(choice_questions) if choice_questions else 0.0
    return share, cued


def longest_choice_warnings(
    questions: Sequence[Question], *, threshold: float = LONGEST_SHARE_THRESHOLD
) -> list[CueWarning]:
    """One warning per cued question, but only when the quiz's share is above
    `threshold`."""
    share, cued = longest_correct_share(questions)
    if share <= threshold:
        return []
    total = sum(1 for q in questions if is_choice_question(q))
    summary = f"{len(cued)} of {total} choice questions do this, {share:.0%} > {threshold:.0%}"
    return [
        CueWarning(
            qid,
            f"question {qid}: the correct choice is the only longest one, a cue a "
            f"learner can guess from ({summary})",
        )
        for qid in cued
    ]


# --------------------------------------------------------------------------
# Accepted short answers shown elsewhere
# --------------------------------------------------------------------------


def answer_leak_warnings(questions: Sequence[Question]) -> list[CueWarning]:
    """One warning per (short answer, other question) pair where the other
    question's visible text contains the answer."""
    found = []
    for short in questions:
        if short.get("type") != "short":
            continue
        for answer in _countable_answers(short):
            pattern = _whole_phrase(answer)
            for other in questions:
                if other is short or _id(other) == _id(short):
                    continue
                if any(pattern.search(text) for text in visible_texts(other)):
                    found.append(_leak(other, short, answer))
    return _first_per_pair(found)


def visible_texts(question: Question) -> list[str]:
    """What a learner sees of a question while answering: prompt, choices, items."""
    texts = [_text(question.get("prompt"))]
    texts += [_text(c.get("text")) for c in _choices(question)]
    for item in question.get("items") or ():
        texts.append(_text(item.get("text") if isinstance(item, Mapping) else item))
    return [t for t in texts if t]


def _countable_answers(question: Question) -> list[str]:
    answers = question.get("answers")
    if not isinstance(answers, list | tuple):
        return []
    return [
        " ".join(a.split())
        for a in answers
        if isinstance(a, str) and len(" ".join(a.split())) >= MIN_ANSWER_LENGTH
    ]


def _whole_phrase(answer: str) -> re.Pattern[str]:
    words = (re.escape(word) for word in answer.split())
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _leak(other: Question, short: Question, answer: str) -> CueWarning:
    return CueWarning(
        _id(other),
        f"question {_id(other)} shows {answer!r}, an accepted answer of short-answer "
        f"question {_id(short)}, so a learner can copy it from there",
        related_id=_id(short),
    )


def _first_per_pair(warnings: list[CueWarning]) -> list[CueWarning]:
    """Several accepted answers of one question found in the same other question
    make one warning, not one per spelling."""
    seen: set[tuple[str, str | None]] = set()
    unique = []
    for warning in warnings:
        pair = (warning.question_id, warning.related_id)
        if pair not in seen:
            seen.add(pair)
            unique.append(warning)
    return unique


# --------------------------------------------------------------------------
# Helpers tolerant of malformed dicts: the loader reports those, not this module
# --------------------------------------------------------------------------


def _choices(question: Question) -> list[Mapping[str, Any]]:
    choices = question.get("choices")
    if not isinstance(choices, list | tuple):
        return []
    return [c for c in choices if isinstance(c, Mapping)]


def _id(question: Question) -> str:
    return _text(question.get("id"))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _length(text: object) -> int:
    return len(" ".join(_text(text).split()))
