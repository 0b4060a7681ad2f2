"""Assigning courses: whom an assigner may choose, assigning with a due date as
required or optional, and the list of people a course is assigned to.

The rules of whom an assigner may choose (`assign_scope`, `resolve_assignees`) and
of the due date (`check_due_on`) are shared by every kind of assignment
(lms.assignments assigns quizzes and keying tests with them). A refusal never names
a person the assigner may not see. Services flush; callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lms import clock
from lms.courses.models import Course, Enrolment, Module, ModuleProgress
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.notifications.services import notify_many, path_for
from lms.users.models import Team, User
from lms.users.services import team_members, teams_managed_by


def check_due_on(due_on: date | None) -> None:
    """A due date, when given, is today or later."""
    if due_on is not None and due_on < clock.now().date():
        raise ValidationError("The due date is in the past.")


def due_text(due_on: date | None) -> str:
    """How a notification says when something is due: "due 12 Dec 2026"."""
    return f"due {due_on:%d %b %Y}" if due_on else "no due date"


def assign_course(
    course: Course,
    users: list[User],
    *,
    due_on: date | None,
    assigned_by: User,
    required: bool = True,
) -> int:
    """Assign a course to people with a due date, required or optional; returns
    how many were newly enrolled, and tells each person (once per due date).

    Re-assigning someone already enrolled updates the due date and whether it is
    required, and marks it assigned.
    """
    if not course.is_published:
        raise ValidationError("Publish the course before assigning it.")
    check_due_on(due_on)
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
        enrolment.required = required
        enrolment.assigned_by_id = assigned_by.id
    db.session.flush()
    kind = "" if required else " (optional)"
    notify_many(
        [u.id for u in users],
        "assignment",
        f"New assignment: “{course.title}”{kind}, {due_text(due_on)}",
        path_for("courses.course_detail", slug=course.slug),
        dedupe_key=f"assigned:course:{course.id}:{due_on}",
    )
    return created


# --- who may be chosen, who is assigned -----------------------------------------------


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


PICKER_SIZE = 50  # people a picker lists at once; search narrows the rest


def search_assignable_people(
    scope: AssignScope, search: str = "", *, limit: int, keep: list[int] = ()
) -> tuple[list[User], int]:
    """Up to `limit` active people the assigner may choose whose name, email or team
    contains `search`, by name, plus the people in `keep` (already ticked) that the
    assigner may choose; and how many match in all."""
    query = sa.select(User).outerjoin(Team, Team.id == User.team_id)
    query = query.where(User.is_active_account)
    if not scope.unrestricted:
        query = query.where(User.team_id.in_(scope.team_ids or []))
    words = search.strip().lower()
    if words:
        query = query.where(
            sa.or_(
                *(
                    sa.func.lower(column).contains(words, autoescape=True)
                    for column in (User.name, User.email, Team.name)
                )
            )
        )
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            query.with_only_columns(User.id).subquery()
        )
    )
    ordered = query.order_by(User.name, User.id)
    found = {u.id: u for u in db.session.scalars(ordered.limit(limit))}
    missing = [i for i in keep if i not in found]
    if missing:
        kept = sa.select(User).where(User.id.in_(missing), User.is_active_account)
        if not scope.unrestricted:
            kept = kept.where(User.team_id.in_(scope.team_ids or []))
        found.update((u.id, u) for u in db.session.scalars(kept))
    return sorted(found.values(), key=lambda u: (u.name, u.id)), total


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
        missing = len(chosen) != len(set(user_ids))
        if not scope.unrestricted and (missing or not all(map(scope.allows, chosen))):
            # One answer whether the id is unknown, deactivated or in another team,
            # and never the person's name: the assigner may not see them.
            raise PermissionDeniedError(
                "You can assign only to people in teams you manage."
            )
        if missing:
            raise ValidationError(
                "Some of the people chosen no longer have an account."
            )
        people.update((user.id, user) for user in chosen)
    if team_id is not None:
        if not scope.unrestricted and team_id not in (scope.team_ids or []):
            raise PermissionDeniedError("You can assign only to teams you manage.")
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
