"""Who may see and change which course."""

from __future__ import annotations

from lms.auth.permissions import has_permission
from lms.users.models import Role


def can_view_course(user, course) -> bool:
    """Published courses are open to everyone signed in; drafts to their authors and admins."""
    return course.is_published or can_edit_course(user, course)


def can_edit_course(user, course) -> bool:
    """Admins edit anything; trainers edit courses they own. File content is read-only."""
    if not has_permission(user, "course.author"):
        return False
    return user.role == Role.ADMIN or course.owner_id == user.id
