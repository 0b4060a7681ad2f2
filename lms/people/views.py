"""The person page (blueprint "people"): everything about one person that the
viewer may see (lms.people.policies.can_view_person; 403 for anyone else).

Sections, each its own partial in templates/people/: who they are; their skills
profile (lms.skills.profile) with a "Rate this skill" form for the people who
may rate them (lms.skills.evidence.rate_skill, justification required); their
goal and readiness; their mentoring; their latest results, linked where the
viewer may open the result (lms.attempts.policies.can_view_attempt).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.errors import NotFoundError
from lms.forms import service_action
from lms.mentorship import progress
from lms.mentorship import queries as mentoring
from lms.mentorship.policies import can_manage_pairings, can_view_pairing
from lms.people import policies, services
from lms.people.forms import RatingForm
from lms.skills import charts, evidence, profile
from lms.users.forms import options

bp = Blueprint("people", __name__, url_prefix="/people")


def _visible_person(user_id: int):
    try:
        person = services.get_person(user_id)
    except NotFoundError:
        abort(404)
    if not policies.can_view_person(current_user, person):
        abort(403)
    return person


def _skill_choices(found: profile.Profile):
    return options(
        [(0, "Choose a skill")]
        + [
            (row.skill.id, f"{row.skill.name} (now {row.level or 'not yet shown'})")
            for row in found.skills
        ]
    )


def _render(person, found: profile.Profile, form: RatingForm | None, status=200):
    results = progress.recent_results([person.id], services.RECENT_RESULTS).get(
        person.id, []
    )
    return render_template(
        "people/person_detail.html",
        person=person,
        profile=found,
        charts=charts.profile_charts(found),
        rating_form=form,
        pairings=mentoring.pairings_involving(person),
        can_view_pairing=can_view_pairing,
        can_pair=can_manage_pairings(current_user, person),
        results=results,
        links=progress.result_links(current_user, results),
        is_self=person.id == current_user.id,
    ), status


@bp.get("/<int:user_id>")
@login_required
def person(user_id: int):
    person = _visible_person(user_id)
    found = profile.profile_for(person)
    form = None
    if policies.can_rate_person(current_user, person):
        form = RatingForm(formdata=None)
        form.skill_id.choices = _skill_choices(found)
    return _render(person, found, form)


@bp.post("/<int:user_id>/ratings")
@login_required
def rate(user_id: int):
    person = _visible_person(user_id)
    if not policies.can_rate_person(current_user, person):
        abort(403)
    found = profile.profile_for(person)
    form = RatingForm()
    form.skill_id.choices = _skill_choices(found)
    skills = {row.skill.id: row.skill for row in found.skills}
    if form.validate_on_submit():
        skill = skills.get(form.skill_id.data)
        if skill is None:
            form.skill_id.errors.append("Choose a skill from the list.")
        else:
            with service_action() as action:
                evidence.rate_skill(
                    current_user,
                    person,
                    skill,
                    form.level.data,
                    form.justification.data,
                )
            if action.ok:
                flash(
                    f"Rated {person.name}'s {skill.name} at level {form.level.data}.",
                    "success",
                )
                return redirect(url_for("people.person", user_id=person.id) + "#skills")
            # The failed change was rolled back: read the page again.
            person = _visible_person(user_id)
            found = profile.profile_for(person)
            form.skill_id.choices = _skill_choices(found)
    return _render(person, found, form, status=400)
