"""Course use cases: enrol, assign, progress, authoring. Services flush; callers commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lms import clock
from lms.courses.models import (
    ORIGIN_FILE,
    ORIGIN_UI,
    Course,
    Enrolment,
    Module,
    ModuleProgress,
)
from lms.errors import NotFoundError, PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.markdown import render_markdown
from lms.users.models import Team, User
from lms.users.services import team_members, teams_managed_by

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
        return self.enrolment is not None and self.enrolment.is_overdue(today)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return slug[:80] or "item"


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


def record_visit(user: User, module: Module) -> None:
    """Remember the module as the place to resume, and that it was opened."""
    enrolment = get_enrolment(user, module.course) or enrol(user, module.course)
    enrolment.last_module_id = module.id
    progress = _progress_row(user, module)
    if progress is None:
        db.session.add(ModuleProgress(user_id=user.id, module_id=module.id))
    db.session.flush()


def complete_module(user: User, module: Module) -> CourseProgress:
    """Mark a module done (idempotent); completes the course when all modules are done."""
    if not module.is_active:
        raise NotFoundError("This module is no longer part of the course.")
    course = module.course
    enrolment = get_enrolment(user, course) or enrol(user, course)
    progress = _progress_row(user, module)
    now = clock.now()
    if progress is None:
        progress = ModuleProgress(user_id=user.id, module_id=module.id)
        db.session.add(progress)
    if progress.completed_at is None:
        progress.completed_at = now
    db.session.flush()
    state = course_progress(user, course)
    all_done = state.modules_total and state.modules_done >= state.modules_total
    if all_done and enrolment.completed_at is None:
        enrolment.completed_at = now
    db.session.flush()
    return course_progress(user, course)


def _progress_row(user: User, module: Module) -> ModuleProgress | None:
    return db.session.scalar(
        sa.select(ModuleProgress).where(
            ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id
        )
    )


# --- assigning -------------------------------------------------------------------


def assign_course(
    course: Course, users: list[User], *, due_on: date | None, assigned_by: User
) -> int:
    """Assign a course to people with a due date; returns how many were newly enrolled.

    Re-assigning someone already enrolled updates the due date and marks it assigned.
    """
    if not course.is_published:
        raise ValidationError("Publish the course before assigning it.")
    if due_on is not None and due_on < clock.now().date():
        raise ValidationError("The due date is in the past.")
    existing = {
        e.user_id: e
        for e in db.session.scalars(
            sa.select(Enrolment).where(
                Enrolment.course_id == course.id,
                Enrolment.user_id.in_([u.id for u in users]),
            )
        )
    }
    created = 0
    for user in users:
        enrolment = existing.get(user.id)
        if enrolment is None:
            enrolment = Enrolment(user_id=user.id, course_id=course.id)
            db.session.add(enrolment)
            created += 1
        enrolment.source = "assigned"
        enrolment.due_on = due_on
        enrolment.assigned_by_id = assigned_by.id
    db.session.flush()
    return created


# --- authoring -------------------------------------------------------------------


def create_course(
    owner: User,
    *,
    title: str,
    summary: str,
    slug: str | None = None,
    level: str | None = None,
    estimated_minutes: int | None = None,
    skills: list[str] | None = None,
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
    module.body_html = render_markdown(body_md)
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


# --- authoring: course details and module order ------------------------------------

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
    db.session.flush()
    return course


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


# --- My learning, paginated ------------------------------------------------------------


def optional_courses_query(user: User) -> sa.Select:
    """Published courses the user is not enrolled in, by title."""
    enrolled = sa.select(Enrolment.course_id).where(Enrolment.user_id == user.id)
    return (
        sa.select(Course)
        .where(Course.is_published, Course.id.not_in(enrolled))
        .order_by(Course.title, Course.id)
    )


# --- assigning: who may be chosen, who is assigned -------------------------------------


@dataclass
class AssignScope:
    """Whom an assigner may choose: everyone (team_ids None) or these teams' members."""

    team_ids: list[int] | None

    @property
    def unrestricted(self) -> bool:
        return self.team_ids is None

    def allows(self, user: User) -> bool:
        return self.team_ids is None or user.team_id in self.team_ids


def assignable_people(scope: AssignScope) -> list[User]:
    """Active people the assigner may choose from, by name."""
    if scope.unrestricted:
        return list(
            db.session.scalars(
                sa.select(User)
                .where(User.is_active_account)
                .order_by(User.name, User.id)
            )
        )
    return team_members(scope.team_ids or [])


def assignable_teams(scope: AssignScope) -> list[Team]:
    query = sa.select(Team).order_by(Team.name)
    if not scope.unrestricted:
        query = query.where(Team.id.in_(scope.team_ids or []))
    return list(db.session.scalars(query))


def resolve_assignees(
    scope: AssignScope, user_ids: list[int], team_id: int | None
) -> list[User]:
    """The people chosen directly plus the active members of the chosen team."""
    if not user_ids and team_id is None:
        raise ValidationError("Choose at least one person or a team.")
    people: dict[int, User] = {}
    if user_ids:
        chosen = db.session.scalars(
            sa.select(User).where(User.id.in_(user_ids), User.is_active_account)
        ).all()
        if len(chosen) != len(set(user_ids)):
            raise ValidationError(
                "Some of the people chosen no longer have an account."
            )
        for user in chosen:
            if not scope.allows(user):
                raise PermissionDeniedError(
                    f"You can assign courses only to people in teams you manage; "
                    f"{user.name} is not in one."
                )
            people[user.id] = user
    if team_id is not None:
        if not scope.unrestricted and team_id not in (scope.team_ids or []):
            raise PermissionDeniedError(
                "You can assign courses only to teams you manage."
            )
        members = team_members([team_id])
        if not members:
            raise ValidationError("That team has no active members yet.")
        for user in members:
            people.setdefault(user.id, user)
    return list(people.values())


def assignees_query(course: Course, scope: AssignScope) -> sa.Select:
    """Assigned enrolments on the course that the viewer may see; open ones first."""
    query = (
        sa.select(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.course_id == course.id, Enrolment.source == "assigned")
        .options(
            sa.orm.joinedload(Enrolment.user).joinedload(User.team),
            sa.orm.joinedload(Enrolment.assigned_by),
        )
        .order_by(
            Enrolment.completed_at.is_not(None),
            Enrolment.due_on.is_(None),
            Enrolment.due_on,
            User.name,
            Enrolment.id,
        )
    )
    if not scope.unrestricted:
        query = query.where(User.team_id.in_(scope.team_ids or []))
    return query


def completed_counts_by_user(course: Course, user_ids: list[int]) -> dict[int, int]:
    """Active modules of the course each person completed, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(ModuleProgress.user_id, sa.func.count(ModuleProgress.id))
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(
            Module.course_id == course.id,
            Module.is_active,
            ModuleProgress.completed_at.is_not(None),
            ModuleProgress.user_id.in_(user_ids),
        )
        .group_by(ModuleProgress.user_id)
    )
    return dict(rows.all())


def assign_scope(user: User, *, unrestricted: bool) -> AssignScope:
    """Everyone for trainers and admins; the members of their teams for managers."""
    if unrestricted:
        return AssignScope(None)
    return AssignScope([t.id for t in teams_managed_by(user)])
