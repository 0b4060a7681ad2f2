"""A person's career goal: the role they aim for and by when.

* One active goal per person. Setting a goal for another role ends the active
  one (status "replaced") and starts a new one, so the history of goals stays;
  setting it again for the same role only moves the date.
* The target date must be after today (lms.clock) and within ten years.
* `drop_goal` ends the active goal (status "dropped").
* `career_ladder()` reads the paths with their roles in order, for choosing a
  goal: the main ladder first, side paths after.

Services flush; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms import clock
from lms.errors import NotFoundError, ValidationError
from lms.extensions import db
from lms.skills.models import CareerGoal, CareerPath, CareerRole
from lms.users.models import User

GOAL_ACTIVE = "active"
GOAL_REPLACED = "replaced"
GOAL_DROPPED = "dropped"
MAX_YEARS_AHEAD = 10


class GoalError(ValidationError):
    """A career goal that cannot be set as asked; the message says why."""


@dataclass(frozen=True)
class PathRoles:
    """A career path with its roles, lowest step first."""

    path: CareerPath
    roles: list[CareerRole]


def active_goal(user: User) -> CareerGoal | None:
    """The person's active goal with its role and path loaded, or None."""
    return db.session.scalars(
        sa.select(CareerGoal)
        .where(CareerGoal.user_id == user.id, CareerGoal.status == GOAL_ACTIVE)
        .options(joinedload(CareerGoal.role).joinedload(CareerRole.path))
    ).first()


def role_by_slug(slug: str) -> CareerRole:
    role = db.session.scalars(
        sa.select(CareerRole)
        .where(CareerRole.slug == (slug or "").strip())
        .options(joinedload(CareerRole.path))
    ).first()
    if role is None:
        raise NotFoundError("There is no such role in the career paths.")
    return role


def career_ladder() -> list[PathRoles]:
    """Every path with its roles in order; the main ladder before side paths."""
    roles = db.session.scalars(
        sa.select(CareerRole)
        .join(CareerRole.path)
        .options(joinedload(CareerRole.path))
        .order_by(
            CareerPath.is_side_path,
            CareerPath.position,
            CareerPath.name,
            CareerRole.position,
            CareerRole.name,
        )
    ).all()
    ladder: list[PathRoles] = []
    for role in roles:
        if not ladder or ladder[-1].path.id != role.path_id:
            ladder.append(PathRoles(role.path, []))
        ladder[-1].roles.append(role)
    return ladder


def check_target_date(target_date: date | None) -> date:
    """The date a goal may aim at: after today and within ten years."""
    if target_date is None:
        raise GoalError("Choose a target date for your goal.")
    today = clock.now().date()
    if target_date <= today:
        raise GoalError(
            f"Choose a target date after today ({today:%d %b %Y}): "
            "a goal needs time to work towards."
        )
    if target_date.year > today.year + MAX_YEARS_AHEAD:
        raise GoalError(
            f"Choose a target date within the next {MAX_YEARS_AHEAD} years."
        )
    return target_date


def set_goal(
    user: User, role: CareerRole, target_date: date | None, note: str = ""
) -> CareerGoal:
    """Make `role` by `target_date` the person's one active goal."""
    target_date = check_target_date(target_date)
    now = clock.now()
    current = active_goal(user)
    if current is not None and current.role_id == role.id:
        current.target_date = target_date
        current.note = note or current.note
        current.updated_at = now
        db.session.flush()
        return current
    if current is not None:
        current.status = GOAL_REPLACED
        current.updated_at = now
        # The old goal stops being active before the new one starts (one active
        # goal per person is a unique index).
        db.session.flush()
    goal = CareerGoal(
        user_id=user.id,
        role_id=role.id,
        target_date=target_date,
        status=GOAL_ACTIVE,
        note=note,
        created_at=now,
        updated_at=now,
    )
    db.session.add(goal)
    db.session.flush()
    goal.role = role
    return goal


def drop_goal(user: User) -> CareerGoal:
    """End the person's active goal without a new one."""
    goal = active_goal(user)
    if goal is None:
        raise GoalError("You have no career goal to drop.")
    goal.status = GOAL_DROPPED
    goal.updated_at = clock.now()
    db.session.flush()
    return goal
