"""'My career': the career paths, the learner's goal, its gaps, readiness and
recommended next steps.

Decisions:
- Any role on any path may be a goal, a side path's too. `?role=<slug>` shows
  what a role needs (gaps and readiness) before choosing it; only the goal's
  role gets recommendations, so the page stays about one target.
- The current role on a path is the one whose name matches the person's job
  title; nothing else records where someone stands on the ladder.
- A refused goal (a date not after today, an unknown role) re-renders the page
  with the reason beside the field and the typed values kept (400).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms import clock
from lms.auth.permissions import permission_required
from lms.errors import NotFoundError
from lms.extensions import db
from lms.forms import EmptyForm, require_button_post
from lms.skills import goals, profile, recommendations
from lms.skills.goals import GoalError, PathRoles
from lms.skills.views.blueprint import bp
from lms.skills.views.forms import GoalForm


@bp.get("/me/career")
@permission_required("learning.view")
def my_career():
    ladder = goals.career_ladder()
    form = GoalForm().offer(ladder)
    found = profile.profile_for(current_user)
    preview_slug = request.args.get("role", "")
    if found.goal is not None and not form.is_submitted():
        form.role.data = preview_slug or found.goal.role.slug
        form.target_date.data = found.goal.goal.target_date
        form.note.data = found.goal.goal.note
    elif preview_slug:
        form.role.data = preview_slug
    return _render(ladder, form, found, preview_slug)


@bp.post("/me/career/goal")
@permission_required("learning.view")
def set_goal():
    ladder = goals.career_ladder()
    form = GoalForm().offer(ladder)
    if form.validate_on_submit():
        try:
            role = goals.role_by_slug(form.role.data)
            goal = goals.set_goal(
                current_user, role, form.target_date.data, form.note.data or ""
            )
        except NotFoundError:
            db.session.rollback()
            form.role.errors = ["Choose a role from the career paths."]
        except GoalError as exc:
            db.session.rollback()
            form.target_date.errors = [str(exc)]
        else:
            db.session.commit()
            flash(
                f"Your goal is {role.name} by {goal.target_date:%d %b %Y}.", "success"
            )
            return redirect(url_for("skills.my_career", _anchor="goal"))
    found = profile.profile_for(current_user)
    return _render(ladder, form, found, form.role.data or ""), 400


@bp.post("/me/career/goal/drop")
@permission_required("learning.view")
def drop_goal():
    require_button_post()
    try:
        goals.drop_goal(current_user)
    except GoalError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash("Goal dropped. Pick another role whenever you are ready.", "info")
    return redirect(url_for("skills.my_career"))


def _render(
    ladder: list[PathRoles], form: GoalForm, found: profile.Profile, preview_slug: str
) -> str:
    goal = found.goal
    steps: list[dict[str, Any]] = []
    if goal is not None:
        names = {gap.skill.id: gap.skill.name for gap in goal.outlook.gaps}
        steps = recommendations.explained(
            recommendations.recommend(current_user, goal.outlook.gaps),
            goal.role.name,
            names,
        )
    return render_template(
        "skills/my_career.html",
        profile=found,
        goal=goal,
        steps=steps,
        ladder=ladder,
        current_role_ids=_current_role_ids(ladder, current_user.job_title),
        preview=_preview(ladder, found, preview_slug),
        unknown_role=bool(preview_slug) and _find(ladder, preview_slug) is None,
        form=form,
        drop_form=EmptyForm(),
        today=clock.now().date(),
    )


def _preview(
    ladder: list[PathRoles], found: profile.Profile, slug: str
) -> profile.RoleOutlook | None:
    """What another role than the goal's needs, when the person asked to see it."""
    role = _find(ladder, slug)
    if role is None or (found.goal is not None and found.goal.role.id == role.id):
        return None
    return profile.role_outlook(found.user, role, found.levels)


def _find(ladder: list[PathRoles], slug: str):
    return next((r for entry in ladder for r in entry.roles if r.slug == slug), None)


def _current_role_ids(ladder: list[PathRoles], job_title: str | None) -> set[int]:
    title = (job_title or "").strip().casefold()
    if not title:
        return set()
    return {
        role.id
        for entry in ladder
        for role in entry.roles
        if role.name.strip().casefold() == title
    }
