"""Feedback pages (blueprint "feedback", /feedback).

* Giving: from a result page (feedback on the attempt) or from the person page
  (feedback on the person), for those lms.feedback.policies allows; a form with a
  strength, one thing to improve and an optional skill.
* My feedback: everything about the signed-in person, not yet acknowledged first,
  newest first; they reply once and acknowledge.
* Feedback I gave, with replies and acknowledgements.
* Managers (capability "team.view") and admins: feedback not yet acknowledged by
  the people of their teams, oldest first, with its age.
* One feedback's page, for whoever may read it.

The result pages and the person page include a partial that reads through the
Jinja globals `attempt_feedback(attempt)` and `person_feedback(person)`.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms import clock
from lms.attempts import links
from lms.attempts.policies import can_view_attempt, reviews_assessment
from lms.attempts.queries import get_attempt
from lms.auth.permissions import permission_required
from lms.errors import NotFoundError
from lms.extensions import db
from lms.feedback import policies, services
from lms.feedback.forms import FeedbackForm, ReplyForm
from lms.forms import page_number, page_size, require_button_post, service_action
from lms.people import services as people
from lms.people.policies import can_view_person, looks_after

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

PERSON_PAGE_LATEST = 5


# --- partials on other pages ------------------------------------------------------


@bp.app_template_global("attempt_feedback")
def attempt_feedback(attempt):
    """Feedback on an attempt that the viewer may read, and whether they may give it."""
    items = services.on_attempt(attempt.id)
    reads_all = (
        current_user.id == attempt.user_id
        or reviews_assessment(current_user, attempt.assessment)
        or looks_after(current_user, attempt.user)
    )
    if not reads_all:
        items = [f for f in items if f.author_id == current_user.id]
    return SimpleNamespace(
        items=items, can_give=policies.can_give_on_attempt(current_user, attempt)
    )


@bp.app_template_global("feedback_attempt_url")
def feedback_attempt_url(attempt) -> str | None:
    """The result page of the attempt a feedback is about, when the viewer may open it."""
    return (
        links.result_url(attempt) if can_view_attempt(current_user, attempt) else None
    )


@bp.app_template_global("person_feedback")
def person_feedback(person):
    """The latest feedback about a person the viewer may see, how many in all, and
    whether the viewer may give some."""
    if not can_view_person(current_user, person):
        return SimpleNamespace(items=[], total=0, can_give=False)
    items, total = services.latest_about(person.id, PERSON_PAGE_LATEST)
    return SimpleNamespace(
        items=items,
        total=total,
        can_give=policies.can_give_on_person(current_user, person),
    )


# --- giving -------------------------------------------------------------------------


def _attempt_or_404(attempt_id: int):
    try:
        return get_attempt(attempt_id)
    except NotFoundError:
        abort(404)


def _person_or_404(user_id: int):
    try:
        return people.get_person(user_id)
    except NotFoundError:
        abort(404)


def _feedback_form() -> FeedbackForm:
    form = FeedbackForm()
    form.set_skills(services.skill_choices())
    return form


@bp.route("/attempts/<int:attempt_id>/new", methods=["GET", "POST"])
@login_required
def give_on_attempt(attempt_id: int):
    attempt = _attempt_or_404(attempt_id)
    if not policies.can_give_on_attempt(current_user, attempt):
        abort(403)
    form = _feedback_form()
    back = links.result_url(attempt)
    if form.validate_on_submit():
        with service_action() as action:
            services.give_feedback(
                current_user,
                attempt.user,
                strength=form.strength.data,
                improve=form.improve.data,
                skill_id=form.skill_id.data or None,
                attempt=attempt,
            )
        if action.ok:
            flash(f"Feedback sent to {attempt.user.name}.", "success")
            return redirect(back + "#feedback")
    status = 400 if form.is_submitted() else 200
    return render_template(
        "feedback/feedback_new.html",
        form=form,
        subject=attempt.user,
        attempt=attempt,
        back=back,
    ), status


@bp.route("/people/<int:user_id>/new", methods=["GET", "POST"])
@login_required
def give_on_person(user_id: int):
    person = _person_or_404(user_id)
    if not policies.can_give_on_person(current_user, person):
        abort(403)
    form = _feedback_form()
    back = url_for("people.person", user_id=person.id)
    if form.validate_on_submit():
        with service_action() as action:
            services.give_feedback(
                current_user,
                person,
                strength=form.strength.data,
                improve=form.improve.data,
                skill_id=form.skill_id.data or None,
            )
        if action.ok:
            flash(f"Feedback sent to {person.name}.", "success")
            return redirect(back + "#feedback")
    status = 400 if form.is_submitted() else 200
    return render_template(
        "feedback/feedback_new.html",
        form=form,
        subject=person,
        attempt=None,
        back=back,
    ), status


# --- reading --------------------------------------------------------------------------


def _page(query):
    return db.paginate(query, page=page_number(), per_page=page_size(), error_out=False)


@bp.get("/mine")
@login_required
def mine():
    return render_template(
        "feedback/feedback_mine.html",
        page=_page(services.about_query(current_user.id)),
    )


@bp.get("/given")
@login_required
def given():
    return render_template(
        "feedback/feedback_given.html",
        page=_page(services.given_query(current_user.id)),
    )


@bp.get("/team")
@permission_required("team.view")
def team():
    return render_template(
        "feedback/feedback_team.html",
        page=_page(services.unacknowledged_query(current_user)),
        now=clock.now(),
        age_days=services.age_days,
    )


@bp.get("/people/<int:user_id>")
@login_required
def about_person(user_id: int):
    person = _person_or_404(user_id)
    if person.id == current_user.id:
        return redirect(url_for("feedback.mine"))
    if not can_view_person(current_user, person):
        abort(403)
    return render_template(
        "feedback/feedback_about.html",
        person=person,
        page=_page(services.about_query(person.id)),
        can_give=policies.can_give_on_person(current_user, person),
    )


def _readable(feedback_id: int):
    try:
        feedback = services.get_feedback(feedback_id)
    except NotFoundError:
        abort(404)
    if not policies.can_read(current_user, feedback):
        abort(403)
    return feedback


def _render_detail(feedback, form: ReplyForm | None, status: int = 200):
    return render_template(
        "feedback/feedback_detail.html",
        fb=feedback,
        form=form,
        can_reply=policies.can_reply(current_user, feedback),
        can_acknowledge=policies.can_acknowledge(current_user, feedback),
    ), status


@bp.get("/<int:feedback_id>")
@login_required
def detail(feedback_id: int):
    feedback = _readable(feedback_id)
    form = (
        ReplyForm(formdata=None) if policies.can_reply(current_user, feedback) else None
    )
    return _render_detail(feedback, form)


# --- the person's answer -------------------------------------------------------------


def _own(feedback_id: int):
    """Feedback about the signed-in person; others who may read it get 403."""
    feedback = _readable(feedback_id)
    if feedback.subject_id != current_user.id:
        abort(403)
    return feedback


@bp.post("/<int:feedback_id>/reply")
@login_required
def reply(feedback_id: int):
    feedback = _own(feedback_id)
    if not policies.can_reply(current_user, feedback):
        flash("You have already replied to this feedback.", "warning")
        return redirect(url_for("feedback.detail", feedback_id=feedback.id))
    form = ReplyForm()
    if form.validate_on_submit():
        with service_action() as action:
            services.reply(feedback, current_user, form.reply.data)
        if action.ok:
            flash("Reply sent.", "success")
            return redirect(url_for("feedback.mine") + f"#feedback-{feedback.id}")
        feedback = _own(feedback_id)
    return _render_detail(feedback, form, 400)


@bp.post("/<int:feedback_id>/acknowledge")
@login_required
def acknowledge(feedback_id: int):
    require_button_post()
    feedback = _own(feedback_id)
    with service_action() as action:
        services.acknowledge(feedback, current_user)
    if action.ok:
        flash("Feedback acknowledged.", "success")
    return redirect(url_for("feedback.mine") + f"#feedback-{feedback.id}")
