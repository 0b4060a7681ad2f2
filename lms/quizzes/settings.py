"""Quiz settings: the one owner of their defaults, allowed values and meaning.

Every reader of a quiz's settings goes through here: the content files
(lms/quizzes/content_file.py), the builder form and service, and the quiz kind
of the attempt engine. `SPECS` declares each setting (type, range, choices,
default) so a file reader or a form can report a problem in its own words
while the rule stays here; `QuizSettings.from_stored` reads what an
``Assessment.settings`` dict holds, filling defaults and ignoring values that
are not allowed; `to_stored` writes it back.

Two rules that used to be written twice live here now:

* ``questions_per_page = 0`` means every question on one page
  (`QuizSettings.page_size`).
* The default pass mark is 80 %.

`retake_warnings` names the retake-after-review pattern: correct answers shown
before the last attempt while more than one attempt is allowed and every
attempt gets the same questions, so attempt 2 can be copied from the review of
attempt 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from lms.attempts.grades import GRADING_METHODS
from lms.options import Spec, allowed_values, problems

REVIEW_MODES = ("immediately", "after_close", "never")
AFTER_LAST_ATTEMPT = "after_last_attempt"
CORRECT_ANSWER_MODES = (True, False, AFTER_LAST_ATTEMPT)
DEFAULT_PASS_PERCENT = 80
DEFAULT_QUESTIONS_PER_PAGE = 5
MAX_QUESTIONS_PER_PAGE = 100


SPECS: dict[str, Spec] = {
    "pass_percent": Spec("number", DEFAULT_PASS_PERCENT, 0, 100),
    "shuffle_questions": Spec("boolean", False),
    "shuffle_choices": Spec("boolean", True),
    "questions_per_page": Spec(
        "integer", DEFAULT_QUESTIONS_PER_PAGE, 0, MAX_QUESTIONS_PER_PAGE
    ),
    "questions_per_attempt": Spec("integer", None, 1, None, optional=True),
    "grading_method": Spec("choice", "highest", choices=GRADING_METHODS),
    "review": Spec("choice", "immediately", choices=REVIEW_MODES),
    "show_score": Spec("boolean", True),
    "show_correctness": Spec("boolean", True),
    "show_correct_answers": Spec("choice", True, choices=CORRECT_ANSWER_MODES),
    "show_feedback": Spec("choice", True, choices=CORRECT_ANSWER_MODES),
    "delay_minutes": Spec("integer", 0, 0, 60 * 24 * 30),
    "grace_seconds": Spec("integer", None, 0, 7 * 24 * 3600, optional=True),
}


@dataclass(frozen=True)
class QuizSettings:
    pass_percent: float = DEFAULT_PASS_PERCENT
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    questions_per_page: int = DEFAULT_QUESTIONS_PER_PAGE
    questions_per_attempt: int | None = None
    grading_method: str = "highest"
    review: str = "immediately"
    show_score: bool = True
    show_correctness: bool = True
    show_correct_answers: bool | str = True
    show_feedback: bool | str = True
    delay_minutes: int = 0
    grace_seconds: int | None = None

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> QuizSettings:
        """Read a stored settings dict: missing or disallowed values take the default."""
        return cls(**allowed_values(SPECS, stored))

    @classmethod
    def problems(cls, given: Mapping[str, Any]) -> dict[str, str]:
        """Every setting in `given` whose value is not allowed, with the reason."""
        return problems(SPECS, given, "is not a quiz setting")

    def to_stored(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def page_size(self, question_count: int) -> int:
        """Questions per page; 0 puts every question on one page."""
        if self.questions_per_page <= 0:
            return max(question_count, 1)
        return self.questions_per_page

    def shows_correct_answers(self, *, attempts_left: bool, closed: bool) -> bool:
        """Whether the review may show the key to a learner now."""
        return _shown(self.show_correct_answers, attempts_left, closed)

    def shows_feedback(self, *, attempts_left: bool, closed: bool) -> bool:
        """Whether the review may show question feedback (which often names the
        answer) to a learner now."""
        return _shown(self.show_feedback, attempts_left, closed)

    def retake_warnings(self, attempts_allowed: int, pool_size: int) -> list[str]:
        """The retake-after-review pattern, as warnings for trainers (empty = fine)."""
        if attempts_allowed == 1 or True not in (
            self.show_correct_answers,
            self.show_feedback,
        ):
            return []
        if self.review == "never":
            return []
        draw = self.questions_per_attempt or pool_size
        if pool_size >= 2 * draw:
            return []
        attempts = (
            "unlimited attempts"
            if attempts_allowed == 0
            else (f"{attempts_allowed} attempts")
        )
        return [
            "correct answers or feedback are shown after every attempt, with "
            f"{attempts} and "
            f"{'the same' if draw >= pool_size else 'mostly the same'} questions each "
            "time: a learner can copy the review into the next attempt. Show them "
            f'"{AFTER_LAST_ATTEMPT}", or draw each attempt from a pool at least '
            "twice its size (questions_per_attempt)."
        ]


def _shown(mode: bool | str, attempts_left: bool, closed: bool) -> bool:
    if mode == AFTER_LAST_ATTEMPT:
        return closed or not attempts_left
    return mode is True
