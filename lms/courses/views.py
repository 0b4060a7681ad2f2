"""Course pages.

Learners: My learning, a course, a module, marking progress.
Trainers (course.author): their course list, creating and editing courses and
modules with a live Markdown preview, publishing, retiring and reordering modules.
Trainers, managers and admins (course.assign): assigning a course with a due date.

Decisions:
- A course's short name (slug) is chosen at creation and never changes: it is the
  stable identifier used in addresses and by content files.
- Courses from the course files (origin "file") are read-only for everyone, admins
  included: the edit pages answer 403 with "change it there". They can be assigned.
- Drafts stay invisible (404) to people who cannot author them, on every page;
  authors who cannot change a course they can see get 403.
- Modules are never deleted. Retiring hides a module and keeps all progress; a
  retired module can be restored at the end. The last module of a published course
  cannot be retired (unpublish first), as a published course needs a module.
  Retiring or adding modules does not re-open or complete existing enrolments.
- Assigning needs a due date (today or later). Trainers and admins may choose anyone;
  managers only the active members of teams they manage, and they see only those
  people in the list of assignees. Choosing a team assigns its active members.
- My learning lists every enrolment (one person's own, bounded) and pages the
  catalogue of other courses; the trainer list and the assignee list page too.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from lms import clock
from lms.auth.permissions import permission_required
from lms.courses import policies, services
from lms.courses.forms import (
    MAX_MARKDOWN_CHARS,
    AssignForm,
    CourseForm,
    ModuleForm,
    NewCourseForm,
)
from lms.courses.models import Course, Module
from lms.errors import DomainError, PermissionDeniedError
from lms.extensions import db
from lms.forms import (
    EmptyForm,
    page_number,
    page_size,
    require_button_post,
    service_action,
)
from lms.markdown import render_markdown

bp = Blueprint("courses", __name__)
bp.add_app_template_global(policies.can_edit_course, "can_edit_course")
bp.add_app_template_global(policies.can_assign_course, "can_assign_course")

CATALOGUE_PAGE_SIZE = 24  # cards in rows of three


def _course_or_404(slug: str) -> Course:
    course = db.one_or_404(sa.select(Course).where(Course.slug == slug))
    if not policies.can_view_course(current_user, course):
        abort(404)  # drafts do not exist for people who cannot edit them
    return course


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
    progress = services.enrolled_progress(current_user)
    optional = db.paginate(
        services.optional_courses_query(current_user),
        page=page_number(),
        per_page=CATALOGUE_PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "courses/my_learning.html",
        progress=progress,
        optional=optional,
        today=clock.now().date(),
    )


@bp.get("/courses/<slug>")
@login_required
def course_detail(slug: str):
    course = _course_or_404(slug)
    modules = services.active_modules(course)
    state = services.course_progress(current_user, course)
    done = services.completed_module_ids(current_user, course)
    resume = services.resume_module(current_user, course) if state.enrolment else None
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
    course = _course_or_404(slug)
    if EmptyForm().validate_on_submit():
        try:
            services.enrol(current_user, course)
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for("courses.course_detail", slug=slug))
        db.session.commit()
        first = services.resume_module(current_user, course)
        if first is not None:
            return redirect(
                url_for("courses.module_view", slug=slug, module_id=first.id)
            )
    return redirect(url_for("courses.course_detail", slug=slug))


@bp.get("/courses/<slug>/modules/<int:module_id>")
@login_required
def module_view(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    if course.is_published:
        services.record_visit(current_user, module)
        db.session.commit()
    modules = services.active_modules(course)
    index = next(i for i, m in enumerate(modules) if m.id == module.id)
    done = services.completed_module_ids(current_user, course)
    return render_template(
        "courses/module_view.html",
        course=course,
        module=module,
        modules=modules,
        index=index,
        previous=modules[index - 1] if index > 0 else None,
        following=modules[index + 1] if index + 1 < len(modules) else None,
        done=done,
        state=services.course_progress(current_user, course),
        form=EmptyForm(),
    )


@bp.post("/courses/<slug>/modules/<int:module_id>/complete")
@login_required
def complete_module(slug: str, module_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_id)
    if not course.is_published:
        abort(409, "Draft courses cannot be completed.")
    if not EmptyForm().validate_on_submit():
        abort(400)
    state = services.complete_module(current_user, module)
    db.session.commit()
    if state.is_complete:
        flash(f"Course complete: {course.title}. Well done!", "success")
        return redirect(url_for("courses.course_detail", slug=slug))
    following = services.resume_module(current_user, course)
    flash(f"“{module.title}” marked complete.", "success")
    if following is not None and following.id != module.id:
        return redirect(
            url_for("courses.module_view", slug=slug, module_id=following.id)
        )
    return redirect(url_for("courses.course_detail", slug=slug))


# --- trainers: the course list ------------------------------------------------------


@bp.get("/manage/courses")
@permission_required("course.author")
def manage_list():
    owner = None if policies.sees_all_courses(current_user) else current_user
    page = db.paginate(
        services.manageable_courses_query(owner),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    ids = [c.id for c in page.items]
    return render_template(
        "courses/course_list.html",
        page=page,
        module_counts=services.module_counts(ids),
        enrolment_counts=services.enrolment_counts(ids),
        sees_all=owner is None,
    )


# --- trainers: creating and editing a course ----------------------------------------


def _authored_course(slug: str) -> Course:
    """The course for an authoring page: 404 if the user cannot see it, 403 if they
    cannot change it, and a clear refusal for file courses, which the importer owns."""
    course = _course_or_404(slug)
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


def _to_editor(course: Course, anchor: str | None = None):
    return redirect(url_for("courses.edit_course", slug=course.slug, _anchor=anchor))


@bp.route("/manage/courses/new", methods=["GET", "POST"])
@permission_required("course.author")
def new_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        with service_action() as action:
            course = services.create_course(
                current_user,
                title=form.title.data,
                summary=form.summary.data,
                slug=form.slug.data or None,
                level=form.level.data or None,
                estimated_minutes=form.estimated_minutes.data,
                skills=form.skill_slugs,
            )
        if action.ok:
            flash(
                f"“{course.title}” is created as a draft. Add its modules, then "
                "publish it.",
                "success",
            )
            return _to_editor(course)
    status = 400 if form.is_submitted() else 200
    return render_template("courses/course_new.html", form=form), status


def _course_form_data(course: Course) -> dict:
    return {
        "title": course.title,
        "summary": course.summary,
        "level": course.level or "",
        "estimated_minutes": course.estimated_minutes,
        "skills": ", ".join(course.skills or []),
    }


@bp.route("/manage/courses/<slug>/edit", methods=["GET", "POST"])
@permission_required("course.author")
def edit_course(slug: str):
    course = _authored_course(slug)
    form = CourseForm(data=_course_form_data(course))
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            services.update_course(
                course,
                title=form.title.data,
                summary=form.summary.data,
                level=form.level.data or None,
                estimated_minutes=form.estimated_minutes.data,
                skills=form.skill_slugs,
            )
        if action.ok:
            flash("Course details saved.", "success")
            return _to_editor(course)
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "courses/course_edit.html",
        course=course,
        form=form,
        modules=services.active_modules(course),
        retired=services.retired_modules(course),
        learners=services.enrolment_counts([course.id]).get(course.id, 0),
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
        services.set_published(course, published)
    if action.ok:
        if published:
            flash(f"“{course.title}” is published: learners can find it.", "success")
        else:
            flash(
                f"“{course.title}” is back to draft. People already enrolled keep "
                "their progress but cannot open it until you publish it again.",
                "info",
            )
    return _to_editor(course)


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
            saved = services.save_module(
                course,
                module,
                title=form.title.data,
                body_md=form.body_md.data,
                minutes=form.minutes.data,
            )
        if action.ok:
            flash(f"Module “{saved.title}” saved.", "success")
            return _to_editor(course, "modules")
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "courses/module_edit.html",
        course=course,
        module=module,
        form=form,
        preview_html=render_markdown(form.body_md.data or ""),
    ), status


@bp.post("/manage/courses/<slug>/modules/<int:module_id>/move")
@permission_required("course.author")
def move_module(slug: str, module_id: int):
    course = _authored_course(slug)
    module = _authored_module(course, module_id)
    require_button_post()
    direction = request.form.get("direction", "")
    with service_action():
        services.move_module(course, module, direction)
    return _to_editor(course, "modules")


@bp.post("/manage/courses/<slug>/modules/<int:module_id>/retire")
@permission_required("course.author")
def retire_module(slug: str, module_id: int):
    course = _authored_course(slug)
    module = _authored_module(course, module_id)
    require_button_post()
    with service_action() as action:
        services.retire_module(course, module)
    if action.ok:
        flash(
            f"Module “{module.title}” is retired. Learners' progress on it is kept; "
            "you can restore it below.",
            "info",
        )
    return _to_editor(course, "modules")


@bp.post("/manage/courses/<slug>/modules/<int:module_id>/restore")
@permission_required("course.author")
def restore_module(slug: str, module_id: int):
    course = _authored_course(slug)
    module = _authored_module(course, module_id, active=False)
    require_button_post()
    services.restore_module(course, module)
    db.session.commit()
    flash(f"Module “{module.title}” is back, at the end of the course.", "success")
    return _to_editor(course, "modules")


@bp.post("/manage/preview")
@permission_required("course.author")
def preview_markdown():
    """Render Markdown exactly as saving would, for the editor's live preview."""
    payload = request.get_json(silent=True)
    if isinstance(payload, dict):
        text = payload.get("markdown")
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
    response = jsonify(html=render_markdown(text))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- trainers, managers and admins: assigning ------------------------------------------


@bp.route("/manage/courses/<slug>/assign", methods=["GET", "POST"])
@permission_required("course.assign")
def assign_course(slug: str):
    course = _course_or_404(slug)
    if not course.is_published:
        flash("Publish the course before assigning it.", "warning")
        if policies.can_edit_course(current_user, course):
            return _to_editor(course)
        return redirect(url_for("courses.course_detail", slug=slug))
    scope = services.assign_scope(
        current_user, unrestricted=policies.assigns_to_anyone(current_user)
    )
    teams = services.assignable_teams(scope)
    people = services.assignable_people(scope)
    team_names = {t.id: t.name for t in teams}
    form = AssignForm()
    form.people.choices = [
        SelectChoice(
            u.id,
            f"{u.name} · {u.email}"
            + (f" · {team_names[u.team_id]}" if u.team_id in team_names else ""),
        )
        for u in people
    ]
    form.team.choices = [SelectChoice("", "No team")] + [
        SelectChoice(t.id, t.name) for t in teams
    ]
    form.due_on.render_kw = {"min": clock.now().date().isoformat()}
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            assignees = services.resolve_assignees(
                scope, form.people.data, form.team.data
            )
            created = services.assign_course(
                course, assignees, due_on=form.due_on.data, assigned_by=current_user
            )
        if action.ok:
            updated = len(assignees) - created
            message = f"“{course.title}” assigned to {len(assignees)} " + (
                "person" if len(assignees) == 1 else "people"
            )
            if updated:
                message += f" ({updated} already enrolled: due date updated)"
            flash(message + ".", "success")
            return redirect(url_for("courses.assign_course", slug=slug))
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    page = db.paginate(
        services.assignees_query(course, scope),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    return render_template(
        "courses/course_assign.html",
        course=course,
        form=form,
        scope=scope,
        has_people=bool(people),
        page=page,
        done=services.completed_counts_by_user(course, [e.user_id for e in page.items]),
        total=services.module_counts([course.id]).get(course.id, 0),
        today=clock.now().date(),
    ), status
