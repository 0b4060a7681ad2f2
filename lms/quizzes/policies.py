"""Who may edit which question, build which quiz and review whose attempts.

Pure predicates over already-loaded rows: no queries. Views 403 when one fails.

* The question bank is shared by the training team: everyone with
  `question_bank.edit` sees every question and may use it in a quiz, but only
  its owner (or an admin) changes or archives it. Questions imported from the
  command line without `--owner` belong to the team: any trainer may edit them.
* Quizzes authored in the browser belong to their owner (admins see all).
  Quizzes from `quizzes/*.toml` are read-only here: they change in the files.
* Reviewing attempts: a trainer reviews attempts on quizzes they own; on
  file-based quizzes, which nobody owns, any trainer does. Admins review all.
"""

from __future__ import annotations

from lms.auth.permissions import has_permission, is_admin
from lms.courses.models import ORIGIN_FILE
from lms.quizzes.kind import QUIZ

FILE_QUIZ_MESSAGE = "This quiz comes from the quiz files; change it there."


def can_edit_question(user, question) -> bool:
    if not has_permission(user, "question_bank.edit"):
        return False
    return is_admin(user) or question.owner_id in (user.id, None)


def is_file_quiz(assessment) -> bool:
    return assessment.origin == ORIGIN_FILE


def can_view_quiz(user, assessment) -> bool:
    """Open the quiz's builder page (read-only for file quizzes)."""
    if assessment.kind != QUIZ or not has_permission(user, "assessment.author"):
        return False
    return is_admin(user) or is_file_quiz(assessment) or assessment.owner_id == user.id


def can_edit_quiz(user, assessment) -> bool:
    """Change settings and slots, publish and unpublish."""
    return can_view_quiz(user, assessment) and not is_file_quiz(assessment)


def can_review_assessment(user, assessment) -> bool:
    """See attempts, grade items, grant overrides and read item statistics."""
    if not has_permission(user, "assessment.review"):
        return False
    if is_admin(user):
        return True
    return is_file_quiz(assessment) or assessment.owner_id == user.id
