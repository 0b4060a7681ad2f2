"""Trainer pages for quizzes, all on the one `quizzes` blueprint: the question
bank (`bank`) and its imports (`bank_import`), the quiz builder (`builder`),
attempt review with manual grading (`review`), overrides (`overrides`),
item statistics (`item_statistics`), previewing a quiz as a learner sees it
(`preview`), and the copies trainers make to edit (`copying`). Importing this
package registers every route on `bp`.
"""

from lms.quizzes.views import (  # noqa: F401 (each module adds its routes to bp)
    bank,
    bank_import,
    builder,
    copying,
    item_statistics,
    overrides,
    preview,
    review,
)
from lms.quizzes.views.blueprint import bp

__all__ = ["bp"]
