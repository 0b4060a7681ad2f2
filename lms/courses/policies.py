"""Who may see, change and assign which course. Pure predicates: no queries."""

from __future__ import annotations

from lms.auth.permissions import has_permission
from lms.users.models import Role

FILE_COURSE_MESSAGE = "This course comes from the course files; change it there."


def sees_all_courses(user) -> bool:
    """Admins manage every course; trainers see their own (and the file courses)."""
    return has_permission(user, "course.author") and user.role == Role.ADMIN


def is_course_author(user, course) -> bool:
    """The owner of a course, or an admin: they may see it while it is a draft."""
    if not has_permission(user, "course.author"):
        return False
    return user.role == Role.ADMIN or course.owner_id == user.id


def can_view_course(user, course) -> bool:
    """Published courses are open to everyone signed in; drafts to their authors and admins."""
    return course.is_published or is_course_author(user, course)


def can_edit_course(user, course) -> bool:
    """Admins edit anything; trainers edit courses they own. File content is read-only:
    the importer owns it, so it is changed in the course files, not in the browser."""
    return is_course_author(user, course) and not course.is_file_content


def can_assign_course(user, course) -> bool:
    """Trainers, managers and admins assign published courses they can see."""
    return (
        has_permission(user, "course.assign")
        and course.is_published
        and can_view_course(user, course)
    )


def assigns_to_anyone(user) -> bool:
    """Trainers and admins run the training programme and may assign to anyone;
    managers (course.assign without course.author) only to the teams they manage."""
    return has_permission(user, "course.assign") and has_permission(
        user, "course.author"
    )
