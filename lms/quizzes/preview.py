"""A quiz as a learner sees it, for the trainers who look after it, without an
attempt: the questions one attempt would be given, and checking answers to see
the result a learner would get.

Decisions:

* The draw is deterministic and numbered: preview draw N builds the quiz
  kind's own snapshot (lms.quizzes.kind.build_snapshot: random draws, the
  questions-per-attempt subset, question and choice shuffles) with
  ``random.Random(N)``. Draw 1 is what a preview opens on; "another draw" moves
  to N + 1. The same number always gives the same questions, so checking the
  answers grades the very questions that were shown (as long as the quiz has
  not changed meanwhile).
* Checking grades in memory with the quiz kind's scorer and review builder,
  showing the trainer everything (correct answers and feedback: they look
  after the quiz). Nothing is stored: no attempt, answer, event, notification
  or skills evidence, and no "finalised" announcement.
* An answer whose shape does not fit its question counts as unanswered, as
  the engine would refuse it when saving.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from lms.attempts.models import Assessment
from lms.quizzes import kind as quiz_kind

FIRST_DRAW = 1
MAX_DRAW = 1_000_000


def preview_snapshot(assessment: Assessment, draw: int) -> dict[str, Any]:
    """What an attempt drawn with seed `draw` would be given, keys included.
    Raises DomainError (lms.quizzes.draws) when a random draw cannot be met."""
    return quiz_kind.build_snapshot(assessment, random.Random(draw))


def learner_items(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The questions as the learner's page shows them: never a key."""
    return quiz_kind.learner_items(snapshot)


def next_draw(draw: int) -> int:
    return draw + 1 if draw < MAX_DRAW else FIRST_DRAW


def usable_answers(
    snapshot: Mapping[str, Any], responses: Mapping[str, Any]
) -> dict[str, Any]:
    """The answers the engine would accept; the others count as unanswered."""
    return {
        item_id: value
        if not quiz_kind.validate_responses(snapshot, {item_id: value})
        else None
        for item_id, value in responses.items()
    }


def check_answers(
    snapshot: Mapping[str, Any], responses: Mapping[str, Any]
) -> dict[str, Any]:
    """The result these answers would earn, with the full per-question review.
    Pure: the caller stores nothing."""
    answers = usable_answers(snapshot, responses)
    result = quiz_kind.score(snapshot, answers, [], elapsed_seconds=0.0)
    result.pop("flags", None)  # timing evidence means nothing in a preview
    items = quiz_kind.review_items(
        snapshot, result, answers, show_correct_answers=True, show_feedback=True
    )
    return {**result, "items": items}
