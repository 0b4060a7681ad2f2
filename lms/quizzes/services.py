"""Quiz use cases for trainers: the question bank, imports, the quiz builder,
random draws, reviewing and regrading attempts, overrides and item statistics.

Services validate, change and flush; the calling view or command commits.

Quiz content. A quiz is an `Assessment(kind="quiz")`. Its `content` holds
`questions` (inline question dicts, from quiz files) and `slots` (from the
browser builder), each slot either `{"question_id": N}` (a fixed bank
question) or `{"draw": {"count": N, "category": "...", "tag": "..." | None}}`
(N questions drawn at random for every attempt). `resolve_questions()` turns
that into the list of question dicts one attempt is given: inline questions
first, then the slots in order. **The attempt engine's quiz snapshot must call
`resolve_questions(assessment, rng)` with the attempt's seeded Random** so that
draws happen per attempt and a resumed attempt keeps its questions (they live
in the snapshot, never re-drawn).

Draw rules:

* A draw takes non-archived bank questions whose category is the rule's
  category or one of its subcategories ("Spreadsheets" includes
  "Spreadsheets/Lookups"), and, when the rule names a tag, carry that tag.
  An empty category means the whole bank.
* No question appears twice in one attempt: questions fixed in the quiz are
  never drawn, and two rules never draw the same question. Rules whose pools
  overlap are resolved as a bipartite matching, so a set of rules that can be
  satisfied always is, whichever questions the random order tries first.
* The same Random state gives the same questions in the same order.
* Fixed questions stay in the quiz when archived (archiving hides a question
  from the bank and from draws, as Moodle's "hidden" questions do).

Settings the engine reads, in `Assessment.settings` (defaults in
`QUIZ_SETTING_DEFAULTS`): shuffle_questions, shuffle_choices,
questions_per_page (0 = all on one page), grading_method, pass_percent,
review ("immediately" | "after_close" | "never"), show_score,
show_correctness, show_correct_answers, show_feedback, delay_minutes, and
grace_seconds only when on_expiry is "grace" (the window for submitting;
other policies keep the engine's small network allowance,
ATTEMPT_GRACE_SECONDS). Columns: time_limit_seconds, attempts_allowed,
on_expiry, open_at, close_at.
"""

from __future__ import annotations

import copy
import math
import random
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload

from lms.attempts import regrading
from lms.attempts.models import (
    SUBMITTED,
    Assessment,
    Attempt,
    AttemptOverride,
    AuditEvent,
    Response,
)
from lms.courses.models import ORIGIN_FILE, ORIGIN_UI
from lms.errors import (
    ConflictError,
    DomainError,
    PermissionDeniedError,
    ValidationError,
)
from lms.extensions import db
from lms.markdown import render_markdown
from lms.quizzes import bank_formats, grading, item_stats, kind
from lms.quizzes.kind import QUIZ
from lms.quizzes.models import (
    Question,
    normalize_category,
    normalize_tags,
    plain_snippet,
)
from lms.quizzes.policies import FILE_QUIZ_MESSAGE, is_file_quiz
from lms.quizzes.settings import QuizSettings
from lms.users.models import User

GRADING_METHODS = ("highest", "latest", "average", "first")
REVIEW_WHEN = ("immediately", "after_close", "never")
ON_EXPIRY_LABELS = {
    "autosubmit": "Submit what was saved",
    "grace": "Grace period: submit only, no new answers",
    "abandon": "Abandon: the attempt does not count",
}
QUESTION_TYPE_LABELS = {
    "single": "Single choice",
    "multiple": "Multiple choice",
    "truefalse": "True/false",
    "short": "Short text",
    "numeric": "Numeric",
    "ordering": "Ordering",
}
# Every quiz setting with its default (lms.quizzes.settings owns them).
QUIZ_SETTING_DEFAULTS: dict[str, Any] = QuizSettings().to_stored()
# How long the "grace" expiry policy leaves for submitting, when a quiz does not say.
DEFAULT_GRACE_SECONDS = 600
MAX_DRAW_COUNT = 100
MAX_IMPORT_CHARS = 1_000_000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class QuestionInvalidError(ValidationError):
    """The question does not pass grading.validate_question; `errors` lists why."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("The question has errors: " + "; ".join(errors))


class DrawUnsatisfiableError(ConflictError):
    """A random-draw rule asks for more questions than the bank can give."""


class QuizNotReadyError(ValidationError):
    """Publishing was refused; the message says what to fix."""


class ImportRefusedError(ValidationError):
    """An import file has errors; nothing was written."""

    def __init__(self, errors: list[bank_formats.ParseError]) -> None:
        self.errors = errors
        super().__init__(
            f"The file has {len(errors)} error(s); no questions were imported."
        )


# --------------------------------------------------------------------------
# Question bank
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
    question.is_archived = archived
    db.session.flush()


def quizzes_short_of_questions(question: Question) -> list[Assessment]:
    """Published browser-built quizzes whose random draws from `question`'s category
    can no longer be met (after it was archived): learners could not start them."""
    quizzes = db.session.scalars(
        sa.select(Assessment).where(
            Assessment.kind == QUIZ,
            Assessment.is_published.is_(True),
            Assessment.origin == ORIGIN_UI,
        )
    )
    short = []
    for quiz in quizzes:
        draws = [s["draw"] for s in slots_of(quiz) if "draw" in s]
        if not any(
            _category_covers(d.get("category", ""), question.category) for d in draws
        ):
            continue
        try:
            resolve_questions(quiz, random.Random(0))
        except DrawUnsatisfiableError:
            short.append(quiz)
    return short


def _category_covers(rule: str, category: str) -> bool:
    rule = normalize_category(rule)
    return not rule or category == rule or category.startswith(rule + "/")


@dataclass(frozen=True)
class BankFilters:
    category: str = ""
    tag: str = ""
    type: str = ""
    q: str = ""
    owner_id: int | None = None  # "mine only"
    archived: bool = False  # show the archive instead of the live bank

    @property
    def active(self) -> bool:
        return bool(self.category or self.tag or self.type or self.q or self.owner_id)


def category_condition(category: str):
    """The category itself or any of its subcategories."""
    category = normalize_category(category)
    return sa.or_(
        Question.category == category,
        Question.category.startswith(category + "/", autoescape=True),
    )


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


def draw_pool_statement(category: str, tag: str | None):
    conditions = [Question.is_archived.is_(False)]
    if normalize_category(category):
        conditions.append(category_condition(category))
    if tag and normalize_tags([tag]):
        conditions.append(tag_condition(tag))
    return sa.select(Question.id).where(*conditions).order_by(Question.id)


def count_matching(category: str, tag: str | None) -> int:
    """How many live bank questions a draw rule could pick from."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(
            draw_pool_statement(category, tag).subquery()
        )
    )


# --------------------------------------------------------------------------
# GIFT / Aiken import
# --------------------------------------------------------------------------

FORMATS = ("gift", "aiken")


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


# --------------------------------------------------------------------------
# Quizzes: settings, slots, publishing
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


def slots_of(assessment: Assessment) -> list[dict[str, Any]]:
    return list((assessment.content or {}).get("slots") or [])


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
    present = {s["question_id"] for s in slots if "question_id" in s}
    wanted = list(dict.fromkeys(int(i) for i in question_ids))
    found = set(
        db.session.scalars(
            sa.select(Question.id).where(
                Question.id.in_(wanted), Question.is_archived.is_(False)
            )
        )
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationError(
            "Some selected questions are archived or no longer exist; reload the list."
        )
    added = [i for i in wanted if i not in present]
    slots.extend({"question_id": i} for i in added)
    if added:
        _set_slots(assessment, slots)
    return len(added), len(wanted) - len(added)


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
    slots = slots_of(assessment)
    ids = [s["question_id"] for s in slots if "question_id" in s]
    by_id = {}
    if ids:
        by_id = {
            q.id: q
            for q in db.session.scalars(sa.select(Question).where(Question.id.in_(ids)))
        }
    fixed = set(ids)
    views = []
    for index, slot in enumerate(slots):
        if "question_id" in slot:
            qid = slot["question_id"]
            views.append(SlotView(index, question=by_id.get(qid), question_id=qid))
        else:
            draw = slot.get("draw") or {}
            pool = db.session.scalars(
                draw_pool_statement(draw.get("category", ""), draw.get("tag"))
            )
            matching = sum(1 for qid in pool if qid not in fixed)
            views.append(SlotView(index, draw=draw, matching=matching))
    return views


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


# --------------------------------------------------------------------------
# Resolving slots into questions (called by the attempt engine's snapshot)
# --------------------------------------------------------------------------


def resolve_questions(
    assessment: Assessment, rng: random.Random
) -> list[dict[str, Any]]:
    """The question dicts one attempt gets: inline questions, then the slots.

    Fixed slots give their bank question; each draw gives `count` questions
    chosen at random with `rng` from its pool, never repeating a question of
    this attempt. Bank questions carry id "bank-<id>" and `bank_id`. The same
    rng state gives the same result. Raises DrawUnsatisfiableError when the
    draws cannot all be met, DomainError when a fixed question is gone.
    """
    content = assessment.content or {}
    questions = [copy.deepcopy(q) for q in content.get("questions") or []]
    slots = content.get("slots") or []
    if not slots:
        return questions
    fixed_ids = [int(s["question_id"]) for s in slots if "question_id" in s]
    draws = [s["draw"] for s in slots if "draw" in s]
    fixed = set(fixed_ids)
    pools = [
        [
            qid
            for qid in db.session.scalars(
                draw_pool_statement(d.get("category", ""), d.get("tag"))
            )
            if qid not in fixed
        ]
        for d in draws
    ]
    counts = [int(d.get("count", 0)) for d in draws]
    picked = _assign_draws(pools, counts, rng, draws)
    wanted = fixed | {qid for ids in picked for qid in ids}
    by_id = {
        q.id: q
        for q in db.session.scalars(sa.select(Question).where(Question.id.in_(wanted)))
    }
    missing = sorted(fixed - by_id.keys())
    if missing:
        raise DomainError(
            f"Question {missing[0]} of the quiz “{assessment.title}” no longer exists."
        )
    draw_number = 0
    for slot in slots:
        if "question_id" in slot:
            ids = [int(slot["question_id"])]
        else:
            ids = picked[draw_number]
            draw_number += 1
        for qid in ids:
            q = by_id[qid].as_content()
            q["bank_id"] = qid
            questions.append(q)
    return questions


def _assign_draws(
    pools: list[list[int]],
    counts: list[int],
    rng: random.Random,
    draws: list[dict[str, Any]],
) -> list[list[int]]:
    """Pick `counts[i]` distinct questions from `pools[i]` for every i, at random.

    Each rule's pool is shuffled once with `rng`; then every place to fill
    takes the first free question in its rule's order, and when none is free
    an augmenting path (Kuhn's matching, breadth first) moves earlier picks
    to other questions of their own pools. So the result is a uniform-looking
    sample when pools do not overlap, and a valid one whenever any exists.
    """
    orders = []
    for pool in pools:
        order = list(pool)
        rng.shuffle(order)
        orders.append(order)
    place_rule = [rule for rule, count in enumerate(counts) for _ in range(count)]
    matched_place: dict[int, int] = {}  # question id -> place
    place_question: list[int | None] = [None] * len(place_rule)
    for place, rule in enumerate(place_rule):
        parent: dict[int, tuple[int, int] | None] = {place: None}
        queue = deque([place])
        seen: set[int] = set()
        found: tuple[int, int] | None = None
        while queue and found is None:
            current = queue.popleft()
            for qid in orders[place_rule[current]]:
                if qid in seen:
                    continue
                seen.add(qid)
                holder = matched_place.get(qid)
                if holder is None:
                    found = (current, qid)
                    break
                if holder not in parent:
                    parent[holder] = (current, qid)
                    queue.append(holder)
        if found is None:
            raise DrawUnsatisfiableError(
                _unsatisfiable_message(draws[rule], len(pools[rule]))
            )
        current, qid = found
        while True:
            previous_question = place_question[current]
            place_question[current] = qid
            matched_place[qid] = current
            link = parent[current]
            if link is None:
                break
            current, qid = link[0], previous_question
    picked: list[list[int]] = [[] for _ in counts]
    for place, rule in enumerate(place_rule):
        picked[rule].append(place_question[place])
    return picked


def _unsatisfiable_message(draw: dict[str, Any], available: int) -> str:
    count = draw.get("count", 0)
    where = f"“{draw['category']}”" if draw.get("category") else "the whole bank"
    tagged = f" tagged “{draw['tag']}”" if draw.get("tag") else ""
    rule = f"The random draw of {count} from {where}{tagged}"
    if available < count:
        return (
            f"{rule} needs {count} questions but only {available} "
            f"question{'s' if available != 1 else ''} match (fixed questions of the "
            "quiz do not count). Add questions to the bank or lower the number."
        )
    return (
        f"{rule} cannot be met: its {available} matching questions are also wanted "
        "by other rules of the quiz. Lower the numbers or narrow the rules."
    )


# --------------------------------------------------------------------------
# Reviewing attempts
# --------------------------------------------------------------------------

ATTEMPT_STATES = ("in_progress", "submitted", "abandoned")


def attempts_page(assessment: Assessment, *, state: str = "", page: int, per_page: int):
    """A page of the quiz's attempts, newest first, with their learners."""
    stmt = (
        sa.select(Attempt)
        .where(Attempt.assessment_id == assessment.id)
        # The list never shows the snapshot, which holds every question.
        .options(joinedload(Attempt.user), defer(Attempt.snapshot))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    if state in ATTEMPT_STATES:
        stmt = stmt.where(Attempt.state == state)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def state_counts(assessment: Assessment) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Attempt.state, sa.func.count())
        .where(Attempt.assessment_id == assessment.id)
        .group_by(Attempt.state)
    )
    return {state: count for state, count in rows}


def get_attempt(assessment: Assessment, attempt_id: int) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id, Attempt.assessment_id == assessment.id)
        .options(joinedload(Attempt.user))
    )


def snapshot_questions(snapshot: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The question dicts (with keys) an attempt was given."""
    if not isinstance(snapshot, dict):
        return []
    for key in ("questions", "items"):
        value = snapshot.get(key)
        if isinstance(value, list):
            return [q for q in value if isinstance(q, dict)]
    return []


def snapshot_pass_percent(attempt: Attempt, assessment: Assessment) -> float:
    return kind.snapshot_pass_percent(attempt.snapshot or {})


def correct_answer_text(q: dict[str, Any]) -> str:
    """The key of a question, written for a trainer."""
    nq = grading.normalize_question(q)
    qtype = nq["type"]
    if qtype in ("single", "multiple"):
        return "; ".join(c["text"] for c in nq["choices"] if c["correct"]) or "—"
    if qtype == "truefalse":
        return {True: "True", False: "False"}.get(nq["answer"], "—")
    if qtype == "short":
        shown = " / ".join(nq["answers"])
        return shown + (" (case-sensitive)" if nq["case_sensitive"] else "")
    if qtype == "numeric":
        if nq["answer"] is None:
            return "—"
        text = f"{nq['answer']:g}"
        if nq["tolerance"]:
            text += f" ± {nq['tolerance']:g}"
        return f"{text} {nq['units']}".strip()
    if qtype == "ordering":
        return " → ".join(i["text"] for i in nq["items"])
    return "—"


@dataclass(frozen=True)
class ReviewItem:
    number: int
    question: dict[str, Any]
    prompt_html: str
    response: Any
    result: dict[str, Any]
    correct_answer: str
    answer_text: str
    choices: list[dict[str, Any]]

    @property
    def id(self) -> str:
        return str(self.question.get("id", ""))

    @property
    def outcome(self) -> str:
        """right | partial | wrong | pending (awaits manual grading) | none (no result)."""
        if not self.result:
            return "none"
        correct = self.result.get("correct")
        if correct is None and "override" not in self.result:
            return "pending"
        points = float(self.result.get("points") or 0)
        max_points = float(self.result.get("max_points") or 0)
        if max_points > 0 and math.isclose(points, max_points):
            return "right"
        return "partial" if points > 0 else "wrong"


def _answer_text(q: dict[str, Any], response: Any, result: dict[str, Any]) -> str:
    summary = result.get("response_summary")
    if isinstance(summary, str) and summary:
        return summary
    if response is None or response == "" or response == []:
        return grading.NO_ANSWER
    try:
        return grading.grade_question(q, response).response_summary
    except grading.UnknownQuestionType:
        return str(response)


def _review_choices(q: dict[str, Any], response: Any) -> list[dict[str, Any]]:
    nq = grading.normalize_question(q)
    if nq["type"] not in ("single", "multiple"):
        return []
    picked = set(response) if isinstance(response, list) else {response}
    return [
        {
            "text": c["text"],
            "correct": c["correct"],
            "picked": c["id"] in picked,
            "feedback": c["feedback"],
        }
        for c in nq["choices"]
    ]


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Every question of the attempt with the learner's answer, the key and the marks."""
    responses = dict(
        db.session.execute(
            sa.select(Response.item_id, Response.value).where(
                Response.attempt_id == attempt.id
            )
        ).all()
    )
    results = ((attempt.result or {}).get("items")) or {}
    items = []
    for number, q in enumerate(snapshot_questions(attempt.snapshot), start=1):
        qid = str(q.get("id", ""))
        response = responses.get(qid)
        result = results.get(qid) or {}
        items.append(
            ReviewItem(
                number=number,
                question=q,
                prompt_html=render_markdown(str(q.get("prompt", ""))),
                response=response,
                result=result,
                correct_answer=correct_answer_text(q),
                answer_text=_answer_text(q, response, result),
                choices=_review_choices(q, response),
            )
        )
    return items


def regrade_item(
    attempt: Attempt,
    assessment: Assessment,
    item_id: str,
    *,
    points: float,
    comment: str,
    actor: User,
    seen_version: int | None = None,
) -> AuditEvent:
    """Set one item's points by hand through the engine (lms.attempts.regrading)."""
    return regrading.regrade_item(
        attempt,
        item_id,
        points=points,
        comment=comment,
        actor=actor,
        seen_version=seen_version,
    )


def audit_trail(target_type: str, target_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.target_type == target_type, AuditEvent.target_id == target_id
            )
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        )
    )


# --------------------------------------------------------------------------
# Overrides (extra time, extra attempts): granted by
# lms.attempts.services.grant_override, which writes the row and the audit event.
# --------------------------------------------------------------------------


def find_user(email: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    )


def overrides_for(assessment: Assessment) -> list[AttemptOverride]:
    """The quiz's overrides with their learners and granters (zeros included)."""
    return list(
        db.session.scalars(
            sa.select(AttemptOverride)
            .where(AttemptOverride.assessment_id == assessment.id)
            .options(
                joinedload(AttemptOverride.user), joinedload(AttemptOverride.created_by)
            )
            .order_by(AttemptOverride.updated_at.desc(), AttemptOverride.id.desc())
        )
    )


OVERRIDE_ACTION = "attempt.override"  # written by lms.attempts.services.grant_override


def override_history(assessment: Assessment) -> list[tuple[AuditEvent, User | None]]:
    """Audit events of overrides granted on this quiz, newest first, with the learner."""
    learner = sa.orm.aliased(User)
    rows = db.session.execute(
        sa.select(AuditEvent, learner)
        .outerjoin(learner, learner.id == AuditEvent.target_id)
        .where(
            AuditEvent.action == OVERRIDE_ACTION,
            AuditEvent.target_type == "user",
            AuditEvent.details["assessment_id"].as_integer() == assessment.id,
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ).all()
    return [(event, user) for event, user in rows]


# --------------------------------------------------------------------------
# Item statistics
# --------------------------------------------------------------------------

FLAG_REASONS = {
    "negative_discrimination": "Negative discrimination: stronger learners do worse "
    "on it. Check the key.",
    "too_easy": "Almost everyone gets it right (facility ≥ 95 %).",
    "too_hard": "Almost nobody gets it right (facility ≤ 5 %).",
}


@dataclass(frozen=True)
class ChoiceCount:
    label: str
    count: int
    share: float
    correct: bool | None


@dataclass(frozen=True)
class ItemRow:
    number: int
    item_id: str
    title: str
    type: str
    stats: dict[str, Any]
    choices: list[ChoiceCount]
    reasons: list[str]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class StatisticsReport:
    attempts: int
    rows: list[ItemRow]

    @property
    def enough(self) -> bool:
        return self.attempts >= item_stats.MIN_RELIABLE_N


def statistics_rows(
    assessment: Assessment, *, first_only: bool = False
) -> StatisticsReport:
    """Item analysis over the quiz's submitted, valid attempts.

    One query reads every attempt's score, per-item results and saved
    responses together; one more loads the bank questions they used.
    """
    conditions = [
        Attempt.assessment_id == assessment.id,
        Attempt.state == SUBMITTED,
        Attempt.is_valid.is_(True),
        Attempt.result.is_not(None),
    ]
    if first_only:
        conditions.append(Attempt.number == 1)
    rows = db.session.execute(
        sa.select(
            Attempt.id, Attempt.score, Attempt.result, Response.item_id, Response.value
        )
        .outerjoin(Response, Response.attempt_id == Attempt.id)
        .where(*conditions)
        .order_by(Attempt.id)
    ).all()
    attempts: dict[int, dict[str, Any]] = {}
    for attempt_id, score, result, item_id, value in rows:
        entry = attempts.get(attempt_id)
        if entry is None:
            entry = attempts[attempt_id] = {
                "score": score,
                "result": result,
                "responses": {},
            }
        if item_id is not None:
            entry["responses"][item_id] = value
    stat_rows = []
    for entry in attempts.values():
        items = {}
        for qid, item in ((entry["result"] or {}).get("items") or {}).items():
            if not isinstance(item, dict):
                continue
            items[qid] = {
                "points": float(item.get("points") or 0),
                "max_points": float(item.get("max_points") or 0),
                "response": entry["responses"].get(qid),
            }
        total = entry["score"]
        if total is None:
            total = math.fsum(i["points"] for i in items.values())
        stat_rows.append({"attempt_total": float(total), "items": items})

    questions = _questions_for_stats(assessment, stat_rows)
    stats = item_stats.item_statistics(stat_rows, questions.values())
    order = list(questions) + [qid for qid in stats if qid not in questions]
    report_rows = []
    for number, qid in enumerate((q for q in order if q in stats), start=1):
        q = questions.get(qid)
        s = stats[qid]
        report_rows.append(
            ItemRow(
                number=number,
                item_id=qid,
                title=_question_title(q) if q else f"{qid} (no longer in the quiz)",
                type=(q or {}).get("type", ""),
                stats=s,
                choices=_choice_counts(q, s),
                reasons=[FLAG_REASONS[f] for f in s["flags"] if f in FLAG_REASONS],
            )
        )
    return StatisticsReport(attempts=len(stat_rows), rows=report_rows)


def _questions_for_stats(
    assessment: Assessment, stat_rows: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Current question dicts by item id: inline ones, then the bank ones attempts used."""
    questions: dict[str, dict[str, Any]] = {}
    for q in (assessment.content or {}).get("questions") or []:
        if isinstance(q, dict) and q.get("id"):
            questions[str(q["id"])] = q
    bank_ids: list[int] = []
    for slot in slots_of(assessment):
        if "question_id" in slot:
            bank_ids.append(int(slot["question_id"]))
    for row in stat_rows:
        for qid in row["items"]:
            if qid.startswith("bank-") and qid[5:].isdigit():
                bank_ids.append(int(qid[5:]))
    bank_ids = list(dict.fromkeys(bank_ids))
    if bank_ids:
        by_id = {
            q.id: q
            for q in db.session.scalars(
                sa.select(Question).where(Question.id.in_(bank_ids))
            )
        }
        for bid in bank_ids:
            if bid in by_id:
                questions[f"bank-{bid}"] = by_id[bid].as_content()
    return questions


def _question_title(q: dict[str, Any]) -> str:
    title = q.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return plain_snippet(q.get("prompt", ""), 90)


def _choice_counts(q: dict[str, Any] | None, s: dict[str, Any]) -> list[ChoiceCount]:
    counts: dict[str, int] = s.get("choice_counts") or {}
    n = s.get("n") or 0
    if not counts:
        return []
    labels: dict[str, tuple[str, bool | None]] = {}
    if q is not None:
        nq = grading.normalize_question(q)
        if nq["type"] in ("single", "multiple"):
            labels = {c["id"]: (c["text"], c["correct"]) for c in nq["choices"]}
        elif nq["type"] == "truefalse":
            labels = {
                "true": ("True", nq["answer"] is True),
                "false": ("False", nq["answer"] is False),
            }
    out = []
    for key, count in counts.items():
        label, correct = labels.get(key, (f"{key} (not a current choice)", None))
        out.append(ChoiceCount(label, count, count / n if n else 0.0, correct))
    return out
