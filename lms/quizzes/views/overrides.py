"""The quiz's overrides page: grant a learner extra time or attempts (with a
reason, audited by the engine) and see who has which override and since when."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.attempts.overrides import grant_override
from lms.auth.permissions import permission_required
from lms.errors import DomainError
from lms.extensions import db
from lms.quizzes import overrides as quiz_overrides
from lms.quizzes.forms.review import OverrideForm
from lms.quizzes.views.access import reviewable_quiz
from lms.quizzes.views.blueprint import bp
from lms.users.services import get_user_by_email


@bp.route("/manage/quizzes/<int:quiz_id>/overrides", methods=["GET", "POST"])
@permission_required("assessment.review")
def overrides(quiz_id: int):
    quiz = reviewable_quiz(quiz_id)
    form = OverrideForm()
    status = 200
    if form.validate_on_submit():
        learner = get_user_by_email(form.email.data)
        if learner is None:
            form.email.errors = [*form.email.errors, "No account has that email."]
            status = 400
        else:
            try:
                grant_override(
                    quiz,
                    learner,
                    extra_seconds=form.extra_minutes.data * 60,
                    extra_attempts=form.extra_attempts.data,
                    reason=form.reason.data,
                    by=current_user,
                )
            except DomainError as exc:
                db.session.rollback()
                form.reason.errors = [*form.reason.errors, str(exc)]
                status = 400
            else:
                db.session.commit()
                flash(f"Override for {learner.name} saved.", "success")
                return redirect(url_for("quizzes.overrides", quiz_id=quiz.id))
    elif form.is_submitted():
        status = 400
    elif request.args.get("email"):
        form.email.data = request.args["email"]
    return render_template(
        "quizzes/quiz_overrides.html",
        quiz=quiz,
        form=form,
        overrides=quiz_overrides.overrides_for(quiz),
        history=quiz_overrides.override_history(quiz),
    ), status
