"""The quiz builder: creating a quiz and editing its settings, its slots (fixed
bank questions and random draws), publishing, and what the builder pages show
about a quiz (its size, the pool it draws from, retake warnings).

Quizzes from the quiz files are read-only here (they change in the files).
A question written on a quiz's page ("in place") becomes a bank question owned
by its author, filed under the quiz's title unless given a category, and a
fixed slot of the quiz, in one step (`write_question`).
Settings are read and written through lms.quizzes.settings, their one owner;
the engine reads ``on_expiry`` and ``grace_seconds`` (only with the "grace"
policy: the window for submitting; other policies keep the engine's small
network allowance). Columns: time_limit_seconds, attempts_allowed,
on_expiry, open_at, close_at. Services validate, change and flush; the
calling view commits.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.errors import (
    ConflictError,
    DomainError,
    PermissionDeniedError,
    ValidationError,
)
from lms.extensions import db
from lms.markdown import render_markdown
from lms.origins import ORIGIN_UI
from lms.quizzes import bank, grading
from lms.quizzes.draws import draw_pools, fixed_ids, resolve_questions, slots_of
from lms.quizzes.kind import QUIZ
from lms.quizzes.models import Question, normalize_category, normalize_tags
from lms.quizzes.policies import FILE_QUIZ_MESSAGE, is_file_quiz
from lms.quizzes.settings import QuizSettings
from lms.users.models import User

ON_EXPIRY_LABELS = {
    "autosubmit": "Submit what was saved",
    "grace": "Grace period: submit only, no new answers",
    "abandon": "Abandon: the attempt does not count",
}
# Every quiz setting with its default (lms.quizzes.settings owns them).
QUIZ_SETTING_DEFAULTS: dict[str, Any] = QuizSettings().to_stored()
# How long the "grace" expiry policy leaves for submitting, when a quiz does not say.
DEFAULT_GRACE_SECONDS = 600
MAX_DRAW_COUNT = 100
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class QuizNotReadyError(ValidationError):
    """Publishing was refused; the message says what to fix."""


# --------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------


def quiz_settings(assessment: Assessment) -> dict[str, Any]:
    """The quiz's settings with defaults filled in."""
    return QUIZ_SETTING_DEFAULTS | dict(assessment.settings or {})


def _require_editable(assessment: Assessment) -> None:
    if is_file_quiz(assessment):
        raise PermissionDeniedError(FILE_QUIZ_MESSAGE)


def slug_taken(slug: str) -> bool:
    return (
        db.session.scalar(sa.select(Assessment.id).where(Assessment.slug == slug))
        is not None
    )


def unique_slug(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60] or "quiz"
    slug, n = base, 2
    while slug_taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


@dataclass
class QuizFields:
    """Everything the settings form edits (columns and settings)."""

    title: str
    description_md: str = ""
    course_id: int | None = None
    time_limit_seconds: int | None = None
    on_expiry: str = "autosubmit"
    open_at: datetime | None = None
    close_at: datetime | None = None
    attempts_allowed: int = 0
    settings: dict[str, Any] = field(default_factory=dict)


def check_quiz_fields(fields: QuizFields) -> list[str]:
    """Rules that span several settings; the form checks single fields."""
    problems = []
    if fields.open_at and fields.close_at and fields.close_at <= fields.open_at:
        problems.append("The quiz must close after it opens.")
    if fields.settings.get("review") == "after_close" and not fields.close_at:
        problems.append("“After the quiz closes” needs a close time.")
    return problems


def create_quiz(owner: User, fields: QuizFields, *, slug: str = "") -> Assessment:
    problems = check_quiz_fields(fields)
    if problems:
        raise ValidationError(" ".join(problems))
    slug = slug or unique_slug(fields.title)
    if not SLUG_RE.match(slug):
        raise ValidationError(
            "Short names use lowercase letters, digits and single hyphens."
        )
    if slug_taken(slug):
        raise ValidationError(f"The short name {slug!r} is already used.")
    quiz = Assessment(
        slug=slug,
        kind=QUIZ,
        title=fields.title,
        origin=ORIGIN_UI,
        owner_id=owner.id,
        is_published=False,
        content={"questions": [], "slots": []},
        settings=dict(QUIZ_SETTING_DEFAULTS),
    )
    db.session.add(quiz)
    _apply_fields(quiz, fields)
    db.session.flush()
    return quiz


def update_quiz(assessment: Assessment, fields: QuizFields) -> None:
    _require_editable(assessment)
    problems = check_quiz_fields(fields)
    if problems:
        raise ValidationError(" ".join(problems))
    _apply_fields(assessment, fields)
    _bump_version(assessment)
    db.session.flush()


def _apply_fields(quiz: Assessment, fields: QuizFields) -> None:
    quiz.title = fields.title
    quiz.description_md = fields.description_md
    quiz.description_html = render_markdown(fields.description_md)
    quiz.course_id = fields.course_id
    quiz.time_limit_seconds = fields.time_limit_seconds
    quiz.on_expiry = fields.on_expiry
    quiz.open_at = fields.open_at
    quiz.close_at = fields.close_at
    quiz.attempts_allowed = fields.attempts_allowed
    settings = quiz_settings(quiz) | fields.settings  # a new dict: JSON change seen
    if fields.on_expiry != "grace":
        # The engine reads grace_seconds as its allowance after every deadline;
        # a long grace window only belongs to the "grace" policy.
        settings.pop("grace_seconds", None)
    quiz.settings = settings


def _bump_version(assessment: Assessment) -> None:
    # Live attempts keep their snapshot; the version tells reports which content they saw.
    assessment.version = (assessment.version or 1) + 1


# --------------------------------------------------------------------------
# Slots
# --------------------------------------------------------------------------


def _set_slots(assessment: Assessment, slots: list[dict[str, Any]]) -> None:
    content = dict(assessment.content or {})
    content.setdefault("questions", [])
    content["slots"] = slots
    assessment.content = content  # a new dict, so the JSON change is flushed
    _bump_version(assessment)
    db.session.flush()


def add_fixed_questions(
    assessment: Assessment, question_ids: Sequence[int]
) -> tuple[int, int]:
    """Append bank questions as fixed slots. Returns (added, already in the quiz)."""
    _require_editable(assessment)
    slots = slots_of(assessment)
    present = set(fixed_ids(assessment))
    wanted = list(dict.fromkeys(int(i) for i in question_ids))
    found = set(
        db.session.scalars(
            sa.select(Question.id).where(
                Question.id.in_(wanted), Question.is_archived.is_(False)
            )
        )
    )
    if any(i not in found for i in wanted):
        raise ValidationError(
            "Some selected questions are archived or no longer exist; reload the list."
        )
    added = [i for i in wanted if i not in present]
    slots.extend({"question_id": i} for i in added)
    if added:
        _set_slots(assessment, slots)
    return len(added), len(wanted) - len(added)


def default_category(assessment: Assessment) -> str:
    """Where a question written on a quiz's page is filed unless the trainer says
    otherwise: the quiz's title, as one category ("/" would nest it)."""
    return normalize_category(assessment.title.replace("/", "-"))


def write_question(
    assessment: Assessment, content: dict[str, Any], *, owner: User
) -> Question:
    """Save a new bank question owned by `owner` and append it to the quiz as a
    fixed slot. Raises bank.QuestionInvalidError for a question that does not
    pass validation, PermissionDeniedError for a quiz from the files."""
    _require_editable(assessment)
    content = dict(content)
    if not normalize_category(content.get("category")):
        content["category"] = default_category(assessment)
    question = bank.save_question(content, owner=owner)
    add_fixed_questions(assessment, [question.id])
    return question


def add_draw(
    assessment: Assessment, count: int, category: str, tag: str | None
) -> dict:
    """Append a random-draw rule. It may be unsatisfiable for now; publishing checks."""
    _require_editable(assessment)
    if not 1 <= count <= MAX_DRAW_COUNT:
        raise ValidationError(f"Draw between 1 and {MAX_DRAW_COUNT} questions.")
    tags = normalize_tags([tag or ""])
    draw = {
        "count": int(count),
        "category": normalize_category(category),
        "tag": tags[0] if tags else None,
    }
    _set_slots(assessment, [*slots_of(assessment), {"draw": draw}])
    return draw


def move_slot(assessment: Assessment, index: int, offset: int) -> None:
    _require_editable(assessment)
    slots = slots_of(assessment)
    target = index + offset
    if not (0 <= index < len(slots) and 0 <= target < len(slots)):
        raise ConflictError("That slot has moved; reload the page and try again.")
    slots[index], slots[target] = slots[target], slots[index]
    _set_slots(assessment, slots)


def remove_slot(assessment: Assessment, index: int) -> None:
    _require_editable(assessment)
    slots = slots_of(assessment)
    if not 0 <= index < len(slots):
        raise ConflictError("That slot has moved; reload the page and try again.")
    del slots[index]
    _set_slots(assessment, slots)


# --------------------------------------------------------------------------
# What the builder shows
# --------------------------------------------------------------------------


def quiz_size(assessment: Assessment) -> int:
    """How many questions one attempt gets (inline, fixed and drawn)."""
    content = assessment.content or {}
    size = len(content.get("questions") or [])
    for slot in content.get("slots") or []:
        size += int(slot["draw"].get("count", 0)) if "draw" in slot else 1
    # The engine can also draw a subset of a file quiz's questions.
    subset = (assessment.settings or {}).get("questions_per_attempt")
    if isinstance(subset, int) and 0 < subset < size:
        return subset
    return size


def pool_size(assessment: Assessment) -> int:
    """How many different questions the quiz's attempts can be given: inline and
    fixed questions plus every question some random draw may pick."""
    inline = len((assessment.content or {}).get("questions") or [])
    drawable = {qid for pool in draw_pools(assessment) for qid in pool}
    return inline + len(fixed_ids(assessment)) + len(drawable)


def retake_warnings(assessment: Assessment) -> list[str]:
    """QuizSettings.retake_warnings for this quiz: a learner could copy the review
    of one attempt into the next. Advice for the trainer; saving is never blocked."""
    size = quiz_size(assessment)
    settings = dataclasses.replace(
        QuizSettings.from_stored(assessment.settings),
        questions_per_attempt=size or None,
    )
    return settings.retake_warnings(
        assessment.attempts_allowed or 0, pool_size(assessment)
    )


def draw_label(draw: dict[str, Any]) -> str:
    count = draw.get("count", 0)
    noun = "question" if count == 1 else "questions"
    where = (
        f"from “{draw['category']}”" if draw.get("category") else "from any category"
    )
    tagged = f" tagged “{draw['tag']}”" if draw.get("tag") else ""
    return f"{count} random {noun} {where}{tagged}"


@dataclass(frozen=True)
class SlotView:
    index: int
    question: Question | None = None
    question_id: int | None = None
    draw: dict[str, Any] | None = None
    matching: int = 0

    @property
    def points(self) -> float:
        return self.question.points if self.question is not None else 0.0


def slot_views(assessment: Assessment) -> list[SlotView]:
    """The builder's rows: fixed questions with their bank row, draws with pool sizes."""
    ids = fixed_ids(assessment)
    by_id = {}
    if ids:
        by_id = {
            q.id: q
            for q in db.session.scalars(sa.select(Question).where(Question.id.in_(ids)))
        }
    pools = iter(draw_pools(assessment))
    views = []
    for index, slot in enumerate(slots_of(assessment)):
        if "question_id" in slot:
            qid = slot["question_id"]
            views.append(SlotView(index, question=by_id.get(qid), question_id=qid))
        else:
            draw = slot.get("draw") or {}
            views.append(SlotView(index, draw=draw, matching=len(next(pools))))
    return views


# --------------------------------------------------------------------------
# Publishing
# --------------------------------------------------------------------------


def publish_problems(assessment: Assessment) -> list[str]:
    """Why the quiz cannot be published yet; [] when it can."""
    content = assessment.content or {}
    inline = content.get("questions") or []
    slots = content.get("slots") or []
    if not inline and not slots:
        return ["The quiz has no questions yet: add questions or a random draw."]
    problems = []
    for q in inline:
        problems.extend(
            f"{q.get('id', '?')}: {e}" for e in grading.validate_question(q)
        )
    try:
        resolve_questions(assessment, random.Random(0))
    except DomainError as exc:
        problems.append(str(exc))
    return problems


def publish(assessment: Assessment) -> None:
    """Open the quiz to learners. Raises QuizNotReadyError when it is empty or a draw
    cannot be satisfied."""
    _require_editable(assessment)
    problems = publish_problems(assessment)
    if problems:
        raise QuizNotReadyError("Not published. " + " ".join(problems))
    assessment.is_published = True
    db.session.flush()


def unpublish(assessment: Assessment) -> None:
    _require_editable(assessment)
    assessment.is_published = False
    db.session.flush()
