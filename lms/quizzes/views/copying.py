"""Copies trainers make to edit what they cannot change: "Duplicate to edit" on a
bank question (the bundled ones of the content files are read-only), and
"Make an editable copy" of a quiz that comes from the files."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from lms.auth.permissions import permission_required
from lms.content import copies
from lms.extensions import db
from lms.forms import require_button_post, service_action
from lms.quizzes import file_bank
from lms.quizzes.models import Question
from lms.quizzes.views.access import viewable_quiz
from lms.quizzes.views.blueprint import bp


@bp.post("/bank/<int:question_id>/duplicate")
@permission_required("question_bank.edit")
def question_duplicate(question_id: int):
    """Every trainer sees the whole bank, so any question may be duplicated."""
    question = db.get_or_404(Question, question_id)
    require_button_post()
    copy = file_bank.duplicate(question, current_user)
    db.session.commit()
    flash(
        f"“{copy.title}” is now a question of your own: edit it here. "
        "The original stays as it is.",
        "success",
    )
    return redirect(url_for("quizzes.question_edit", question_id=copy.id))


@bp.post("/manage/quizzes/<int:quiz_id>/copy")
@permission_required("assessment.author")
def quiz_copy(quiz_id: int):
    """Whoever may open a file quiz's page may copy it (every quiz author)."""
    quiz = viewable_quiz(quiz_id)
    require_button_post()
    with service_action() as action:
        copy = copies.copy_quiz(quiz, current_user)
    if not action.ok:
        return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))
    flash(
        f"“{copy.title}” is your editable copy, a draft: change its questions and "
        "settings, then publish it. The quiz from the files stays as it is.",
        "success",
    )
    return redirect(url_for("quizzes.quiz_detail", quiz_id=copy.id))
