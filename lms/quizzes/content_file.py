"""Read the quiz part of a quizzes/<slug>.toml file (kind = "quiz") into the quiz's
settings and questions, reporting every problem on its line.

Pure: the content loader (lms.content.loader) reads the keys every assessment
shares and hands the top table here. The format is docs/content-format.md.

* `settings` holds exactly the quiz keys the file gives; what each may hold and
  its default belong to lms.quizzes.settings (this module only words the
  problem for a file). `questions_per_attempt` (draw that many questions per
  attempt, at most the number of questions) is accepted beside the documented
  keys because the engine honours it.
* Questions keep the author's `id`; choices and ordering items get the
  text-derived ids of `lms.quizzes.grading.normalize_question`, and each
  question is checked by `lms.quizzes.grading.validate_question`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from lms.content.files import File
from lms.content.tables import Table
from lms.options import Spec
from lms.quizzes import grading
from lms.quizzes.settings import SPECS

QUIZ_SETTINGS = (
    "pass_percent", "shuffle_questions", "shuffle_choices", "questions_per_page",
    "questions_per_attempt", "grading_method", "review", "show_correct_answers",
    "show_feedback", "show_score", "show_correctness", "delay_minutes",
)  # fmt: skip
QUIZ_KEYS = (*QUIZ_SETTINGS, "questions")
QUESTION_KEYS = (
    "id", "type", "prompt", "points", "category", "tags", "feedback",
    "correct_feedback", "incorrect_feedback", "choices", "penalty", "answer",
    "answers", "case_sensitive", "tolerance", "units", "items",
)  # fmt: skip
CHOICE_KEYS = ("text", "correct", "feedback")


def read_quiz(
    top: Table, doc: File, data_files: list[Path]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, {"questions": [...]}) of a quiz file; a quiz names no data files."""
    settings = read_settings(top)
    raw = top.data.get("questions")
    if not isinstance(raw, list) or not raw:
        top.error("questions", "a quiz needs at least one [[questions]] entry")
        return settings, {"questions": []}
    draw = settings.get("questions_per_attempt")
    if draw is not None and draw > len(raw):
        top.error(
            "questions_per_attempt",
            f"{draw} questions per attempt, but the quiz has only {len(raw)}",
        )
    questions = []
    seen: dict[str, int] = {}
    for index, question in enumerate(raw):
        normalized = _read_question(doc, index, question, seen)
        if normalized is not None:
            questions.append(normalized)
    return settings, {"questions": questions}


def read_settings(top: Table) -> dict[str, Any]:
    """The quiz settings the file gives, each checked against its rule in
    lms.quizzes.settings; a bad one is reported and left out."""
    return {
        key: value
        for key in QUIZ_SETTINGS
        if key in top.data
        and (value := _read_setting(top, key, SPECS[key])) is not None
    }


def _read_setting(top: Table, key: str, spec: Spec) -> Any:
    """One setting, with the file's own wording for a value `spec` does not allow."""
    minimum = spec.minimum if spec.minimum is not None else 0
    maximum = spec.maximum if spec.maximum is not None else math.inf
    if spec.type == "boolean":
        return top.boolean(key, default=None)
    if spec.type == "number":
        return top.number(key, default=None, minimum=minimum, maximum=maximum)
    if spec.type == "integer":
        return top.integer(key, default=None, minimum=int(minimum), maximum=maximum)
    if all(isinstance(c, str) for c in spec.choices):
        return top.choice(key, spec.choices)
    value = top.data[key]
    problem = spec.problem(value)
    if problem is not None:
        top.error(key, f"{problem}, not {value!r}")
        return None
    return value


def _read_question(
    doc: File, index: int, question: Any, seen: dict[str, int]
) -> dict[str, Any] | None:
    """One [[questions]] entry, normalised; None when it is not a table."""
    qid = question.get("id") if isinstance(question, dict) else None
    label = (
        f"questions.{qid}"
        if isinstance(qid, str) and qid.strip()
        else f"questions[{index + 1}]"
    )

    def line_of(key: str) -> int:
        return doc.loc.key(key, "questions", index)

    if not isinstance(question, dict):
        doc.error(
            label,
            "a question must be a table",
            line=doc.loc.array_line("questions", index),
        )
        return None
    if isinstance(qid, str) and qid in seen:
        doc.error(
            label,
            f"question id {qid!r} is already used by question {seen[qid]}; ids must "
            "be unique within the file",
            line=line_of("id"),
        )
    elif isinstance(qid, str):
        seen[qid] = index + 1
    table = Table(question, doc, label, line_of)
    table.check_keys(QUESTION_KEYS)
    for problem in grading.validate_question(question):
        key, _, message = problem.partition(": ")
        doc.error(
            f"{label}.{key}", message, line=_question_line(doc, index, key, message)
        )
    table.text("category")
    tags = question.get("tags")
    if tags is not None and (
        not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags)
    ):
        table.error("tags", 'tags must be a list of text, e.g. tags = ["invoices"]')
    _check_choice_keys(doc, index, label, question.get("choices"))
    return grading.normalize_question(question)


def _check_choice_keys(doc: File, index: int, label: str, choices: Any) -> None:
    if not isinstance(choices, list):
        return
    for number, choice in enumerate(choices):
        if isinstance(choice, dict):
            choice_line = doc.loc.sub_array_line("questions", index, "choices", number)
            Table(
                choice,
                doc,
                f"{label}.choices[{number + 1}]",
                lambda _k, n=choice_line: n,
            ).check_keys(CHOICE_KEYS)


def _question_line(doc: File, index: int, key: str, message: str) -> int:
    """Where grading's complaint about `key` points: the n-th [[choices]] it names."""
    match = re.search(r"\b(?:choice|item) (\d+)\b", message)
    if key == "choices":
        number = int(match[1]) - 1 if match else 0
        return doc.loc.sub_array_line("questions", index, "choices", number)
    return doc.loc.key(key, "questions", index)
