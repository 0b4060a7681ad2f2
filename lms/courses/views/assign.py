"""Assigning a course with a due date (course.assign: trainers, managers and admins).

Decisions:
- Assigning needs a due date (today or later). Trainers and admins may choose anyone;
  managers only the active members of teams they manage, and they see only those
  people in the list of assignees. Choosing a team assigns its active members.
- Only published courses can be assigned; file courses can be, like any other.
- People are ticked in a list of checkboxes found by a search of name, email or
  team (the same picker as for assessments); the list shows at most
  `PICKER_SIZE` people, plus anyone already ticked when the form comes back.
- The list of assignees pages.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from lms import clock
from lms.auth.permissions import permission_required
from lms.courses import assignments, policies, progress
from lms.courses.forms import AssignForm, PeopleSearchForm
from lms.courses.views.blueprint import bp, course_or_404, to_editor
from lms.extensions import db
from lms.forms import page_number, page_size, service_action


@bp.route("/manage/courses/<slug>/assign", methods=["GET", "POST"])
@permission_required("course.assign")
def assign_course(slug: str):
    course = course_or_404(slug)
    if not course.is_published:
        flash("Publish the course before assigning it.", "warning")
        if policies.can_edit_course(current_user, course):
            return to_editor(course)
        return redirect(url_for("courses.course_detail", slug=slug))
    scope = assignments.assign_scope(
        current_user, unrestricted=policies.assigns_to_anyone(current_user)
    )
    search = PeopleSearchForm(request.args)
    search.validate()
    teams = assignments.assignable_teams(scope)
    form = AssignForm()
    form.team.choices = [SelectChoice("", "No team")] + [
        SelectChoice(t.id, t.name) for t in teams
    ]
    form.due_on.render_kw = {"min": clock.now().date().isoformat()}
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            assignees = assignments.resolve_assignees(
                scope, form.people.data, form.team.data
            )
            created = assignments.assign_course(
                course,
                assignees,
                due_on=form.due_on.data,
                assigned_by=current_user,
                required=form.is_required,
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
    ticked = [i for i in (form.people.data or []) if isinstance(i, int)]
    people, matches = assignments.search_assignable_people(
        scope, search.q.data or "", limit=assignments.PICKER_SIZE, keep=ticked
    )
    page = db.paginate(
        assignments.assignees_query(course, scope),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    return render_template(
        "courses/course_assign.html",
        course=course,
        form=form,
        scope=scope,
        search=search,
        people=people,
        matches=matches,
        ticked=set(ticked),
        has_teams=bool(teams),
        page=page,
        done=assignments.completed_counts_by_user(
            course, [e.user_id for e in page.items]
        ),
        total=progress.module_counts([course.id]).get(course.id, 0),
        today=clock.now().date(),
    ), status
