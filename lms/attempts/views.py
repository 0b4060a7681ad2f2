"""Learner pages of the attempt engine: the assessment catalogue, an intro page
per assessment, taking a quiz, its result and review, and "my attempts".

Keying tests share the catalogue, intro and start; their take and result pages
live in lms/keying/views.py (links.take_url / result_url pick the right one).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from lms import clock
from lms.attempts import forms, links, policies, services, timing
from lms.attempts.models import QUIZ, Assessment, Attempt
from lms.auth.permissions import permission_required
from lms.errors import DomainError, NotFoundError
from lms.extensions import db

bp = Blueprint("attempts", __name__)

KIND_LABELS = {
    "quiz": "Quizzes",
    "record_entry": "Record entry tests",
    "ten_key": "10-key tests",
    "transcription": "Transcription tests",
    "reconciliation": "Reconciliation tests",
}
EXPIRY_TEXT = {
    timing.AUTOSUBMIT: "When time runs out, the answers you have saved are submitted "
    "automatically.",
    timing.GRACE_POLICY: "When time runs out, answers are locked and you have a short "
    "grace period to submit; an attempt not submitted by then is submitted as saved.",
    timing.ABANDON: "You must submit before time runs out: an attempt that is not "
    "submitted in time does not count.",
}
GRADING_TEXT = {
    "highest": "Your highest score counts.",
    "latest": "Your latest attempt counts.",
    "average": "The average of your attempts counts.",
    "first": "Your first attempt counts.",
}


def _page_arg() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def _assessment_or_404(slug: str) -> Assessment:
    try:
        return services.get_published(slug)
    except NotFoundError:
        abort(404)


def _attempt_or_404(attempt_id: int) -> Attempt:
    try:
        return services.get_attempt(attempt_id)
    except NotFoundError:
        abort(404)


def _expire(attempt: Attempt) -> bool:
    """Lazy expiry on every page that shows an attempt; commits what it did."""
    if services.expire_if_due(attempt):
        db.session.commit()
        return True
    return False


# --------------------------------------------------------------------------
# Catalogue, intro, history
# --------------------------------------------------------------------------


@bp.get("/assessments")
@permission_required("assessment.take")
def catalogue():
    page, availability = services.catalogue(
        current_user, _page_arg(), current_app.config.get("PAGE_SIZE", 25)
    )
    return render_template(
        "attempts/catalogue.html",
        page=page,
        availability=availability,
        kind_labels=KIND_LABELS,
        kind_available=services.kind_available,
        links=links,
        now=clock.now(),
    )


@bp.get("/assessments/<slug>")
@permission_required("assessment.take")
def intro(slug: str):
    assessment = _assessment_or_404(slug)
    recent = services.history(current_user, assessment, 1, 5)
    return render_template(
        "attempts/intro.html",
        assessment=assessment,
        avail=services.availability(current_user, assessment),
        grade=services.final_grade(current_user, assessment),
        recent=recent,
        expiry_text=EXPIRY_TEXT.get(assessment.on_expiry, EXPIRY_TEXT["autosubmit"]),
        grading_text=GRADING_TEXT[services.grading_method(assessment)],
        playable=services.kind_available(assessment.kind),
        form=forms.StartForm(),
        links=links,
    )


@bp.post("/assessments/<slug>/start")
@permission_required("assessment.take")
def start(slug: str):
    assessment = _assessment_or_404(slug)
    if not forms.StartForm().validate_on_submit():
        abort(400)
    try:
        started = services.start_attempt(current_user, assessment)
    except services.AttemptStateError as exc:
        db.session.commit()  # keep an expiry the start applied first
        flash(str(exc), "warning")
        return redirect(_intro_url(assessment))
    db.session.commit()
    if not started.created:
        flash(
            "You already have this attempt open; it continues where you left off.",
            "info",
        )
    return redirect(links.take_url(started.attempt))


def _intro_url(assessment: Assessment) -> str:
    return url_for("attempts.intro", slug=assessment.slug)


@bp.get("/assessments/<slug>/attempts")
@permission_required("assessment.take")
def history(slug: str):
    assessment = _assessment_or_404(slug)
    page = services.history(
        current_user, assessment, _page_arg(), current_app.config.get("PAGE_SIZE", 25)
    )
    return render_template(
        "attempts/history.html",
        assessment=assessment,
        page=page,
        grade=services.final_grade(current_user, assessment),
        links=links,
    )


# --------------------------------------------------------------------------
# Taking a quiz
# --------------------------------------------------------------------------


@bp.get("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    attempt = _attempt_or_404(attempt_id)
    if not policies.can_take_attempt(current_user, attempt):
        abort(403)
    if attempt.kind != QUIZ:
        return redirect(links.take_url(attempt))
    if _expire(attempt):
        flash(_expired_message(attempt), "warning")
    if not attempt.is_live:
        return redirect(links.result_url(attempt))
    now = clock.now()
    items = services.learner_items(attempt)
    return render_template(
        "attempts/attempt_take.html",
        attempt=attempt,
        assessment=attempt.assessment,
        items=items,
        pages=max((item["page"] for item in items), default=1),
        responses=services.responses_for(attempt),
        remaining_ms=timing.remaining_ms(attempt.deadline_at, now),
        phase=timing.phase(
            attempt.deadline_at, services.grace_seconds_of(attempt), now
        ),
        on_expiry=services.on_expiry_of(attempt),
        grace_seconds=services.grace_seconds_of(attempt),
        expiry_text=EXPIRY_TEXT.get(services.on_expiry_of(attempt)),
        now=now,
        field_name=forms.field_name,
        form=forms.SubmitForm(),
    )


def _expired_message(attempt: Attempt) -> str:
    if attempt.state == "abandoned":
        return "Time ran out before this attempt was submitted, so it does not count."
    return "Time ran out: the answers you had saved were submitted."


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_form(attempt_id: int):
    """Without JavaScript: save every answer on the posted page, then submit
    (or only save, for the "Save answers" button)."""
    attempt = _attempt_or_404(attempt_id)
    if not policies.can_take_attempt(current_user, attempt):
        abort(403)
    if attempt.kind != QUIZ or not forms.SubmitForm().validate_on_submit():
        abort(400)
    saving_only = request.form.get("action") == "save"
    try:
        _save_posted_answers(attempt)
        if not saving_only:
            services.submit_attempt(attempt)
    except services.AttemptStateError as exc:
        db.session.commit()  # an expiry applied on the way stays applied
        flash(str(exc), "warning")
        return redirect(
            links.result_url(attempt)
            if not attempt.is_live
            else links.take_url(attempt)
        )
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(links.take_url(attempt))
    db.session.commit()
    if saving_only:
        flash("Your answers are saved.", "success")
        return redirect(links.take_url(attempt))
    return redirect(links.result_url(attempt))


def _save_posted_answers(attempt: Attempt) -> None:
    responses = forms.responses_from_form(services.learner_items(attempt), request.form)
    try:
        services.save_responses(attempt, _server_seq(attempt), responses)
    except services.AttemptStateError as exc:
        if exc.code != "answers_closed":
            raise
        # Grace period: the saved answers stand and submitting is still allowed.


def _server_seq(attempt: Attempt) -> int:
    """A seq for a form post: tenths of a second since the start on the server clock
    (the same scale the page's script uses), and always past the last one seen."""
    tenths = int((clock.now() - attempt.started_at).total_seconds() * 10)
    return min(max(tenths, attempt.last_seq + 1, 1), services.MAX_SEQ)


# --------------------------------------------------------------------------
# Result and review
# --------------------------------------------------------------------------


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _attempt_or_404(attempt_id)
    if not policies.can_view_attempt(current_user, attempt):
        abort(403)
    if attempt.kind != QUIZ:
        return redirect(links.result_url(attempt))
    _expire(attempt)
    own = policies.is_owner(current_user, attempt)
    if attempt.is_live and own:
        return redirect(links.take_url(attempt))
    return render_template(
        "attempts/result.html",
        attempt=attempt,
        assessment=attempt.assessment,
        result=services.result_for(attempt, current_user),
        own=own,
        avail=services.availability(current_user, attempt.assessment) if own else None,
        form=forms.StartForm(),
    )
