"""GIFT import, as Moodle reads it (question/format/gift), with these decisions:

* Questions are separated by blank lines; lines starting with `//` are
  comments. `$CATEGORY: path` sets `category` for the questions after it
  (a leading Moodle context such as `$course$/top/` is dropped).
* `::title::` is kept as `title`; `[markdown]`, `[plain]` and `[moodle]` text is
  used as Markdown, `[html]` is refused (lessons and prompts are Markdown).
* The answer block decides the question type: see gift_answers.py.
* `#` per-answer feedback, `####` general feedback, escapes `\\: \\# \\= \\~ \\{ \\}
  \\\\` and `\\n` (a line break).
* Matching (`->`), essay (`{}`), missing-word (text after the `}`) and
  descriptions (no answer block) are reported as unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lms.quizzes.bank_formats.common import ParseError, ParseResult, split_lines
from lms.quizzes.bank_formats.gift_answers import parse_answer_block
from lms.quizzes.bank_formats.gift_text import (
    Block,
    QuestionErrors,
    escape_block,
    formatted,
    unescape,
)
from lms.quizzes.grading import validate_question

_CONTEXT_PREFIX = re.compile(
    r"^\$(?:course|system|module|coursecategory|cat\d+)\$/(?:top/?)?"
)


def parse_gift(text: str, source_name: str) -> ParseResult:
    """Parse a GIFT file; see the module docstring for what is supported."""
    result = ParseResult()
    category: str | None = None
    number = 0
    for numbered_lines in _gift_blocks(split_lines(text)):
        first_line, first_text = numbered_lines[0]
        if first_text.strip().startswith("$CATEGORY:"):
            category = _category_path(first_text.strip()[len("$CATEGORY:") :])
            if not category:
                result.errors.append(
                    ParseError(
                        source_name, first_line, "category", "$CATEGORY: needs a path"
                    )
                )
            numbered_lines = numbered_lines[1:]
            if not numbered_lines:
                continue
        number += 1
        errors = QuestionErrors(source_name)
        question = _parse_gift_question(escape_block(numbered_lines), errors)
        if question is not None:
            question = {"id": f"gift-{number:03d}", **question}
            if category:
                question["category"] = category
            _add_validation_errors(question, numbered_lines[0][0], errors)
        result.errors.extend(errors.items)
        if question is not None and not errors.items:
            result.questions.append(question)
    result.errors.sort(key=lambda e: e.line)
    return result


def _gift_blocks(lines: list[str]) -> Iterator[list[tuple[int, str]]]:
    """Runs of non-blank lines, comments dropped (a comment does not end a question)."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            if block:
                yield block
            block = []
        elif not stripped.startswith("//"):
            block.append((number, line))
    if block:
        yield block


def _category_path(raw: str) -> str:
    path = raw.strip()
    return _CONTEXT_PREFIX.sub("", path).strip().strip("/")


def _parse_gift_question(block: Block, errors: QuestionErrors) -> dict[str, Any] | None:
    text = block.text
    start = len(text) - len(text.lstrip())
    title = None
    if text.startswith("::", start):
        end = text.find("::", start + 2)
        if end == -1:
            errors.add(
                block.line_at(start), "title", "'::' opens a title that is never closed"
            )
            return None
        title = unescape(text[start + 2 : end]).strip()
        start = end + 2

    span = _answer_block_span(block, start, errors)
    if span is None:
        return None
    open_at, close_at = span
    prompt = formatted(text[start:open_at], block.line_at(start), "prompt", errors)

    answer_text = text[open_at + 1 : close_at]
    general = ""
    general_at = answer_text.rfind("####")
    if general_at != -1:
        general = formatted(
            answer_text[general_at + 4 :],
            block.line_at(open_at + 1 + general_at),
            "feedback",
            errors,
        )
        answer_text = answer_text[:general_at]

    question = parse_answer_block(block, open_at + 1, answer_text, errors)
    if question is None:
        return None
    heading: dict[str, Any] = {"type": question.pop("type")}
    if title:
        heading["title"] = title
    question = {**heading, "prompt": prompt, "points": 1, **question}
    if general:
        question["feedback"] = general
    return question


def _answer_block_span(
    block: Block, start: int, errors: QuestionErrors
) -> tuple[int, int] | None:
    """Offsets of the one unescaped `{` and its `}`, or None after reporting why not."""
    text = block.text
    opens = [i for i in range(start, len(text)) if text[i] == "{"]
    closes = [i for i in range(start, len(text)) if text[i] == "}"]
    if not opens and not closes:
        errors.add(
            block.start_line,
            "answer",
            "no answer block { }: descriptions without a question are not supported",
        )
        return None
    if not opens:
        errors.add(
            block.line_at(closes[0]),
            "answer",
            "'}' without an opening '{' (write \\} for a literal brace)",
        )
        return None
    if len(opens) > 1:
        errors.add(
            block.line_at(opens[1]),
            "answer",
            "a second '{': a question has one answer block (write \\{ for a literal brace)",
        )
        return None
    open_at = opens[0]
    after = [i for i in closes if i > open_at]
    if not after:
        errors.add(block.line_at(open_at), "answer", "'{' is never closed with '}'")
        return None
    if len(closes) > 1 or closes[0] < open_at:
        stray = next(i for i in closes if i != after[0])
        errors.add(
            block.line_at(stray), "answer", "stray '}' (write \\} for a literal brace)"
        )
        return None
    close_at = after[0]
    tail = text[close_at + 1 :]
    if tail.strip():
        errors.add(
            block.line_at(close_at + 1 + len(tail) - len(tail.lstrip())),
            "answer",
            "missing-word questions (text after the answer block) are not supported; "
            "put the answer block at the end of the question",
        )
        return None
    return open_at, close_at


def _add_validation_errors(
    question: dict[str, Any], line: int, errors: QuestionErrors
) -> None:
    """Run the content rules on a structurally sound question (skip if it already failed)."""
    if errors.items:
        return
    for message in validate_question(question):
        field_name, _, detail = message.partition(": ")
        errors.add(line, field_name, detail)
