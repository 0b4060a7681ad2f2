"""What the GIFT and Aiken parsers share: the result, its errors, and line numbering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (str.splitlines also breaks on form feeds etc.)."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
