"""'My skills': the signed-in learner's profile, each skill's evidence trail, and
their own view of each skill.

Decisions:
- Every active skill is listed, levels or not: "not yet shown" is something to
  work on, not something to hide. The framework is bounded (tens of skills),
  so the profile is one page; an evidence trail grows with every attempt, so
  it pages.
- The chart and the table say the same; the chart is drawn per category so it
  stays readable on a phone.
- The learner's own view of a skill is set on that skill's page, beside the
  evidence and what each level means; it is shown, never counted
  (lms.skills.evidence.self_assess).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lms.auth.permissions import permission_required
from lms.errors import NotFoundError
from lms.forms import page_number, page_size, service_action
from lms.skills import charts, evidence, profile, trail
from lms.skills.catalog_specs import level_name
from lms.skills.models import Skill
from lms.skills.views.blueprint import bp
from lms.skills.views.forms import OwnViewForm


@bp.get("/me/skills")
@permission_required("learning.view")
def my_skills():
    found = profile.profile_for(current_user)
    return render_template(
        "skills/my_skills.html",
        profile=found,
        charts=charts.profile_charts(found),
    )


@bp.get("/me/skills/<slug>")
@permission_required("learning.view")
def skill_trail(slug: str):
    skill = _skill_or_404(slug)
    form = OwnViewForm().offer(skill)
    return _render_trail(skill, form)


@bp.post("/me/skills/<slug>/own-view")
@permission_required("learning.view")
def own_view(slug: str):
    skill = _skill_or_404(slug)
    form = OwnViewForm().offer(skill)
    if form.validate_on_submit():
        with service_action() as action:
            evidence.self_assess(current_user, skill, form.level.data)
        if action.ok:
            flash(
                f"Saved: you see yourself at level {form.level.data} in {skill.name}. "
                "It shows beside your level and never changes it.",
                "success",
            )
            return redirect(url_for("skills.skill_trail", slug=slug))
    return _render_trail(skill, form), 400


def _skill_or_404(slug: str) -> Skill:
    try:
        return profile.skill_by_slug(slug)
    except NotFoundError:
        abort(404)


def _render_trail(skill: Skill, form: OwnViewForm) -> str:
    standing = profile.skill_level_for(current_user, skill)
    if not form.is_submitted() and standing.self_level:
        form.level.data = standing.self_level
    return render_template(
        "skills/skill_trail.html",
        skill=skill,
        standing=standing,
        page=trail.level_trail(
            current_user, skill, page=page_number(), per_page=page_size()
        ),
        form=form,
        level_name=level_name,
    )
