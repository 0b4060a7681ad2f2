"""'My skills': the signed-in learner's profile, and each skill's evidence trail.

Decisions:
- Every active skill is listed, levels or not: "not yet shown" is something to
  work on, not something to hide. The framework is bounded (tens of skills),
  so the profile is one page; an evidence trail grows with every attempt, so
  it pages.
- The chart and the table say the same; the chart is drawn per category so it
  stays readable on a phone.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from lms.attempts import links
from lms.auth.permissions import permission_required
from lms.errors import NotFoundError
from lms.extensions import db
from lms.forms import page_number, page_size
from lms.skills import charts, profile
from lms.skills.models import SkillEvidence
from lms.skills.views.blueprint import bp


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
    try:
        skill = profile.skill_by_slug(slug)
    except NotFoundError:
        abort(404)
    page = db.paginate(
        profile.evidence_trail(current_user, skill),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    return render_template(
        "skills/skill_trail.html",
        skill=skill,
        standing=profile.skill_level_for(current_user, skill),
        page=page,
        result_url=_result_url,
    )


def _result_url(item: SkillEvidence) -> str | None:
    """The page of the result that produced a piece of evidence, if any."""
    if item.attempt is not None:
        return links.result_url(item.attempt)
    return None
