"""Who may edit which question, build which quiz and review whose attempts.

Pure predicates over already-loaded rows: no queries. Views 403 when one fails.

* The question bank is shared by the training team: everyone with
  `question_bank.edit` sees every question and may use it in a quiz, but only
  its owner (or an admin) changes or archives it. Questions imported from the
  command line without `--owner` belong to the team: any trainer may edit them.
  The bundled questions the content import keeps in the bank
  (lms.quizzes.file_bank) are read-only for everyone: they change in the files.
* Quizzes authored in the browser belong to their owner (admins see all).
  Quizzes from `quizzes/*.toml` are read-only here: they change in the files.
  Which quizzes a trainer may open is the engine's "looks after" rule
  (lms.attempts.policies), so the builder's list, its pages and the review
  pages agree.
* Reviewing attempts (the attempt list, grading, overrides, item statistics)
  is the engine's reviewer rule, lms.attempts.policies.reviews_assessment:
  the pages call it directly.
"""

from __future__ import annotations

from lms.attempts import policies as attempt_policies
from lms.auth.permissions import has_permission, is_admin
from lms.origins import ORIGIN_FILE
from lms.quizzes.kind import QUIZ

FILE_QUIZ_MESSAGE = "This quiz comes from the quiz files; change it there."
AUTHOR_CAPABILITY = "assessment.author"


def can_edit_question(user, question) -> bool:
    if not has_permission(user, "question_bank.edit") or question.from_files:
        return False
    return is_admin(user) or question.owner_id in (user.id, None)


def is_file_quiz(assessment) -> bool:
    return assessment.origin == ORIGIN_FILE


def can_view_quiz(user, assessment) -> bool:
    """Open the quiz's builder page (read-only for file quizzes)."""
    if assessment.kind != QUIZ or not has_permission(user, AUTHOR_CAPABILITY):
        return False
    return attempt_policies.looks_after(user, assessment)


def can_edit_quiz(user, assessment) -> bool:
    """Change settings and slots, publish and unpublish."""
    return can_view_quiz(user, assessment) and not is_file_quiz(assessment)
