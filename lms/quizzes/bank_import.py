"""Importing GIFT and Aiken files into the question bank: format detection,
parsing with every error listed by line, a preview plan that marks questions
already in the bank, and the all-or-nothing import.

The page (lms.quizzes.views.bank_import) and `flask quizzes import-questions`
both go through here. Imported questions are marked as coming from a file but
stay editable: the bank is not content-as-code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from lms.errors import ValidationError
from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.quizzes import bank_formats
from lms.quizzes.bank import save_question
from lms.quizzes.models import Question, normalize_category, normalize_tags
from lms.users.models import User

FORMATS = ("gift", "aiken")
MAX_IMPORT_CHARS = 1_000_000


class ImportRefusedError(ValidationError):
    """An import file has errors; nothing was written."""

    def __init__(self, errors: list[bank_formats.ParseError]) -> None:
        self.errors = errors
        super().__init__(
            f"The file has {len(errors)} error(s); no questions were imported."
        )


def detect_format(text: str, filename: str = "") -> str:
    """ "gift" or "aiken": by the file's extension, else by its shape."""
    lowered = filename.lower()
    if lowered.endswith(".gift"):
        return "gift"
    if lowered.endswith(".aiken"):
        return "aiken"
    has_answer_line = re.search(r"^\s*ANSWER\s*:", text, re.MULTILINE) is not None
    has_gift_block = re.search(r"(?<!\\)\{", text) is not None
    return "aiken" if has_answer_line and not has_gift_block else "gift"


def parse_bank_text(text: str, source_name: str, fmt: str) -> bank_formats.ParseResult:
    """Parse GIFT or Aiken text; the result lists every error with its line."""
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown format {fmt!r}; use GIFT or Aiken.")
    if len(text) > MAX_IMPORT_CHARS:
        result = bank_formats.ParseResult()
        result.errors.append(
            bank_formats.ParseError(
                source_name,
                1,
                "file",
                f"the text is longer than {MAX_IMPORT_CHARS:,} characters; split it",
            )
        )
        return result
    parse = bank_formats.parse_gift if fmt == "gift" else bank_formats.parse_aiken
    return parse(text, source_name)


@dataclass(frozen=True)
class ImportPlan:
    """What importing a parsed file would write: questions and which already exist."""

    questions: list[dict[str, Any]]
    duplicates: list[bool]

    @property
    def new_count(self) -> int:
        return self.duplicates.count(False)


def plan_import(
    result: bank_formats.ParseResult,
    *,
    category: str = "",
    tags: Iterable[str] = (),
) -> ImportPlan:
    """The bank questions a clean parse would create, marking those already in the bank."""
    extra_tags = normalize_tags(list(tags))
    questions = []
    for parsed in result.questions:
        q = {k: v for k, v in parsed.items() if k != "id"}
        q["category"] = normalize_category(q.get("category") or category)
        q["tags"] = normalize_tags(list(q.get("tags") or []) + extra_tags)
        questions.append(q)
    fingerprints = [_fingerprint_of(q) for q in questions]
    existing = set(
        db.session.scalars(
            sa.select(Question.fingerprint).where(
                Question.fingerprint.in_(set(fingerprints)),
                Question.is_archived.is_(False),
            )
        )
    )
    seen: set[str] = set()
    duplicates = []
    for fp in fingerprints:
        duplicates.append(fp in existing or fp in seen)
        seen.add(fp)
    return ImportPlan(questions, duplicates)


def _fingerprint_of(q: dict[str, Any]) -> str:
    probe = Question()
    probe.set_content(q)
    return probe.fingerprint


def import_questions(
    result: bank_formats.ParseResult,
    *,
    owner: User | None,
    category: str = "",
    tags: Iterable[str] = (),
) -> tuple[list[Question], int]:
    """Create bank questions from a parse, all or nothing.

    Raises ImportRefusedError (and writes nothing) when the parse has any
    error. Questions identical to a live bank question are skipped. Returns
    (created questions, number skipped).
    """
    if not result.ok:
        raise ImportRefusedError(result.errors)
    plan = plan_import(result, category=category, tags=tags)
    created = []
    for q, duplicate in zip(plan.questions, plan.duplicates, strict=True):
        if duplicate:
            continue
        created.append(save_question(q, owner=owner, origin=ORIGIN_FILE))
    return created, len(plan.questions) - len(created)
