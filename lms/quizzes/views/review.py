"""Reviewing a quiz's attempts: the list by state, one attempt in full with the
answer key and the trail of changes, and changing one item's points."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.attempts import regrading
from lms.attempts.models import SUBMITTED, Assessment, Attempt
from lms.auth.permissions import permission_required
from lms.errors import DomainError
from lms.extensions import db
from lms.forms import page_number, page_size
from lms.quizzes import builder, review
from lms.quizzes.forms.review import GradeItemForm
from lms.quizzes.views.access import reviewable_quiz
from lms.quizzes.views.blueprint import bp


@bp.get("/manage/quizzes/<int:quiz_id>/attempts")
@permission_required("assessment.review")
def attempt_list(quiz_id: int):
    quiz = reviewable_quiz(quiz_id)
    state = request.args.get("state", "")
    if state not in review.ATTEMPT_STATES:
        state = ""
    page = review.attempts_page(
        quiz, state=state, page=page_number(), per_page=page_size()
    )
    return render_template(
        "quizzes/attempt_list.html",
        quiz=quiz,
        page=page,
        state=state,
        counts=review.state_counts(quiz),
        settings=builder.quiz_settings(quiz),
    )


def _attempt_or_404(quiz: Assessment, attempt_id: int) -> Attempt:
    attempt = review.get_attempt(quiz, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


@bp.get("/manage/quizzes/<int:quiz_id>/attempts/<int:attempt_id>")
@permission_required("assessment.review")
def attempt_review(quiz_id: int, attempt_id: int):
    quiz = reviewable_quiz(quiz_id)
    attempt = _attempt_or_404(quiz, attempt_id)
    return _render_review(quiz, attempt)


def _render_review(
    quiz, attempt, *, form_item: str = "", form=None, status=200, conflict: str = ""
):
    """The review page. Every grade form carries the attempt's row_version this
    page shows; a re-rendered form keeps what the trainer typed. `conflict` is
    shown beside the form of `form_item` (someone graded the attempt meanwhile:
    the page now shows their change, so the form carries the new version)."""
    items = review.review_items(attempt)
    forms = {}
    for item in items:
        if item["id"] == form_item and form is not None:
            form.row_version.data = attempt.row_version
            form.row_version.raw_data = None  # render the version, not the posted one
            forms[item["id"]] = form
        else:
            forms[item["id"]] = GradeItemForm(
                formdata=None,
                prefix=_grade_prefix(item["id"]),
                data={
                    "points": _whole(item["points"]),
                    "row_version": attempt.row_version,
                },
            )
    return render_template(
        "quizzes/attempt_review.html",
        quiz=quiz,
        attempt=attempt,
        items=items,
        forms=forms,
        conflict=conflict,
        conflict_item=form_item if conflict else "",
        history=review.audit_trail("attempt", attempt.id),
        gradable=attempt.state == SUBMITTED and bool(attempt.result),
    ), status


def _whole(value: float | None) -> float | int | None:
    """1.0 shows as 1 in a number box."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _grade_prefix(item_id: str) -> str:
    """One grade form per question on the page: prefixes keep field ids unique."""
    return "item-" + re.sub(r"[^A-Za-z0-9_-]", "_", item_id)


@bp.post(
    "/manage/quizzes/<int:quiz_id>/attempts/<int:attempt_id>/items/<item_id>/grade"
)
@permission_required("assessment.review")
def item_grade(quiz_id: int, attempt_id: int, item_id: str):
    quiz = reviewable_quiz(quiz_id)
    attempt = _attempt_or_404(quiz, attempt_id)
    known = {str(q.get("id")) for q in review.snapshot_questions(attempt.snapshot)}
    if item_id not in known:
        abort(404)
    form = GradeItemForm(prefix=_grade_prefix(item_id))
    if form.validate_on_submit():
        try:
            regrading.regrade_item(
                attempt,
                item_id,
                points=form.points.data,
                comment=form.comment.data,
                actor=current_user,
                seen_version=form.row_version.data,
            )
        except regrading.GradedMeanwhile as exc:
            db.session.rollback()
            return _render_review(
                quiz,
                attempt,
                form_item=item_id,
                form=form,
                status=409,
                conflict=str(exc),
            )
        except DomainError as exc:
            db.session.rollback()
            if attempt.state == SUBMITTED and attempt.result:
                form.points.errors = [*form.points.errors, str(exc)]
            else:  # no grade forms on the page to show it beside
                flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(
                f"Points changed. The attempt now scores {attempt.score:g} of "
                f"{attempt.max_score:g} ({attempt.percent:.0f} %).",
                "success",
            )
            return redirect(
                url_for(
                    "quizzes.attempt_review",
                    quiz_id=quiz.id,
                    attempt_id=attempt.id,
                    _anchor=f"item-{item_id}",
                )
            )
    return _render_review(quiz, attempt, form_item=item_id, form=form, status=400)
