"""The learner's keying pages: the test page of a live attempt and the result
of a finished one (also opened by the test's reviewers and the learner's team
manager)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms import clock
from lms.attempts import kinds
from lms.attempts import review as attempt_review
from lms.attempts import services as attempt_services
from lms.attempts.models import Attempt
from lms.keying import policies, services
from lms.keying.kinds import KIND_LABELS
from lms.keying.views import charts
from lms.keying.views.blueprint import (
    bp,
    expire_if_due,
    keying_attempt_or_404,
    labels,
)


@bp.get("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    """Show the test page of the learner's live attempt."""
    attempt = keying_attempt_or_404(attempt_id, with_responses=True)
    if not policies.can_take_attempt(current_user, attempt):
        abort(403)
    expire_if_due(attempt)
    if not attempt.is_live:
        return redirect(url_for("keying.result", attempt_id=attempt.id))
    now = clock.now()
    remaining = (
        max(0, int((attempt.deadline_at - now).total_seconds() * 1000))
        if attempt.deadline_at is not None
        else None
    )
    snapshot = attempt.snapshot or {}
    return render_template(
        "keying/take.html",
        attempt=attempt,
        assessment=attempt.assessment,
        kind=attempt.kind,
        mode=snapshot.get("mode", ""),
        items=kinds.get(attempt.kind).learner_items(snapshot),
        responses=attempt_services.responses_for(attempt),
        remaining_ms=remaining,
        elapsed_ms=max(0, int((now - attempt.started_at).total_seconds() * 1000)),
        kind_label=KIND_LABELS.get(attempt.kind, attempt.kind),
    )


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    """Show the scored result of a finished attempt."""
    attempt = keying_attempt_or_404(attempt_id)
    if not policies.can_view_result(current_user, attempt):
        abort(403)
    expire_if_due(attempt)
    if attempt.is_live:
        if policies.can_take_attempt(current_user, attempt):
            return redirect(url_for("keying.take", attempt_id=attempt.id))
        abort(409, description="This attempt is still in progress.")
    options = attempt_review.review_options(attempt, current_user)
    res = _reviewed_result(attempt, options)
    scored = bool(res.get("kind"))
    history = services.history(attempt.user_id, attempt.assessment_id)
    return render_template(
        "keying/result.html",
        attempt=attempt,
        assessment=attempt.assessment,
        result=res,
        scored=scored,
        accepted=services.acceptance(res) if scored else None,
        bands=charts.band_rows(attempt, res),
        errors=charts.error_rows(res),
        error_chart=charts.error_chart(res) if scored else None,
        trend=charts.trend(attempt, history),
        is_own=attempt.user_id == current_user.id,
        review=options,
        **labels(),
    )


def _reviewed_result(attempt: Attempt, options) -> dict[str, Any]:
    """The stored result with its items as the kind's review builder gives them
    to this viewer (the same filtering the API applies); no items when the
    review is not open to them."""
    res = attempt.result if isinstance(attempt.result, dict) else {}
    if not res:
        return {}
    items = (
        attempt_review.review_items(
            attempt, attempt_services.responses_for(attempt), options
        )
        if options.allowed
        else []
    )
    return {**res, "items": items}
