"""Learner progress: My learning, where to resume, enrolling and completing modules.

A course is complete when every active module is done; retiring or adding
modules later does not re-open or complete an enrolment. A completion is
announced to listeners (lms.courses.completion) in the same transaction.
Marking a module complete is refused until it is earned under the course's
rules (lms.courses.earning): the reading clock starts at the first opening and
the end is what the module page reported. Services flush; callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.courses import completion
from lms.courses.earning import CompletionRules, ReadingState, reading_state
from lms.courses.models import Course, Enrolment, Module, ModuleProgress
from lms.errors import ConflictError, NotFoundError, ValidationError
from lms.extensions import db
from lms.users.models import User


class NotYetEarnedError(ConflictError):
    """Marking a module complete before the course's rules are met."""

    code = "not_yet_earned"


@dataclass
class CourseProgress:
    course: Course
    enrolment: Enrolment | None
    modules_total: int
    modules_done: int

    @property
    def fraction(self) -> float:
        return self.modules_done / self.modules_total if self.modules_total else 0.0

    @property
    def is_complete(self) -> bool:
        return self.enrolment is not None and self.enrolment.completed_at is not None

    def is_overdue(self, today: date) -> bool:
        """Past its due date and not done; optional assignments are never overdue."""
        enrolment = self.enrolment
        return (
            enrolment is not None and enrolment.required and enrolment.is_overdue(today)
        )


# --- reading -------------------------------------------------------------------


def module_counts(course_ids: list[int]) -> dict[int, int]:
    """Active modules per course, in one query."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        sa.select(Module.course_id, sa.func.count(Module.id))
        .where(Module.course_id.in_(course_ids), Module.is_active)
        .group_by(Module.course_id)
    )
    return dict(rows.all())


def completed_counts(user_id: int, course_ids: list[int]) -> dict[int, int]:
    """Modules the user completed per course, in one query."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        sa.select(Module.course_id, sa.func.count(ModuleProgress.id))
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(
            ModuleProgress.user_id == user_id,
            ModuleProgress.completed_at.is_not(None),
            Module.course_id.in_(course_ids),
            Module.is_active,
        )
        .group_by(Module.course_id)
    )
    return dict(rows.all())


def learning_for(user: User) -> tuple[list[CourseProgress], list[Course]]:
    """The user's enrolled courses with progress, and published courses they could start."""
    optional = db.session.scalars(optional_courses_query(user)).all()
    return enrolled_progress(user), list(optional)


def enrolled_progress(user: User) -> list[CourseProgress]:
    """Every course the user is enrolled in with progress: open ones first, by due date.

    Three queries however many courses there are.
    """
    enrolments = db.session.scalars(
        sa.select(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user.id)
        .options(sa.orm.joinedload(Enrolment.course))
        .order_by(
            Enrolment.completed_at.is_not(None),
            Enrolment.due_on.is_(None),
            Enrolment.due_on,
            Course.title,
        )
    ).all()
    enrolled_ids = [e.course_id for e in enrolments]
    totals = module_counts(enrolled_ids)
    done = completed_counts(user.id, enrolled_ids)
    return [
        CourseProgress(
            e.course, e, totals.get(e.course_id, 0), done.get(e.course_id, 0)
        )
        for e in enrolments
    ]


def learning_summary(user: User) -> dict:
    progress, optional = learning_for(user)
    today = clock.now().date()
    return {
        "in_progress": [p for p in progress if not p.is_complete],
        "completed": [p for p in progress if p.is_complete],
        "overdue": [p for p in progress if p.is_overdue(today)],
        "optional_count": len(optional),
    }


def course_progress(user: User, course: Course) -> CourseProgress:
    enrolment = get_enrolment(user, course)
    total = module_counts([course.id]).get(course.id, 0)
    done = completed_counts(user.id, [course.id]).get(course.id, 0)
    return CourseProgress(course, enrolment, total, done)


def completed_module_ids(user: User, course: Course) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(ModuleProgress.module_id)
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(
                ModuleProgress.user_id == user.id,
                ModuleProgress.completed_at.is_not(None),
                Module.course_id == course.id,
            )
        )
    )


def get_enrolment(user: User, course: Course) -> Enrolment | None:
    return db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.user_id == user.id, Enrolment.course_id == course.id
        )
    )


def resume_module(user: User, course: Course) -> Module | None:
    """Where to continue: the last module opened if unfinished, else the first not done."""
    modules = active_modules(course)
    if not modules:
        return None
    done = completed_module_ids(user, course)
    enrolment = get_enrolment(user, course)
    if enrolment and enrolment.last_module_id:
        for module in modules:
            if module.id == enrolment.last_module_id and module.id not in done:
                return module
    for module in modules:
        if module.id not in done:
            return module
    return modules[0]


def active_modules(course: Course) -> list[Module]:
    return list(
        db.session.scalars(
            sa.select(Module)
            .where(Module.course_id == course.id, Module.is_active)
            .order_by(Module.position, Module.id)
        )
    )


# --- My learning, paginated ------------------------------------------------------------


def optional_courses_query(user: User) -> sa.Select:
    """Published courses the user is not enrolled in, by title."""
    enrolled = sa.select(Enrolment.course_id).where(Enrolment.user_id == user.id)
    return (
        sa.select(Course)
        .where(Course.is_published, Course.id.not_in(enrolled))
        .order_by(Course.title, Course.id)
    )


# --- learner actions -------------------------------------------------------------


def enrol(user: User, course: Course) -> Enrolment:
    """Self-enrol in a published course (idempotent)."""
    enrolment = get_enrolment(user, course)
    if enrolment is not None:
        return enrolment
    if not course.is_published:
        raise ValidationError("This course is not open for enrolment.")
    enrolment = Enrolment(user_id=user.id, course_id=course.id, source="self")
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def record_visit(user: User, module: Module) -> ModuleProgress:
    """Remember the module as the place to resume, and when it was first opened."""
    enrolment = get_enrolment(user, module.course) or enrol(user, module.course)
    enrolment.last_module_id = module.id
    progress = _first_opening(user, module)
    db.session.flush()
    return progress


def _first_opening(user: User, module: Module) -> ModuleProgress:
    """The user's row for the module, created now if it is the first opening."""
    progress = progress_row(user, module)
    if progress is not None:
        return progress
    progress = ModuleProgress(user_id=user.id, module_id=module.id)
    try:
        with db.session.begin_nested():
            db.session.add(progress)
    except IntegrityError:  # another tab opened it a moment ago: its time stands
        progress = progress_row(user, module)
    return progress


def record_end_reached(user: User, module: Module) -> ReadingState | None:
    """The module page saw the learner reach the end of the text; the first report
    stands. Returns where the learner now stands (None when the course asks nothing)."""
    if not module.course.is_published:
        raise ConflictError("Draft courses cannot be completed.")
    progress = _first_opening(user, module)
    if progress.end_reached_at is None:
        progress.end_reached_at = clock.now()
        db.session.flush()
    return module_reading_state(module, progress)


def module_reading_state(
    module: Module, progress: ModuleProgress | None
) -> ReadingState | None:
    """Where the learner of `progress` stands on `module`; None when the course asks
    nothing or the module is already done."""
    rules = CompletionRules.from_stored(module.course.completion_rules)
    if not rules.asks_anything or (progress and progress.completed_at is not None):
        return None
    return reading_state(
        rules,
        module.body_md,
        first_opened_at=progress.first_viewed_at if progress else None,
        end_reached_at=progress.end_reached_at if progress else None,
        now=clock.now(),
    )


def learner_reading_state(user: User, module: Module) -> ReadingState | None:
    """Where the user stands on the module; None when the course asks nothing."""
    if not CompletionRules.from_stored(module.course.completion_rules).asks_anything:
        return None
    return module_reading_state(module, progress_row(user, module))


def complete_module(user: User, module: Module) -> CourseProgress:
    """Mark a module done (idempotent) once earned; completes the course when all
    modules are done."""
    if not module.is_active:
        raise NotFoundError("This module is no longer part of the course.")
    course = module.course
    progress = progress_row(user, module)
    reading = module_reading_state(module, progress)
    if reading is not None and not reading.earned:
        raise NotYetEarnedError(
            f"“{module.title}” is not complete yet. {reading.message}"
        )
    enrolment = get_enrolment(user, course) or enrol(user, course)
    now = clock.now()
    progress = progress or _first_opening(user, module)
    if progress.completed_at is None:
        progress.completed_at = now
    db.session.flush()
    state = course_progress(user, course)
    all_done = state.modules_total and state.modules_done >= state.modules_total
    if all_done and enrolment.completed_at is None:
        enrolment.completed_at = now
        db.session.flush()
        completion.announce(enrolment, course)
    db.session.flush()
    return course_progress(user, course)


def progress_row(user: User, module: Module) -> ModuleProgress | None:
    return db.session.scalar(
        sa.select(ModuleProgress).where(
            ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id
        )
    )
