"""GIFT text: escapes, a question's text with the line of every character, text
format tags (the rules are in gift.py), and the errors of one question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lms.quizzes.bank_formats.common import ParseError

# Escaped GIFT control characters become private-use placeholders while the
# structure is parsed, then turn back into the literal characters.
_ESCAPABLE = ":#=~{}\\"
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(_ESCAPABLE)}
_UNESCAPE = str.maketrans({v: k for k, v in _PLACEHOLDER.items()})

_MARKDOWN_FORMATS = frozenset({"markdown", "plain", "moodle"})
_FORMAT_TAG = re.compile(r"^\s*\[(markdown|plain|moodle|html)\]", re.IGNORECASE)


@dataclass
class Block:
    """One question's text with escapes replaced, and the line of every character."""

    text: str
    lines: list[int]
    start_line: int

    def line_at(self, offset: int) -> int:
        if not self.lines:
            return self.start_line
        return self.lines[min(max(offset, 0), len(self.lines) - 1)]


class QuestionErrors:
    """Collects the errors of one question with the file name filled in."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[ParseError] = []

    def add(self, line: int, field_name: str, message: str) -> None:
        self.items.append(ParseError(self.source, line, field_name, message))


def escape_block(numbered_lines: list[tuple[int, str]]) -> Block:
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
    return Block("".join(chars), line_of, numbered_lines[0][0])


def unescape(text: str) -> str:
    return text.translate(_UNESCAPE)


def formatted(text: str, line: int, field_name: str, errors: QuestionErrors) -> str:
    """Strip a GIFT [format] tag; our text is Markdown, so [html] is refused."""
    match = _FORMAT_TAG.match(text)
    if match is None:
        return unescape(text).strip()
    if match[1].lower() not in _MARKDOWN_FORMATS:
        errors.add(
            line, field_name, "[html] text is not supported; use [markdown] or [plain]"
        )
    return unescape(text[match.end() :]).strip()
