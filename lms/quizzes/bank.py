"""The question bank: saving and archiving questions, and finding them again
(filters, facets, categories and tags).

The bank is shared by the training team (lms.quizzes.policies says who may
change which question; the bundled questions of the content files are in it
read-only, lms.quizzes.file_bank). Categories nest with "/": filtering on "Spreadsheets"
includes "Spreadsheets/Lookups". Services validate, change and flush; the
calling view or command commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.errors import ValidationError
from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.quizzes import grading
from lms.quizzes.models import Question, normalize_category, normalize_tags
from lms.users.models import User

QUESTION_TYPE_LABELS = {
    "single": "Single choice",
    "multiple": "Multiple choice",
    "truefalse": "True/false",
    "short": "Short text",
    "numeric": "Numeric",
    "ordering": "Ordering",
}


class QuestionInvalidError(ValidationError):
    """The question does not pass grading.validate_question; `errors` lists why."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("The question has errors: " + "; ".join(errors))


# --------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------


def question_errors(content: dict[str, Any]) -> list[str]:
    """grading.validate_question on a bank question (it needs an id; the bank assigns it)."""
    return grading.validate_question({"id": "bank", **content})


def save_question(
    content: dict[str, Any],
    *,
    owner: User | None,
    question: Question | None = None,
    origin: str = ORIGIN_UI,
) -> Question:
    """Create a bank question, or replace `question`'s content. Raises QuestionInvalidError."""
    content = {k: v for k, v in content.items() if k != "id"}
    errors = question_errors(content)
    if errors:
        raise QuestionInvalidError(errors)
    if question is None:
        question = Question(owner_id=owner.id if owner else None, origin=origin)
        db.session.add(question)
    elif question.type != content.get("type"):
        raise ValidationError("A question's type cannot change once it exists.")
    question.set_content(content)
    db.session.flush()
    return question


def set_archived(question: Question, archived: bool) -> None:
    """Archived questions leave the bank list and random draws; quizzes that fix
    them keep them."""
    question.is_archived = archived
    db.session.flush()


# --------------------------------------------------------------------------
# Finding questions
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class BankFilters:
    category: str = ""
    tag: str = ""
    type: str = ""
    q: str = ""
    owner_id: int | None = None  # "mine only"
    from_files: bool = False  # only the bundled questions (lms.quizzes.file_bank)
    archived: bool = False  # show the archive instead of the live bank

    @property
    def active(self) -> bool:
        return bool(
            self.category
            or self.tag
            or self.type
            or self.q
            or self.owner_id
            or self.from_files
        )


def category_condition(category: str):
    """The category itself or any of its subcategories."""
    category = normalize_category(category)
    return sa.or_(
        Question.category == category,
        Question.category.startswith(category + "/", autoescape=True),
    )


def category_covers(rule: str, category: str) -> bool:
    """`category_condition` for one loaded category: does `rule` include it?"""
    rule = normalize_category(rule)
    return not rule or category == rule or category.startswith(rule + "/")


def tag_condition(tag: str):
    return Question.tags_index.contains(
        f"|{normalize_tags([tag])[0]}|", autoescape=True
    )


def _bank_conditions(filters: BankFilters, *, skip: str = "") -> list:
    conditions = [Question.is_archived.is_(filters.archived)]
    if filters.category and skip != "category":
        conditions.append(category_condition(filters.category))
    if filters.tag and normalize_tags([filters.tag]) and skip != "tag":
        conditions.append(tag_condition(filters.tag))
    if filters.type and skip != "type":
        conditions.append(Question.type == filters.type)
    if filters.owner_id is not None:
        conditions.append(Question.owner_id == filters.owner_id)
    if filters.from_files:
        conditions.append(Question.source_key.is_not(None))
    for word in filters.q.casefold().split()[:8]:
        conditions.append(Question.search_text.contains(word, autoescape=True))
    return conditions


def bank_page(filters: BankFilters, *, page: int, per_page: int):
    """One page of bank questions (owners loaded), newest first."""
    stmt = (
        sa.select(Question)
        .where(*_bank_conditions(filters))
        .options(joinedload(Question.owner))
        .order_by(Question.updated_at.desc(), Question.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def type_counts(filters: BankFilters) -> dict[str, int]:
    """How many questions of each type match the other filters (for the type facet)."""
    rows = db.session.execute(
        sa.select(Question.type, sa.func.count())
        .where(*_bank_conditions(filters, skip="type"))
        .group_by(Question.type)
    )
    return {qtype: count for qtype, count in rows}


def category_counts(*, archived: bool = False) -> list[tuple[str, int]]:
    """Every category with its number of questions (not counting subcategories)."""
    rows = db.session.execute(
        sa.select(Question.category, sa.func.count())
        .where(Question.is_archived.is_(archived))
        .group_by(Question.category)
        .order_by(Question.category)
    )
    return [(category, count) for category, count in rows]


def all_tags() -> list[str]:
    """Every tag used by a live bank question, sorted."""
    tags: set[str] = set()
    for row_tags in db.session.scalars(
        sa.select(Question.tags).where(Question.is_archived.is_(False))
    ):
        tags.update(row_tags or [])
    return sorted(tags)
