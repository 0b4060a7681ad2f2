"""Learners' course pages: My learning, a course, a module, marking progress.

My learning lists every enrolment (one person's own, bounded) and pages the
catalogue of other courses.

Earned completion (lms.courses.earning): the module page shows how long is left
and whether the end still has to be reached; static/js/reading-progress.js
counts down and reports the end (a plain form does without JavaScript), and a
"Mark as complete" the server does not count yet re-renders the page with 409
and the reason. Drafts that authors preview record nothing and ask nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from lms import clock
from lms.auth.permissions import permission_required
from lms.courses import earning, policies, progress
from lms.courses.models import Course, Module
from lms.courses.views.blueprint import bp, course_or_404
from lms.errors import DomainError, wants_json
from lms.extensions import db
from lms.forms import EmptyForm, page_number, require_button_post, service_action

CATALOGUE_PAGE_SIZE = 24  # cards in rows of three


def _module_or_404(course: Course, module_id: int) -> Module:
    module = db.one_or_404(
        sa.select(Module)
        .where(Module.id == module_id, Module.course_id == course.id, Module.is_active)
        .options(joinedload(Module.course))
    )
    return module


@bp.get("/learning")
@permission_required("learning.view")
def my_learning():
    enrolled = progress.enrolled_progress(current_user)
    optional = db.paginate(
        progress.optional_courses_query(current_user),
        page=page_number(),
        per_page=CATALOGUE_PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "courses/my_learning.html",
        progress=enrolled,
        optional=optional,
        today=clock.now().date(),
    )


@bp.get("/courses/<slug>")
@login_required
def course_detail(slug: str):
    course = course_or_404(slug)
    modules = progress.active_modules(course)
    state = progress.course_progress(current_user, course)
    done = progress.completed_module_ids(current_user, course)
    resume = progress.resume_module(current_user, course) if state.enrolment else None
    return render_template(
        "courses/course_detail.html",
        course=course,
        modules=modules,
        state=state,
        done=done,
        resume=resume,
        can_edit=policies.can_edit_course(current_user, course),
        can_assign=policies.can_assign_course(current_user, course),
        is_author=policies.is_course_author(current_user, course),
        form=EmptyForm(),
        today=clock.now().date(),
    )


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug: str):
    course = course_or_404(slug)
    if EmptyForm().validate_on_submit():
        try:
            progress.enrol(current_user, course)
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for("courses.course_detail", slug=slug))
        db.session.commit()
        first = progress.resume_module(current_user, course)
        if first is not None:
            return redirect(
                url_for("courses.module_view", slug=slug, module_id=first.id)
            )
    return redirect(url_for("courses.course_detail", slug=slug))


@bp.get("/courses/<slug>/modules/<int:module_id>")
@login_required
def module_view(slug: str, module_id: int):
    course = course_or_404(slug)
    module = _module_or_404(course, module_id)
    if course.is_published:
        progress.record_visit(current_user, module)
        db.session.commit()
    return _module_page(course, module)


def _module_page(course: Course, module: Module, status: int = 200):
    modules = progress.active_modules(course)
    index = next(i for i, m in enumerate(modules) if m.id == module.id)
    done = progress.completed_module_ids(current_user, course)
    reading = None
    if course.is_published and module.id not in done:
        reading = progress.learner_reading_state(current_user, module)
    return render_template(
        "courses/module_view.html",
        course=course,
        module=module,
        modules=modules,
        index=index,
        previous=modules[index - 1] if index > 0 else None,
        following=modules[index + 1] if index + 1 < len(modules) else None,
        done=done,
        reading=reading,
        reading_messages=earning.MESSAGES,
        state=progress.course_progress(current_user, course),
        form=EmptyForm(),
    ), status


@bp.post("/courses/<slug>/modules/<int:module_id>/complete")
@login_required
def complete_module(slug: str, module_id: int):
    course = course_or_404(slug)
    module = _module_or_404(course, module_id)
    if not course.is_published:
        abort(409, "Draft courses cannot be completed.")
    if not EmptyForm().validate_on_submit():
        abort(400)
    with service_action() as action:
        state = progress.complete_module(current_user, module)
    if not action.ok:
        return _module_page(course, module, status=action.error.status)
    if state.is_complete:
        flash(f"Course complete: {course.title}. Well done!", "success")
        return redirect(url_for("courses.course_detail", slug=slug))
    following = progress.resume_module(current_user, course)
    flash(f"“{module.title}” marked complete.", "success")
    if following is not None and following.id != module.id:
        return redirect(
            url_for("courses.module_view", slug=slug, module_id=following.id)
        )
    return redirect(url_for("courses.course_detail", slug=slug))


@bp.post("/courses/<slug>/modules/<int:module_id>/end-reached")
@login_required
def module_end_reached(slug: str, module_id: int):
    """The module page saw the learner reach the end of the text: JSON for the page's
    script, a redirect back for the plain form."""
    course = course_or_404(slug)
    module = _module_or_404(course, module_id)
    require_button_post()
    try:
        reading = progress.record_end_reached(current_user, module)
    except DomainError as exc:
        db.session.rollback()
        if wants_json():
            return jsonify(error=exc.code, message=str(exc)), exc.status
        abort(exc.status, str(exc))
    db.session.commit()
    if wants_json():
        return jsonify(
            end_reached=True,
            remaining_seconds=reading.remaining_seconds if reading else 0,
            earned=reading.earned if reading else True,
        )
    flash(reading.message if reading else "Noted: you reached the end.", "info")
    return redirect(url_for("courses.module_view", slug=slug, module_id=module.id))
