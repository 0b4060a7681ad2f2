"""Quiz grading: pure functions over the question dicts of docs/content-format.md.

No Flask and no database. The attempt engine grades the snapshot it took at
start against the responses it saved (`grade_quiz`), the API builds what a
learner's browser may see before finalisation with `learner_view`, and the
content checker and the bank editor call `validate_question`.

Question types are a registry (`GRADERS`, `VALIDATORS`): a new type registers
a grader that returns an `ItemResult`, and may return `correct=None` for
"needs manual grading".

Rules, in one place:

* Ids. `normalize_question` gives each choice an id "c" + 8 hex digits and each
  ordering item "o" + 8 hex digits, derived from the text (SHA-256), never
  from the position. Positions would leak the key: ordering items are listed
  in the correct order, and GIFT/Aiken authors habitually put the right
  choice first, so "o0"/"c0" would tell a learner the answer through any
  shuffle. Lists keep file order; the same text always gets the same id, so
  normalising twice is harmless.
* single / truefalse / short / numeric: all or nothing.
* multiple: each correct pick earns points / (number of correct choices); each
  wrong pick costs `penalty` × points. A penalty of 0 (the default) means a
  wrong pick cancels one correct pick's share, so ticking every box never
  earns full marks. The total is floored at 0.
* ordering: points × (items in the right position / number of items). The
  response must list every item exactly once; anything else scores 0.
* numeric: decimal arithmetic, inclusive bounds: |response − answer| ≤
  tolerance. Responses may use thousands separators (1,250.50, Indian
  1,25,000 or 1 250), surrounding spaces and a unit or currency before or
  after the number ("₹ 1,250.50", "12.5 kg"). Units are not graded.
* short: NFKC-normalised, runs of whitespace collapsed, and case-folded
  unless `case_sensitive`.
* A blank, unknown or malformed response scores 0 and never raises.
* Feedback: optional `correct_feedback` / `incorrect_feedback` on any question
  (Moodle's combined feedback; GIFT true/false feedback lands there) come
  first, by outcome ("incorrect" covers partial credit and no answer), then
  the general `feedback`. `choice_feedback` holds the feedback of the choices
  the learner picked, in file order.

Where each part lives: results.py (ItemResult, QuizResult), registry.py
(question types, GRADERS, VALIDATORS), normalize.py (ids and defaults, the
comparison form of short answers), learner.py (`learner_view`), graders.py (one
grader per built-in type), numeric.py (reading a learner's number), quiz.py
(`grade_question`, `grade_quiz`) and validation.py (`validate_question`).
Importing this package registers every built-in grader and validator.
"""

from lms.quizzes.grading.graders import (
    grade_multiple,
    grade_numeric,
    grade_ordering,
    grade_short,
    grade_single,
    grade_truefalse,
)
from lms.quizzes.grading.learner import learner_view
from lms.quizzes.grading.normalize import normalize_question, normalize_short_answer
from lms.quizzes.grading.numeric import parse_numeric_response
from lms.quizzes.grading.quiz import grade_question, grade_quiz
from lms.quizzes.grading.registry import (
    GRADERS,
    QUESTION_TYPES,
    VALIDATORS,
    Grader,
    Question,
    UnknownQuestionType,
    Validator,
    register_grader,
    register_validator,
)
from lms.quizzes.grading.results import (
    INVALID_RESPONSE,
    NO_ANSWER,
    ItemResult,
    QuizResult,
)
from lms.quizzes.grading.validation import validate_question

__all__ = [
    "GRADERS",
    "INVALID_RESPONSE",
    "NO_ANSWER",
    "QUESTION_TYPES",
    "VALIDATORS",
    "Grader",
    "ItemResult",
    "Question",
    "QuizResult",
    "UnknownQuestionType",
    "Validator",
    "grade_multiple",
    "grade_numeric",
    "grade_ordering",
    "grade_question",
    "grade_quiz",
    "grade_short",
    "grade_single",
    "grade_truefalse",
    "learner_view",
    "normalize_question",
    "normalize_short_answer",
    "parse_numeric_response",
    "register_grader",
    "register_validator",
    "validate_question",
]
