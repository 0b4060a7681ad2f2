"""The reviewers' keying pages: the tests they review, every attempt at one
test, one attempt with the evidence behind its flags, and accepting an
unverified result after reviewing that evidence. The evidence page also opens,
read-only, to the manager of the learner's team once the attempt is finished."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.attempts import kinds, regrading
from lms.attempts.models import Assessment, Attempt
from lms.auth.permissions import permission_required
from lms.errors import DomainError
from lms.extensions import db
from lms.forms import page_number, page_size
from lms.keying import policies, services
from lms.keying.forms import AcceptResultForm
from lms.keying.kinds import KEYING_KIND_NAMES as KEYING_KINDS
from lms.keying.kinds import KIND_LABELS
from lms.keying.scoring import BAND_LABELS
from lms.keying.views.blueprint import (
    bp,
    expire_if_due,
    keying_attempt_or_404,
    labels,
)


@bp.get("/tests")
@permission_required("assessment.review")
def tests():
    """List the keying tests the user reviews, with attempt counts."""
    page = db.paginate(
        services.reviewable_assessments_query(current_user),
        page=page_number(),
        per_page=page_size(),
    )
    counts = services.attempt_counts(a.id for a in page.items)
    return render_template(
        "keying/tests.html", page=page, counts=counts, KIND_LABELS=KIND_LABELS
    )


@bp.get("/tests/<slug>/attempts")
@permission_required("assessment.review")
def attempts(slug: str):
    """List every attempt at one keying test, newest first."""
    assessment = db.one_or_404(
        sa.select(Assessment).where(
            Assessment.slug == slug, Assessment.kind.in_(KEYING_KINDS)
        )
    )
    if not policies.can_review_assessment(current_user, assessment):
        abort(403)
    page = db.paginate(
        services.attempts_query(assessment), page=page_number(), per_page=page_size()
    )
    figures = services.attempt_figures(assessment.kind, (a.id for a in page.items))
    rows = [
        {"attempt": a, "flags": services.flags_of(a), **figures.get(a.id, {})}
        for a in page.items
    ]
    metric = services.headline_metric(assessment.kind)
    return render_template(
        "keying/attempts.html",
        assessment=assessment,
        page=page,
        rows=rows,
        metric=metric,
        **labels(),
    )


def _reviewed_attempt(attempt_id: int) -> Attempt:
    attempt = keying_attempt_or_404(attempt_id)
    if not policies.can_review_attempt(current_user, attempt):
        abort(403)
    return attempt


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    """Show one attempt with the evidence behind each flag (policies.can_view_evidence)."""
    attempt = keying_attempt_or_404(attempt_id)
    if not policies.can_view_result(current_user, attempt):
        abort(403)
    expire_if_due(attempt)
    if not policies.can_view_evidence(current_user, attempt):
        abort(403)
    return _render_review(attempt)


@bp.post("/attempts/<int:attempt_id>/accept")
@permission_required("assessment.review")
def accept(attempt_id: int):
    """Accept an unverified result with the reviewer's reason (audited): it
    becomes valid with the band its figures earn."""
    attempt = _reviewed_attempt(attempt_id)
    form = AcceptResultForm()
    if not form.validate_on_submit():
        return _render_review(attempt, form=form, status=400)
    try:
        regrading.accept_result(
            attempt,
            reason=form.reason.data,
            actor=current_user,
            seen_version=form.row_version.data,
        )
    except regrading.GradedMeanwhile as exc:
        db.session.rollback()
        return _render_review(
            _reloaded(attempt_id), form=form, status=409, conflict=str(exc)
        )
    except DomainError as exc:
        db.session.rollback()
        form.reason.errors = [*form.reason.errors, str(exc)]
        return _render_review(_reloaded(attempt_id), form=form, status=400)
    db.session.commit()
    flash(
        f"Result accepted: band {BAND_LABELS.get(attempt.band, attempt.band)}."
        if attempt.band
        else "Result accepted: no band reached.",
        "success",
    )
    return redirect(url_for("keying.review", attempt_id=attempt_id), code=303)


def _reloaded(attempt_id: int) -> Attempt:
    """The attempt as it is now, after a refused change was rolled back."""
    return keying_attempt_or_404(attempt_id)


def _render_review(
    attempt: Attempt,
    *,
    form: AcceptResultForm | None = None,
    status: int = 200,
    conflict: str = "",
):
    """The evidence page. An unverified result carries the acceptance form built
    on the version this page shows; a refused form comes back with what the
    reviewer typed, and `conflict` says who changed the attempt meanwhile."""
    res = attempt.result if isinstance(attempt.result, dict) else {}
    if form is not None:
        form.row_version.data = attempt.row_version
        form.row_version.raw_data = None  # render the version shown, not the posted one
    elif res.get("validity") == "unverified" and policies.can_review_attempt(
        current_user, attempt
    ):
        form = AcceptResultForm(
            formdata=None, data={"row_version": attempt.row_version}
        )
    raw = services.keystroke_events(attempt.id)
    scored = bool(res.get("kind"))
    return render_template(
        "keying/review.html",
        attempt=attempt,
        assessment=attempt.assessment,
        result=res,
        scored=scored,
        accepted=services.acceptance(res) if scored else None,
        accept_form=form,
        conflict=conflict,
        flags=services.flags_of(attempt),
        timing=services.timing_evidence(attempt, raw),
        labels=kinds.get(attempt.kind).evidence_labels(attempt.snapshot or {}),
        **labels(),
    ), status
