"""Course authoring: creating courses, writing and ordering modules, publishing.

A course's short name (slug) is chosen at creation and never changes. Modules
are never deleted: retiring hides one and keeps learners' progress on it.
Services flush; callers commit.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.courses.earning import CompletionRules
from lms.courses.models import Course, Enrolment, Module
from lms.courses.progress import active_modules
from lms.errors import NotFoundError, ValidationError
from lms.extensions import db
from lms.markdown import render_lesson
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.users.models import User

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return slug[:80] or "item"


# --- creating a course and writing its modules ----------------------------------


def create_course(
    owner: User,
    *,
    title: str,
    summary: str,
    slug: str | None = None,
    level: str | None = None,
    estimated_minutes: int | None = None,
    skills: list[str] | None = None,
    completion_rules: dict | None = None,
) -> Course:
    slug = (slug or slugify(title)).strip()
    if not SLUG_RE.match(slug):
        raise ValidationError(
            "The short name may use only lowercase letters, digits and hyphens."
        )
    if db.session.scalar(sa.select(Course.id).where(Course.slug == slug)):
        raise ValidationError(f"A course with the short name “{slug}” already exists.")
    course = Course(
        slug=slug,
        title=title.strip(),
        summary=summary.strip(),
        level=level or None,
        estimated_minutes=estimated_minutes,
        skills=list(skills or []),
        completion_rules=_checked_completion_rules(completion_rules),
        origin=ORIGIN_UI,
        owner_id=owner.id,
        is_published=False,
    )
    db.session.add(course)
    db.session.flush()
    return course


def save_module(
    course: Course,
    module: Module | None,
    *,
    title: str,
    body_md: str,
    minutes: int | None = None,
) -> Module:
    """Create or update a module; renders and sanitises the Markdown once, here."""
    if module is None:
        position = (
            db.session.scalar(
                sa.select(sa.func.coalesce(sa.func.max(Module.position), 0)).where(
                    Module.course_id == course.id
                )
            )
            + 1
        )
        module = Module(
            course_id=course.id,
            position=position,
            slug=_unique_module_slug(course, title),
        )
        db.session.add(module)
    module.title = title.strip()
    module.minutes = minutes
    module.body_md = body_md
    module.body_html = render_lesson(body_md)
    db.session.flush()
    return module


def _unique_module_slug(course: Course, title: str) -> str:
    base = slugify(title)
    taken = set(
        db.session.scalars(sa.select(Module.slug).where(Module.course_id == course.id))
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def set_published(course: Course, published: bool) -> None:
    if published and not active_modules(course):
        raise ValidationError("Add at least one module before publishing the course.")
    course.is_published = published
    db.session.flush()


# --- course details and module order ------------------------------------------------

LEVELS = ("foundation", "intermediate", "advanced")
SKILL_SLUG_RE = re.compile(r"^[a-z0-9-]+$")


def parse_skill_slugs(text: str | None) -> tuple[list[str], list[str]]:
    """Split "a, b ,c" into slugs; returns (valid slugs in order without repeats, invalid)."""
    slugs: list[str] = []
    invalid: list[str] = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not SKILL_SLUG_RE.match(part):
            invalid.append(part)
        elif part not in slugs:
            slugs.append(part)
    return slugs, invalid


def update_course(
    course: Course,
    *,
    title: str,
    summary: str,
    level: str | None = None,
    estimated_minutes: int | None = None,
    skills: list[str] | None = None,
    completion_rules: dict | None = None,
) -> Course:
    """Change a course's details. The slug is its stable identifier and never changes."""
    if level and level not in LEVELS:
        raise ValidationError("Choose a level from the list.")
    bad = [s for s in skills or [] if not SKILL_SLUG_RE.match(s)]
    if bad:
        raise ValidationError(f"These are not skill short names: {', '.join(bad)}.")
    course.title = title.strip()
    course.summary = summary.strip()
    course.level = level or None
    course.estimated_minutes = estimated_minutes
    course.skills = list(skills or [])
    if completion_rules is not None:
        course.completion_rules = _checked_completion_rules(completion_rules)
    db.session.flush()
    return course


def _checked_completion_rules(given: dict | None) -> dict:
    """What earns a module's completion, as stored; refused when a value is not allowed."""
    problems = CompletionRules.problems(given or {})
    if problems:
        raise ValidationError(
            "Completion options: "
            + "; ".join(f"{name} {why}" for name, why in problems.items())
            + "."
        )
    return CompletionRules.from_stored(given).to_stored()


def retired_modules(course: Course) -> list[Module]:
    return list(
        db.session.scalars(
            sa.select(Module)
            .where(Module.course_id == course.id, Module.is_active.is_(False))
            .order_by(Module.position, Module.id)
        )
    )


def move_module(course: Course, module: Module, direction: str) -> bool:
    """Swap a module with its neighbour ("up" or "down"); False when already at that end.

    Active modules are renumbered 1..n so positions stay unique and gap-free.
    """
    if direction not in ("up", "down"):
        raise ValidationError("Move a module up or down.")
    modules = active_modules(course)
    index = next((i for i, m in enumerate(modules) if m.id == module.id), None)
    if index is None:
        raise NotFoundError("This module is no longer part of the course.")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(modules):
        return False
    modules[index], modules[other] = modules[other], modules[index]
    for position, m in enumerate(modules, start=1):
        m.position = position
    db.session.flush()
    return True


def retire_module(course: Course, module: Module) -> None:
    """Take a module out of the course. The row and learners' progress on it stay."""
    if not module.is_active:
        return
    if course.is_published and len(active_modules(course)) <= 1:
        raise ValidationError(
            "A published course needs at least one module. Unpublish the course first."
        )
    module.is_active = False
    db.session.flush()


def restore_module(course: Course, module: Module) -> None:
    """Put a retired module back, at the end of the course."""
    if module.is_active:
        return
    module.is_active = True
    module.position = (
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Module.position), 0)).where(
                Module.course_id == course.id, Module.is_active, Module.id != module.id
            )
        )
        + 1
    )
    db.session.flush()


# --- trainers' course list -------------------------------------------------------------


def manageable_courses_query(owner: User | None) -> sa.Select:
    """Courses in a trainer's list: those they own plus file courses; owner=None for all."""
    query = sa.select(Course).options(sa.orm.joinedload(Course.owner))
    if owner is not None:
        query = query.where(
            sa.or_(Course.owner_id == owner.id, Course.origin == ORIGIN_FILE)
        )
    return query.order_by(
        Course.origin == ORIGIN_FILE, sa.func.lower(Course.title), Course.id
    )


def enrolment_counts(course_ids: list[int]) -> dict[int, int]:
    """People enrolled per course (assigned or self-enrolled), in one query."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        sa.select(Enrolment.course_id, sa.func.count(Enrolment.id))
        .where(Enrolment.course_id.in_(course_ids))
        .group_by(Enrolment.course_id)
    )
    return dict(rows.all())
