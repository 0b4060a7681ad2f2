"""The capability map: what each role may do. Object-level checks live in policies."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from lms.users.models import Role

LEARNER_CAPS = frozenset(
    {
        "learning.view",  # own courses, modules, progress
        "assessment.take",
        "profile.edit",
    }
)
TRAINER_CAPS = LEARNER_CAPS | {
    "course.author",
    "course.assign",
    "assessment.assign",  # quizzes and keying tests, to anyone
    "assessment.author",
    "assessment.review",
    "question_bank.edit",
    "skills.manage",  # the skills framework and career paths
}
MANAGER_CAPS = LEARNER_CAPS | {
    "team.view",
    "course.assign",
    "assessment.assign",  # quizzes and keying tests, to their teams' people
    "report.team",
    "mentoring.manage",  # pair mentors with the people of their teams
}
# Admins only, as every capability no role set lists: "user.admin",
# "skills.settings" (the framework's level method).
CAPABILITIES: dict[Role, frozenset[str] | None] = {
    Role.LEARNER: LEARNER_CAPS,
    Role.TRAINER: frozenset(TRAINER_CAPS),
    Role.MANAGER: frozenset(MANAGER_CAPS),
    Role.ADMIN: None,  # everything
}


def has_permission(user, capability: str) -> bool:
    """Return True when the user's role grants the capability."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    caps = CAPABILITIES.get(user.role, frozenset())
    return caps is None or capability in caps


def permission_required(capability: str) -> Callable:
    """Login redirect for anonymous users, 403 for users without the capability."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            from lms.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_permission(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.ADMIN)
