"""Assigning courses: whom an assigner may choose, assigning with a due date, and
the list of people a course is assigned to. Services flush; callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lms import clock
from lms.courses.models import Course, Enrolment, Module, ModuleProgress
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.users.models import Team, User
from lms.users.services import team_members, teams_managed_by


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
