"""A learner's quiz pages: taking a quiz (with or without JavaScript), its
result and review. The catalogue, intro and start are the engine's shared pages
(lms/attempts/views.py); saving through JavaScript uses the JSON API.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_login import current_user, login_required

from lms import clock
from lms.attempts import links, policies, review, services, timing
from lms.attempts.models import Attempt
from lms.errors import DomainError, NotFoundError
from lms.extensions import db
from lms.quizzes import attempt_forms as forms
from lms.quizzes.attempt_fragments import question_fragments
from lms.quizzes.kind import QuizKind

bp = Blueprint("quiz_attempts", __name__)


def _attempt_or_404(attempt_id: int, **reading) -> Attempt:
    try:
        return services.get_attempt(attempt_id, **reading)
    except NotFoundError:
        abort(404)


def _expire(attempt: Attempt) -> bool:
    """Lazy expiry on every page that shows an attempt; commits what it did."""
    if services.expire_if_due(attempt):
        db.session.commit()
        return True
    return False


@bp.url_value_preprocessor
def _read_attempt_with_person(endpoint: str | None, values: dict | None) -> None:
    """The take page reads the signed-in person and the attempt together."""
    if endpoint == "quiz_attempts.take" and values:
        services.read_attempt_with_person(values["attempt_id"])


@bp.get("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    attempt = _attempt_or_404(attempt_id, with_responses=True, with_assessment=False)
    if not policies.can_take_attempt(current_user, attempt):
        abort(403)
    if attempt.kind != QuizKind.name:
        return redirect(links.take_url(attempt))
    if _expire(attempt):
        flash(_expired_message(attempt), "warning")
    if not attempt.is_live:
        return redirect(links.result_url(attempt))
    now = clock.now()
    items = services.learner_items(attempt)
    responses = services.responses_for(attempt)
    return render_template(
        "attempts/attempt_take.html",
        attempt=attempt,
        title=services.title_of(attempt),
        items=items,
        fragments=question_fragments(attempt, items, responses, forms.field_name),
        pages=max((item["page"] for item in items), default=1),
        remaining_ms=timing.remaining_ms(attempt.deadline_at, now),
        phase=timing.phase(
            attempt.deadline_at, services.grace_seconds_of(attempt), now
        ),
        on_expiry=services.on_expiry_of(attempt),
        grace_seconds=services.grace_seconds_of(attempt),
        expiry_text=timing.expiry_text(services.on_expiry_of(attempt)),
        now=now,
        field_name=forms.field_name,
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
    if attempt.kind != QuizKind.name or not forms.SubmitForm().validate_on_submit():
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
    if attempt.kind != QuizKind.name:
        return redirect(links.result_url(attempt))
    _expire(attempt)
    own = policies.is_owner(current_user, attempt)
    if attempt.is_live and own:
        return redirect(links.take_url(attempt))
    return render_template(
        "attempts/result.html",
        attempt=attempt,
        assessment=attempt.assessment,
        result=review.result_for(attempt, current_user),
        own=own,
        avail=services.availability(current_user, attempt.assessment) if own else None,
        form=forms.StartForm(),
    )
