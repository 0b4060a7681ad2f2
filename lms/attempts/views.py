"""Learner pages of the attempt engine that every kind shares: the assessment
catalogue, an intro page per assessment, start, and "my attempts" per assessment.

Each kind has its own take and result pages (quizzes: lms/quizzes/attempt_views.py;
keying tests: lms/keying/views.py); links.take_url / result_url pick the right one.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from lms import clock
from lms.attempts import availability, forms, grades, kinds, links, services, timing
from lms.attempts.models import Assessment, Attempt
from lms.auth.permissions import permission_required
from lms.errors import NotFoundError
from lms.extensions import db
from lms.forms import page_number

bp = Blueprint("attempts", __name__)

GRADING_TEXT = {
    "highest": "Your highest score counts.",
    "latest": "Your latest attempt counts.",
    "average": "The average of your attempts counts.",
    "first": "Your first attempt counts.",
}


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
    page, avail = availability.catalogue(
        current_user, page_number(), current_app.config.get("PAGE_SIZE", 25)
    )
    return render_template(
        "attempts/catalogue.html",
        page=page,
        availability=avail,
        kind_labels={k.name: k.plural_label for k in kinds.all_kinds()},
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
        grade=grades.final_grade(current_user, assessment),
        recent=recent,
        expiry_text=timing.expiry_text(assessment.on_expiry),
        grading_text=GRADING_TEXT[grades.grading_method(assessment)],
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
        current_user, assessment, page_number(), current_app.config.get("PAGE_SIZE", 25)
    )
    return render_template(
        "attempts/history.html",
        assessment=assessment,
        page=page,
        grade=grades.final_grade(current_user, assessment),
        links=links,
    )
