"""Trainers' course pages (course.author): their course list, creating and editing
courses and modules with a live Markdown preview, publishing, retiring and
reordering modules.

Decisions:
- A course's short name (slug) is chosen at creation and never changes: it is the
  stable identifier used in addresses and by content files.
- Courses from the course files (origin "file") are read-only for everyone, admins
  included: the edit pages answer 403 with "change it there". They can be assigned.
- Authors who cannot change a course they can see get 403 (drafts they cannot see
  stay 404, as on every course page).
- Modules are never deleted. Retiring hides a module and keeps all progress; a
  retired module can be restored at the end. The last module of a published course
  cannot be retired (unpublish first), as a published course needs a module.
  Retiring or adding modules does not re-open or complete existing enrolments.
- The trainer's course list pages.
- A course from the files can be copied by any author into an editable draft of
  their own ("Make an editable copy", lms.content.copies); the file course
  stays as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from lms.auth.permissions import permission_required
from lms.content import copies
from lms.courses import authoring, policies, progress
from lms.courses.earning import CompletionRules
from lms.courses.forms import MAX_MARKDOWN_CHARS, CourseForm, ModuleForm, NewCourseForm
from lms.courses.models import Course, Module
from lms.courses.views.blueprint import bp, course_or_404, to_editor
from lms.errors import PermissionDeniedError
from lms.extensions import db
from lms.forms import (
    json_object,
    page_number,
    page_size,
    require_button_post,
    service_action,
)
from lms.markdown import render_lesson

# --- trainers: the course list ------------------------------------------------------


@bp.get("/manage/courses")
@permission_required("course.author")
def manage_list():
    owner = None if policies.sees_all_courses(current_user) else current_user
    page = db.paginate(
        authoring.manageable_courses_query(owner),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    ids = [c.id for c in page.items]
    return render_template(
        "courses/course_list.html",
        page=page,
        module_counts=progress.module_counts(ids),
        enrolment_counts=authoring.enrolment_counts(ids),
        sees_all=owner is None,
    )


# --- trainers: creating and editing a course ----------------------------------------


def _authored_course(slug: str) -> Course:
    """The course for an authoring page: 404 if the user cannot see it, 403 if they
    cannot change it, and a clear refusal for file courses, which the importer owns."""
    course = course_or_404(slug)
    if course.is_file_content:
        raise PermissionDeniedError(policies.FILE_COURSE_MESSAGE)
    if not policies.can_edit_course(current_user, course):
        abort(403)
    return course


def _authored_module(course: Course, module_id: int, *, active: bool = True) -> Module:
    return db.one_or_404(
        sa.select(Module).where(
            Module.id == module_id,
            Module.course_id == course.id,
            Module.is_active.is_(active),
        )
    )


@bp.route("/manage/courses/new", methods=["GET", "POST"])
@permission_required("course.author")
def new_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        with service_action() as action:
            course = authoring.create_course(
                current_user,
                title=form.title.data,
                summary=form.summary.data,
                slug=form.slug.data or None,
                level=form.level.data or None,
                estimated_minutes=form.estimated_minutes.data,
                skills=form.skill_slugs,
                completion_rules=form.completion_rules,
            )
        if action.ok:
            flash(
                f"“{course.title}” is created as a draft. Add its modules, then "
                "publish it.",
                "success",
            )
            return to_editor(course)
    status = 400 if form.is_submitted() else 200
    return render_template("courses/course_new.html", form=form), status


def _course_form_data(course: Course) -> dict:
    return {
        "title": course.title,
        "summary": course.summary,
        "level": course.level or "",
        "estimated_minutes": course.estimated_minutes,
        "skills": ", ".join(course.skills or []),
        **CompletionRules.from_stored(course.completion_rules).to_stored(),
    }


@bp.route("/manage/courses/<slug>/edit", methods=["GET", "POST"])
@permission_required("course.author")
def edit_course(slug: str):
    course = _authored_course(slug)
    form = CourseForm(data=_course_form_data(course))
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            authoring.update_course(
                course,
                title=form.title.data,
                summary=form.summary.data,
                level=form.level.data or None,
                estimated_minutes=form.estimated_minutes.data,
                skills=form.skill_slugs,
                completion_rules=form.completion_rules,
            )
        if action.ok:
            flash("Course details saved.", "success")
            return to_editor(course)
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "courses/course_edit.html",
        course=course,
        form=form,
        modules=progress.active_modules(course),
        retired=authoring.retired_modules(course),
        learners=authoring.enrolment_counts([course.id]).get(course.id, 0),
    ), status


@bp.post("/manage/courses/<slug>/publish")
@permission_required("course.author")
def publish_course(slug: str):
    return _set_published(slug, True)


@bp.post("/manage/courses/<slug>/unpublish")
@permission_required("course.author")
def unpublish_course(slug: str):
    return _set_published(slug, False)


def _set_published(slug: str, published: bool):
    course = _authored_course(slug)
    require_button_post()
    with service_action() as action:
        authoring.set_published(course, published)
    if action.ok:
        if published:
            flash(f"“{course.title}” is published: learners can find it.", "success")
        else:
            flash(
                f"“{course.title}” is back to draft. People already enrolled keep "
                "their progress but cannot open it until you publish it again.",
                "info",
            )
    return to_editor(course)


@bp.post("/manage/courses/<slug>/copy")
@permission_required("course.author")
def copy_course(slug: str):
    course = course_or_404(slug)
    require_button_post()
    with service_action() as action:
        copy = copies.copy_course(course, current_user)
    if not action.ok:
        return redirect(url_for("courses.course_detail", slug=slug))
    flash(
        f"“{copy.title}” is your editable copy, a draft: change its details and "
        "modules, then publish it. The course from the files stays as it is.",
        "success",
    )
    return to_editor(copy)


# --- trainers: modules ----------------------------------------------------------------


@bp.route("/manage/courses/<slug>/modules/new", methods=["GET", "POST"])
@permission_required("course.author")
def new_module(slug: str):
    course = _authored_course(slug)
    return _module_editor(course, None)


@bp.route(
    "/manage/courses/<slug>/modules/<int:module_id>/edit", methods=["GET", "POST"]
)
@permission_required("course.author")
def edit_module(slug: str, module_id: int):
    course = _authored_course(slug)
    return _module_editor(course, _authored_module(course, module_id))


def _module_editor(course: Course, module: Module | None):
    data = {}
    if module is not None:
        data = {
            "title": module.title,
            "minutes": module.minutes,
            "body_md": module.body_md,
        }
    form = ModuleForm(data=data)
    status = 200
    if form.is_submitted() and form.preview.data:
        pass  # "Preview" without JavaScript: show the rendered text, save nothing
    elif form.validate_on_submit():
        with service_action() as action:
            saved = authoring.save_module(
                course,
                module,
                title=form.title.data,
                body_md=form.body_md.data,
                minutes=form.minutes.data,
            )
        if action.ok:
            flash(f"Module “{saved.title}” saved.", "success")
            return to_editor(course, "modules")
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "courses/module_edit.html",
        course=course,
        module=module,
        form=form,
        preview_html=render_lesson(form.body_md.data or ""),
    ), status


@bp.post("/manage/courses/<slug>/modules/<int:module_id>/move")
@permission_required("course.author")
def move_module(slug: str, module_id: int):
    course = _authored_course(slug)
    module = _authored_module(course, module_id)
    require_button_post()
    direction = request.form.get("direction", "")
    with service_action():
        authoring.move_module(course, module, direction)
    return to_editor(course, "modules")


@bp.post("/manage/courses/<slug>/modules/<int:module_id>/retire")
@permission_required("course.author")
def retire_module(slug: str, module_id: int):
    course = _authored_course(slug)
    module = _authored_module(course, module_id)
    require_button_post()
    with service_action() as action:
        authoring.retire_module(course, module)
    if action.ok:
        flash(
            f"Module “{module.title}” is retired. Learners' progress on it is kept; "
            "you can restore it below.",
            "info",
        )
    return to_editor(course, "modules")


@bp.post("/manage/courses/<slug>/modules/<int:module_id>/restore")
@permission_required("course.author")
def restore_module(slug: str, module_id: int):
    course = _authored_course(slug)
    module = _authored_module(course, module_id, active=False)
    require_button_post()
    authoring.restore_module(course, module)
    db.session.commit()
    flash(f"Module “{module.title}” is back, at the end of the course.", "success")
    return to_editor(course, "modules")


@bp.post("/manage/preview")
@permission_required("course.author")
def preview_markdown():
    """Render Markdown exactly as saving would, for the editor's live preview."""
    if request.is_json:
        text = (json_object() or {}).get("markdown")
    else:
        text = request.form.get("markdown")
    if not isinstance(text, str):
        return jsonify(
            error="invalid", message="Send the Markdown text as “markdown”."
        ), 400
    if len(text) > MAX_MARKDOWN_CHARS:
        return jsonify(
            error="too_large",
            message=f"The preview is limited to {MAX_MARKDOWN_CHARS:,} characters.",
        ), 413
    response = jsonify(html=render_lesson(text))
    response.headers["Cache-Control"] = "no-store"
    return response
