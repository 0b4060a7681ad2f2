"""Loading what a quiz page works on, with the checks: 404 when it does not
exist (or is not a quiz), 403 when the signed-in trainer may not open it.
Also the bank's filters as read from and written back to the query string."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from lms.attempts.models import Assessment
from lms.attempts.policies import reviews_assessment
from lms.errors import PermissionDeniedError
from lms.extensions import db
from lms.quizzes import file_bank, policies
from lms.quizzes.bank import BankFilters
from lms.quizzes.grading import QUESTION_TYPES
from lms.quizzes.kind import QUIZ
from lms.quizzes.models import Question


def question_or_404(question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if question.from_files:
        raise PermissionDeniedError(file_bank.read_only_message(question))
    if not policies.can_edit_question(current_user, question):
        abort(403)
    return question


def quiz_or_404(quiz_id: int) -> Assessment:
    quiz = db.get_or_404(Assessment, quiz_id)
    if quiz.kind != QUIZ:
        abort(404)
    return quiz


def viewable_quiz(quiz_id: int) -> Assessment:
    quiz = quiz_or_404(quiz_id)
    if not policies.can_view_quiz(current_user, quiz):
        abort(403)
    return quiz


def editable_quiz(quiz_id: int) -> Assessment:
    quiz = viewable_quiz(quiz_id)
    if not policies.can_edit_quiz(current_user, quiz):
        abort(403)
    return quiz


def reviewable_quiz(quiz_id: int) -> Assessment:
    quiz = quiz_or_404(quiz_id)
    if not reviews_assessment(current_user, quiz):
        abort(403)
    return quiz


def bank_filters() -> BankFilters:
    qtype = request.args.get("type", "")
    return BankFilters(
        category=request.args.get("category", "").strip(),
        tag=request.args.get("tag", "").strip(),
        type=qtype if qtype in QUESTION_TYPES else "",
        q=request.args.get("q", "").strip()[:200],
        owner_id=current_user.id if request.args.get("mine") == "1" else None,
        from_files=request.args.get("files") == "1",
        archived=request.args.get("archived") == "1",
    )


def filter_args(filters: BankFilters) -> dict[str, str]:
    """The filters as query-string arguments (for links that keep them)."""
    args = {
        "category": filters.category,
        "tag": filters.tag,
        "type": filters.type,
        "q": filters.q,
        "mine": "1" if filters.owner_id else "",
        "files": "1" if filters.from_files else "",
        "archived": "1" if filters.archived else "",
    }
    return {k: v for k, v in args.items() if v}
