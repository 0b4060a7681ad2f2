"""An editable copy of a quiz from the files (lms.copies has the rules every copy
shares): a draft browser quiz with the same settings whose questions are the
bundled bank rows of the file's questions (lms.quizzes.file_bank), fixed in
the file's order.

Why the copy refers to the bank rows rather than copying the questions: the
builder edits quizzes as slots of bank questions, so the copy is edited like
any other quiz (remove, reorder, add bank questions or draws, write new ones);
the bank is not filled with a duplicate of every question at every copy; and a
question the trainer wants to change is one "Duplicate to edit" away. A file
question that later changes is changed in the copy too, from its next attempt
(attempts keep their snapshot); one dropped from the files is archived and
stays in the copy, as archived fixed questions do. The file's
`questions_per_attempt` is kept, so an attempt still draws that many of them.
"""

from __future__ import annotations

from lms.attempts.models import Assessment
from lms.copies import editable_copy
from lms.errors import ValidationError
from lms.extensions import db
from lms.quizzes import file_bank
from lms.quizzes.builder import quiz_settings
from lms.quizzes.kind import QUIZ
from lms.quizzes.policies import is_file_quiz
from lms.users.models import User


def copy_quiz(quiz: Assessment, owner: User) -> Assessment:
    """A draft copy of a file quiz owned by `owner`. Flushes."""
    if quiz.kind != QUIZ or not is_file_quiz(quiz):
        raise ValidationError(
            "Only quizzes from the files are copied this way; a quiz of the "
            "browser is edited directly."
        )
    rows = file_bank.quiz_rows(quiz.slug, (quiz.content or {}).get("questions") or [])
    copy = editable_copy(quiz, owner)
    copy.settings = quiz_settings(quiz)
    copy.content = {"questions": [], "slots": [{"question_id": r.id} for r in rows]}
    db.session.add(copy)
    db.session.flush()
    return copy
