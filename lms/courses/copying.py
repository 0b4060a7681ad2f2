"""An editable copy of a course from the course files (lms.copies has the rules
every copy shares): a draft browser course owned by the trainer, with the
course's details and a copy of each of its current modules (retired ones are
not copied). Learners' enrolments and progress stay with the original."""

from __future__ import annotations

from lms.copies import copied_values, editable_copy
from lms.courses.models import Course, Module
from lms.courses.progress import active_modules
from lms.errors import ValidationError
from lms.extensions import db
from lms.users.models import User

MODULE_NOT_COPIED = frozenset({"id", "course_id", "updated_at"})


def copy_course(course: Course, owner: User) -> Course:
    """A draft copy of a file course owned by `owner`. Flushes."""
    if not course.is_file_content:
        raise ValidationError(
            "Only courses from the files are copied this way; a course of the "
            "browser is edited directly."
        )
    copy = editable_copy(course, owner)
    db.session.add(copy)
    db.session.flush()
    for module in active_modules(course):
        db.session.add(
            Module(**copied_values(module, skip=MODULE_NOT_COPIED), course_id=copy.id)
        )
    db.session.flush()
    return copy
