"""Assignment pages (blueprint "assignments"), for trainers, managers and admins
(capability "assessment.assign"; lms.assignments.policies):

* /assessments/<slug>/assign: assign a published quiz or keying test to people
  found by search (a list of checkboxes) or to a whole team, with a due date,
  required or optional; beside it, who it is assigned to and where each stands
  (not passed first, filterable to "not passed" or "overdue"), names linked to the
  person page where the viewer may open it.
* /assignments: per assessment and due date, how many of the assigner's people
  were assigned, passed, have not passed, are overdue.

Managers see and choose only the people of their teams; trainers and admins
everyone. A refusal never names someone the assigner may not see.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from lms import clock
from lms.assignments import (
    policies,
    queries,
    reminders,  # noqa: F401 (importing it registers the sweep's reminders)
    services,
)
from lms.assignments.forms import AssessmentAssignForm, PeopleSearchForm
from lms.attempts import kinds
from lms.attempts.queries import get_published
from lms.auth.permissions import permission_required
from lms.courses.assignments import (
    PICKER_SIZE,
    assignable_teams,
    resolve_assignees,
    search_assignable_people,
)
from lms.errors import NotFoundError
from lms.extensions import db
from lms.forms import page_number, page_size, service_action
from lms.people.policies import only_visible_to
from lms.users.models import User

bp = Blueprint("assignments", __name__)
bp.add_app_template_global(policies.can_assign_assessment, "can_assign_assessment")


@bp.app_template_global("my_assessment_assignments")
def my_assessment_assignments():
    """The signed-in learner's assigned assessments, for My learning."""
    return queries.my_assessment_assignments(current_user)


def _assessment_or_404(slug: str):
    try:
        return get_published(slug)
    except NotFoundError:
        abort(404)


def _show() -> str:
    show = request.args.get("show", "all")
    return show if show in queries.SHOW else "all"


@bp.route("/assessments/<slug>/assign", methods=["GET", "POST"])
@permission_required(policies.ASSIGN_CAPABILITY)
def assign(slug: str):
    assessment = _assessment_or_404(slug)
    scope = policies.scope_for(current_user)
    search = PeopleSearchForm(request.args)
    search.validate()
    form = AssessmentAssignForm()
    teams = assignable_teams(scope)
    form.team.choices = [SelectChoice("", "No team")] + [
        SelectChoice(t.id, t.name) for t in teams
    ]
    form.due_on.render_kw = {"min": clock.now().date().isoformat()}
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            people = resolve_assignees(scope, form.people.data, form.team.data)
            outcome = services.assign_assessment(
                assessment,
                people,
                due_on=form.due_on.data,
                required=form.is_required,
                by=current_user,
            )
        if action.ok:
            flash(_assigned_message(assessment, outcome), "success")
            return redirect(url_for("assignments.assign", slug=slug))
        status = 400
    elif form.is_submitted():
        status = 400
    ticked = [i for i in (form.people.data or []) if isinstance(i, int)]
    people, matches = search_assignable_people(
        scope, search.q.data or "", limit=PICKER_SIZE, keep=ticked
    )
    today = clock.now().date()
    show = _show()
    page = queries.assignees_page(
        assessment,
        scope,
        show=show,
        today=today,
        page=page_number(),
        per_page=page_size(),
    )
    return render_template(
        "assignments/assessment_assign.html",
        assessment=assessment,
        kind_label=_kind_label(assessment.kind),
        form=form,
        search=search,
        people=people,
        matches=matches,
        ticked=set(ticked),
        has_teams=bool(teams),
        scope=scope,
        page=page,
        show=show,
        today=today,
        visible=_visible_ids([r.assignment.user_id for r in page.items]),
    ), status


@bp.get("/assignments")
@permission_required(policies.ASSIGN_CAPABILITY)
def status():
    scope = policies.scope_for(current_user)
    today = clock.now().date()
    page = queries.assignment_status_page(
        scope, today, page=page_number(), per_page=page_size()
    )
    return render_template(
        "assignments/assignment_status.html",
        page=page,
        scope=scope,
        today=today,
        kind_label=_kind_label,
    )


def _assigned_message(assessment, outcome) -> str:
    people = "person" if outcome.total == 1 else "people"
    message = f"“{assessment.title}” assigned to {outcome.total} {people}"
    if outcome.updated:
        message += f" ({outcome.updated} already assigned: due date updated)"
    return message + "."


def _kind_label(kind: str) -> str:
    return kinds.get(kind).label if kinds.is_registered(kind) else kind


def _visible_ids(user_ids: list[int]) -> set[int]:
    """Which of these people the viewer may open the person page of (one query)."""
    if not user_ids:
        return set()
    query = only_visible_to(
        current_user, sa.select(User.id).where(User.id.in_(user_ids))
    )
    return set(db.session.scalars(query))
