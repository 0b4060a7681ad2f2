"""The courses blueprint, its Jinja globals and the look-ups its pages share.

Drafts stay invisible (404) to people who cannot author them, on every page.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from lms.courses import policies
from lms.courses.models import Course
from lms.extensions import db

bp = Blueprint("courses", __name__)
bp.add_app_template_global(policies.can_edit_course, "can_edit_course")
bp.add_app_template_global(policies.can_assign_course, "can_assign_course")


def course_or_404(slug: str) -> Course:
    course = db.one_or_404(sa.select(Course).where(Course.slug == slug))
    if not policies.can_view_course(current_user, course):
        abort(404)  # drafts do not exist for people who cannot edit them
    return course


def to_editor(course: Course, anchor: str | None = None):
    return redirect(url_for("courses.edit_course", slug=course.slug, _anchor=anchor))
