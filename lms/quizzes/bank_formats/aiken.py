"""Aiken import: a question (one or more lines), options `A) text` or `A. text` in
letter order, then `ANSWER: B`. Every question becomes a single-answer one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lms.quizzes.bank_formats.common import ParseError, ParseResult, split_lines
from lms.quizzes.grading import validate_question

_AIKEN_OPTION = re.compile(r"^([A-Z])[.)](?:\s+(.*))?$")
_AIKEN_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class _AikenDraft:
    start_line: int
    prompt: list[str] = field(default_factory=list)
    options: list[tuple[str, str, int]] = field(
        default_factory=list
    )  # letter, text, line
    failed: bool = False


_ErrorSink = Callable[[int, str, str], None]


def parse_aiken(text: str, source_name: str) -> ParseResult:
    """Parse an Aiken file: question line(s), `A) …` options, `ANSWER: X`."""
    result = ParseResult()
    draft: _AikenDraft | None = None
    number = 0

    def error(line: int, field_name: str, message: str) -> None:
        result.errors.append(ParseError(source_name, line, field_name, message))

    for line_no, raw in enumerate(split_lines(text), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _aiken_answer(line)
        option = _AIKEN_OPTION.match(line)
        if answer is not None:
            if draft is None:
                error(line_no, "answer", "ANSWER line without a question above it")
                continue
            number += 1
            question = _finish_aiken(draft, answer, line_no, number, error)
            if question is not None:
                result.questions.append(question)
            draft = None
        elif option and draft is not None:
            letter, option_text = option[1], (option[2] or "").strip()
            expected = chr(ord("A") + len(draft.options))
            if letter != expected:
                error(line_no, "choices", f"expected option {expected}, found {letter}")
                draft.failed = True
            if not option_text:
                error(line_no, "choices", f"option {letter} has no text")
                draft.failed = True
            draft.options.append((letter, option_text, line_no))
        elif option:
            error(
                line_no, "choices", f"option {option[1]} comes before any question text"
            )
        elif draft is not None and draft.options:
            # Question text after options: the previous question never got its ANSWER.
            error(
                draft.start_line,
                "answer",
                f"missing 'ANSWER: <letter>' line after the options (before line {line_no})",
            )
            number += 1
            draft = _AikenDraft(start_line=line_no, prompt=[line])
        elif draft is not None:
            draft.prompt.append(line)
        else:
            draft = _AikenDraft(start_line=line_no, prompt=[line])
    if draft is not None:
        error(
            draft.start_line,
            "answer",
            "missing 'ANSWER: <letter>' line at the end of the file",
        )
    result.errors.sort(key=lambda e: e.line)
    return result


def _aiken_answer(line: str) -> str | None:
    """The value of an ANSWER line, or None when the line is not one.

    "ANSWER:" in capitals always counts (a bad value is then reported);
    "Answer: B" counts only with a lone letter, so a question that happens to
    begin with "Answer:" is still read as text.
    """
    match = _AIKEN_ANSWER.match(line)
    if match is None:
        return None
    value = match[1].strip()
    if line.startswith("ANSWER") or re.fullmatch(r"[A-Za-z]", value):
        return value
    return None


def _finish_aiken(
    draft: _AikenDraft, letter: str, answer_line: int, number: int, error: _ErrorSink
) -> dict[str, Any] | None:
    failed = draft.failed
    if len(draft.options) < 2:
        error(
            draft.start_line,
            "choices",
            f"needs at least 2 options, found {len(draft.options)}",
        )
        failed = True
    letters = [opt[0] for opt in draft.options]
    letter = letter.upper()
    if not re.fullmatch(r"[A-Z]", letter):
        error(
            answer_line, "answer", f"ANSWER must be one option letter, not {letter!r}"
        )
        return None
    if letter not in letters:
        shown = ", ".join(letters) or "none"
        error(
            answer_line,
            "answer",
            f"ANSWER {letter} is not one of the options ({shown})",
        )
        failed = True
    if failed:
        return None
    question = {
        "id": f"aiken-{number:03d}",
        "type": "single",
        "prompt": "\n".join(draft.prompt),
        "points": 1,
        "choices": [
            {"text": text, "correct": opt == letter} for opt, text, _ in draft.options
        ],
    }
    problems = validate_question(question)
    for message in problems:
        field_name, _, detail = message.partition(": ")
        error(draft.start_line, field_name, detail)
    return None if problems else question
