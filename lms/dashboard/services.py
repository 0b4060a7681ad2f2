"""Read-only summaries for the landing page, one small set per role."""

from __future__ import annotations

import sqlalchemy as sa

from lms.auth.permissions import has_permission
from lms.courses import services as course_services
from lms.courses.models import Course
from lms.extensions import db
from lms.users.models import Role, Team, User


def panels_for(user: User) -> dict:
    panels: dict = {"learning": course_services.learning_summary(user)}
    if has_permission(user, "course.author"):
        panels["authoring"] = {
            "courses": db.session.scalar(
                sa.select(sa.func.count(Course.id)).where(Course.owner_id == user.id)
            ),
        }
    if user.role in (Role.MANAGER, Role.ADMIN):
        teams_query = sa.select(Team).order_by(Team.name)
        if user.role == Role.MANAGER:
            teams_query = teams_query.where(Team.manager_id == user.id)
        teams = db.session.scalars(teams_query).all()
        sizes = dict(
            db.session.execute(
                sa.select(User.team_id, sa.func.count(User.id))
                .where(User.team_id.in_([t.id for t in teams]), User.is_active_account)
                .group_by(User.team_id)
            ).all()
        )
        panels["teams"] = [{"team": t, "size": sizes.get(t.id, 0)} for t in teams]
    if user.role == Role.ADMIN:
        panels["admin"] = {
            "users": db.session.scalar(sa.select(sa.func.count(User.id))),
            "teams": db.session.scalar(sa.select(sa.func.count(Team.id))),
            "courses": db.session.scalar(sa.select(sa.func.count(Course.id))),
        }
    return panels
