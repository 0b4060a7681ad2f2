"""Question-bank import from GIFT and Aiken text files (pure: no Flask, no database).

`parse_gift` and `parse_aiken` turn a file's text into question dicts in the
shape of docs/content-format.md (ids "gift-001", "aiken-001", … numbered by
position in the file) and list every error with its line number. A file with
any error must not be imported at all: callers check `result.ok` and write
nothing otherwise, so a trainer fixes the whole file in one pass.

GIFT, as Moodle reads it (question/format/gift), with these decisions:

* Questions are separated by blank lines; lines starting with `//` are
  comments. `$CATEGORY: path` sets `category` for the questions after it
  (a leading Moodle context such as `$course$/top/` is dropped).
* `::title::` is kept as `title`; `[markdown]`, `[plain]` and `[moodle]` text is
  used as Markdown, `[html]` is refused (lessons and prompts are Markdown).
* `{=right ~wrong}` → single; `{~%50%a ~%50%b ~%-100%c}` (no `=`) → multiple.
  Correct choices must carry equal shares summing to 100 % (our multiple
  grading gives every correct pick the same credit) and wrong choices one
  common weight, which becomes `penalty` (-100 % → 1.0; 0 % or none keeps the
  grading default, where a wrong pick cancels one right pick). Partial credit on a
  single-answer choice and weights on short or numeric answers are refused
  rather than silently changed.
* `{T}`, `{TRUE}`, `{F}`, `{FALSE}` → truefalse; as in Moodle,
  `{T#shown when wrong#shown when right}` → incorrect_feedback / correct_feedback.
* `{=a =b}` → short. Feedback on accepted answers becomes correct_feedback.
* `{#12.5:0.1}`, `{#1..2}`, `{#12.5}` → numeric with one answer; `~#text` is the
  feedback for a wrong answer. Several numeric answers are refused.
* `#` per-answer feedback, `####` general feedback, escapes `\\: \\# \\= \\~ \\{ \\}
  \\\\` and `\\n` (a line break).
* Matching (`->`), essay (`{}`), missing-word (text after the `}`) and
  descriptions (no answer block) are reported as unsupported.

Aiken: a question (one or more lines), options `A) text` or `A. text` in
letter order, then `ANSWER: B`. Every question becomes a single-answer one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lms.quizzes.grading import validate_question

# Escaped GIFT control characters become private-use placeholders while the
# structure is parsed, then turn back into the literal characters.
_ESCAPABLE = ":#=~{}\\"
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(_ESCAPABLE)}
_UNESCAPE = str.maketrans({v: k for k, v in _PLACEHOLDER.items()})

_MARKDOWN_FORMATS = frozenset({"markdown", "plain", "moodle"})
_FORMAT_TAG = re.compile(r"^\s*\[(markdown|plain|moodle|html)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CONTEXT_PREFIX = re.compile(
    r"^\$(?:course|system|module|coursecategory|cat\d+)\$/(?:top/?)?"
)

# Tolerance (in percentage points) for weights such as 33.33333 × 3.
_WEIGHT_SLACK = 0.5


@dataclass(frozen=True)
class ParseError:
    """One problem in an import file, pointing at the line to fix."""

    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.message}"


@dataclass
class ParseResult:
    """Questions read so far and every error; import only when `ok`."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (str.splitlines also breaks on form feeds etc.)."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --------------------------------------------------------------------------
# GIFT
# --------------------------------------------------------------------------


@dataclass
class _Block:
    """One question's text with escapes replaced, and the line of every character."""

    text: str
    lines: list[int]
    start_line: int

    def line_at(self, offset: int) -> int:
        if not self.lines:
            return self.start_line
        return self.lines[min(max(offset, 0), len(self.lines) - 1)]


@dataclass
class _Answer:
    marker: str  # "=", "~" or "" (text before any marker)
    weight: float | None
    text: str
    feedback: str
    line: int


class _QuestionErrors:
    """Collects the errors of one question with the file name filled in."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[ParseError] = []

    def add(self, line: int, field_name: str, message: str) -> None:
        self.items.append(ParseError(self.source, line, field_name, message))


def parse_gift(text: str, source_name: str) -> ParseResult:
    """Parse a GIFT file; see the module docstring for what is supported."""
    result = ParseResult()
    category: str | None = None
    number = 0
    for numbered_lines in _gift_blocks(_split_lines(text)):
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
        errors = _QuestionErrors(source_name)
        question = _parse_gift_question(_escape_block(numbered_lines), errors)
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


def _escape_block(numbered_lines: list[tuple[int, str]]) -> _Block:
    chars: list[str] = []
    line_of: list[int] = []
    for index, (number, line) in enumerate(numbered_lines):
        if index:
            chars.append("\n")
            line_of.append(number)
        i = 0
        while i < len(line):
            ch = line[i]
            if ch == "\\" and i + 1 < len(line) and line[i + 1] in _PLACEHOLDER:
                chars.append(_PLACEHOLDER[line[i + 1]])
                i += 2
            elif ch == "\\" and i + 1 < len(line) and line[i + 1] == "n":
                chars.append("\n")
                i += 2
            else:
                # Other backslashes are Markdown's own escapes (\*) and stay.
                chars.append(ch)
                i += 1
            line_of.append(number)
    return _Block("".join(chars), line_of, numbered_lines[0][0])


def _unescape(text: str) -> str:
    return text.translate(_UNESCAPE)


def _formatted(text: str, line: int, field_name: str, errors: _QuestionErrors) -> str:
    """Strip a GIFT [format] tag; our text is Markdown, so [html] is refused."""
    match = _FORMAT_TAG.match(text)
    if match is None:
        return _unescape(text).strip()
    if match[1].lower() not in _MARKDOWN_FORMATS:
        errors.add(
            line, field_name, "[html] text is not supported; use [markdown] or [plain]"
        )
    return _unescape(text[match.end() :]).strip()


def _parse_gift_question(
    block: _Block, errors: _QuestionErrors
) -> dict[str, Any] | None:
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
        title = _unescape(text[start + 2 : end]).strip()
        start = end + 2

    span = _answer_block_span(block, start, errors)
    if span is None:
        return None
    open_at, close_at = span
    prompt = _formatted(text[start:open_at], block.line_at(start), "prompt", errors)

    answer_text = text[open_at + 1 : close_at]
    general = ""
    general_at = answer_text.rfind("####")
    if general_at != -1:
        general = _formatted(
            answer_text[general_at + 4 :],
            block.line_at(open_at + 1 + general_at),
            "feedback",
            errors,
        )
        answer_text = answer_text[:general_at]

    question = _gift_answers(block, open_at + 1, answer_text, errors)
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
    block: _Block, start: int, errors: _QuestionErrors
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


def _gift_answers(
    block: _Block, base: int, answer_text: str, errors: _QuestionErrors
) -> dict[str, Any] | None:
    """Decide the question type from the answer block (Moodle's order) and build it."""
    stripped = answer_text.strip()
    line = block.line_at(base + len(answer_text) - len(answer_text.lstrip()))
    if not stripped:
        errors.add(line, "answer", "essay questions ({}) are not supported")
        return None
    if stripped.startswith("#"):
        lead = answer_text.index("#") + 1
        return _gift_numeric(block, base + lead, answer_text[lead:], errors)
    if "~" in stripped:
        answers = _split_answers(block, base, answer_text, "=~", errors)
        if "=" in stripped:
            return _gift_single(answers, errors)
        return _gift_multiple(answers, errors)
    if "=" in stripped and "->" in stripped:
        errors.add(line, "answer", "matching questions (a -> b) are not supported")
        return None
    head, *feedback = stripped.split("#", 2)
    if head.strip().upper() in _TRUEFALSE:
        wrong = _formatted(feedback[0], line, "feedback", errors) if feedback else ""
        right = (
            _formatted(feedback[1], line, "feedback", errors)
            if len(feedback) > 1
            else ""
        )
        question: dict[str, Any] = {
            "type": "truefalse",
            "answer": _TRUEFALSE[head.strip().upper()],
        }
        if right:
            question["correct_feedback"] = right
        if wrong:
            question["incorrect_feedback"] = wrong
        return question
    return _gift_short(_split_answers(block, base, answer_text, "=", errors), errors)


def _split_answers(
    block: _Block, base: int, answer_text: str, markers: str, errors: _QuestionErrors
) -> list[_Answer]:
    """Cut the answer block at every unescaped marker; parse weight and #feedback."""
    cuts = [i for i, ch in enumerate(answer_text) if ch in markers]
    segments = []
    if answer_text[: cuts[0] if cuts else len(answer_text)].strip():
        segments.append(("", 0, cuts[0] if cuts else len(answer_text)))
    for n, cut in enumerate(cuts):
        end = cuts[n + 1] if n + 1 < len(cuts) else len(answer_text)
        segments.append((answer_text[cut], cut + 1, end))
    answers = []
    for marker, begin, end in segments:
        body = answer_text[begin:end]
        line = block.line_at(base + begin + len(body) - len(body.lstrip()))
        weight = None
        match = _WEIGHT.match(body)
        if match:
            weight = float(match[1])
            body = body[match.end() :]
        choice, _, feedback = body.partition("#")
        answers.append(
            _Answer(
                marker=marker,
                weight=weight,
                text=_formatted(choice, line, "answer", errors),
                feedback=_formatted(feedback, line, "feedback", errors),
                line=line,
            )
        )
    return answers


def _gift_single(
    answers: list[_Answer], errors: _QuestionErrors
) -> dict[str, Any] | None:
    choices = []
    for answer in answers:
        if answer.marker == "":
            errors.add(
                answer.line,
                "choices",
                "every choice must start with = (right) or ~ (wrong)",
            )
            continue
        if answer.marker == "=" and answer.weight not in (None, 100):
            errors.add(
                answer.line, "choices", "'=' marks the right answer; drop the %weight%"
            )
        if answer.marker == "~" and answer.weight not in (None, 0):
            errors.add(
                answer.line,
                "choices",
                f"a %{answer.weight:g}% weight on a wrong choice: partial credit and negative "
                "marking need a multiple-answer question (no '=', equal %weights% on right choices)",
            )
        choices.append(_choice(answer, correct=answer.marker == "="))
    return {"type": "single", "choices": choices}


def _gift_multiple(
    answers: list[_Answer], errors: _QuestionErrors
) -> dict[str, Any] | None:
    right = [a for a in answers if a.weight is not None and a.weight > 0]
    wrong = [a for a in answers if a not in right]
    first_line = answers[0].line if answers else 0
    for answer in answers:
        if answer.marker == "":
            errors.add(answer.line, "choices", "every choice must start with ~")
        if answer.weight is not None and not -100 <= answer.weight <= 100:
            errors.add(
                answer.line,
                "choices",
                f"weight {answer.weight:g}% is outside -100..100",
            )
    if not right:
        errors.add(
            first_line,
            "choices",
            "no right choice: use '=' for one right answer, or %weights% that add up to 100 "
            "on the right choices",
        )
        return None
    shares = [a.weight or 0 for a in right]
    if (
        max(shares) - min(shares) > _WEIGHT_SLACK
        or abs(sum(shares) - 100) > _WEIGHT_SLACK
    ):
        errors.add(
            right[0].line,
            "choices",
            "right choices must carry equal weights adding up to 100% "
            f"(e.g. %{100 / len(right):.5g}% each); found "
            + ", ".join(f"{w:g}%" for w in shares),
        )
    penalties = {a.weight or 0 for a in wrong}
    if len(penalties) > 1:
        errors.add(
            wrong[0].line,
            "choices",
            "wrong choices must all carry the same weight (one penalty per wrong pick); found "
            + ", ".join(f"{w:g}%" for w in sorted(penalties)),
        )
    question: dict[str, Any] = {
        "type": "multiple",
        "choices": [_choice(a, correct=a in right) for a in answers],
    }
    penalty = -min(penalties) / 100 if penalties else 0
    if penalty > 0:
        question["penalty"] = penalty
    return question


def _choice(answer: _Answer, *, correct: bool) -> dict[str, Any]:
    choice: dict[str, Any] = {"text": answer.text, "correct": correct}
    if answer.feedback:
        choice["feedback"] = answer.feedback
    return choice


def _gift_short(
    answers: list[_Answer], errors: _QuestionErrors
) -> dict[str, Any] | None:
    accepted = []
    for answer in answers:
        if answer.weight not in (None, 100):
            errors.add(
                answer.line,
                "answers",
                f"%{answer.weight:g}% partial credit on a short answer is not supported",
            )
        if not answer.text:
            errors.add(answer.line, "answers", "an accepted answer is empty")
        accepted.append(answer.text)
    question: dict[str, Any] = {
        "type": "short",
        "answers": accepted,
        "case_sensitive": False,
    }
    feedback = _distinct(a.feedback for a in answers)
    if feedback:
        question["correct_feedback"] = feedback
    return question


def _gift_numeric(
    block: _Block, base: int, answer_text: str, errors: _QuestionErrors
) -> dict[str, Any] | None:
    answers = _split_answers(block, base, answer_text, "=~", errors)
    right = [a for a in answers if a.marker in ("", "=")]
    wrong = [a for a in answers if a.marker == "~"]
    line = block.line_at(base)
    if len(right) != 1:
        errors.add(
            right[1].line if len(right) > 1 else line,
            "answer",
            "a numeric question needs exactly one answer (several answers are not supported)"
            if right
            else "a numeric question needs an answer, e.g. {#12.5:0.1} or {#1..2}",
        )
        return None
    answer = right[0]
    if answer.weight not in (None, 100):
        errors.add(
            answer.line,
            "answer",
            f"%{answer.weight:g}% partial credit is not supported",
        )
    for other in wrong:
        if other.text:
            errors.add(
                other.line,
                "answer",
                "after '~' only #feedback for a wrong answer may follow",
            )
    value = _numeric_answer(answer, errors)
    if value is None:
        return None
    centre, tolerance = value
    question: dict[str, Any] = {
        "type": "numeric",
        "answer": _plain_number(centre),
        "tolerance": _plain_number(tolerance),
    }
    if answer.feedback:
        question["correct_feedback"] = answer.feedback
    incorrect = _distinct(a.feedback for a in wrong)
    if incorrect:
        question["incorrect_feedback"] = incorrect
    return question


def _numeric_answer(
    answer: _Answer, errors: _QuestionErrors
) -> tuple[Decimal, Decimal] | None:
    """`value`, `value:tolerance` or `min..max` → (answer, tolerance)."""
    text = answer.text
    try:
        if ".." in text:
            low_text, high_text = text.split("..", 1)
            low, high = Decimal(low_text.strip()), Decimal(high_text.strip())
            if low > high:
                errors.add(
                    answer.line, "answer", f"range {text!r} runs backwards (min..max)"
                )
                return None
            centre, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in text:
            value_text, tolerance_text = text.split(":", 1)
            centre, tolerance = (
                Decimal(value_text.strip()),
                Decimal(tolerance_text.strip()),
            )
        else:
            centre, tolerance = Decimal(text.strip()), Decimal(0)
    except InvalidOperation:
        errors.add(
            answer.line,
            "answer",
            f"{text!r} is not a number, value:tolerance or min..max",
        )
        return None
    if not (centre.is_finite() and tolerance.is_finite()):
        errors.add(answer.line, "answer", f"{text!r} is not a finite number")
        return None
    if tolerance < 0:
        errors.add(answer.line, "answer", "the tolerance cannot be negative")
        return None
    return centre, tolerance


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _distinct(texts: Iterator[str] | list[str]) -> str:
    return "\n\n".join(dict.fromkeys(t for t in texts if t))


def _add_validation_errors(
    question: dict[str, Any], line: int, errors: _QuestionErrors
) -> None:
    """Run the content rules on a structurally sound question (skip if it already failed)."""
    if errors.items:
        return
    for message in validate_question(question):
        field_name, _, detail = message.partition(": ")
        errors.add(line, field_name, detail)


# --------------------------------------------------------------------------
# Aiken
# --------------------------------------------------------------------------

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

    for line_no, raw in enumerate(_split_lines(text), start=1):
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
