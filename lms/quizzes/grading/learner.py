"""What a learner's browser may see of a question before finalisation."""

from __future__ import annotations

import random
from typing import Any

from lms.quizzes.grading.normalize import normalize_question
from lms.quizzes.grading.registry import Question


def learner_view(
    q: Question, rng: random.Random, *, shuffle: bool = True
) -> dict[str, Any]:
    """The question as a learner's browser may see it before finalisation.

    Built from an allow-list, so nothing about the key (correct flags,
    accepted answers, tolerance, feedback, penalty) can slip through. `shuffle`
    is the quiz's shuffle_choices setting; ordering items are always shuffled,
    and never left in the correct order, since that order is the answer. Pass
    a Random seeded from the attempt so a reload shows the same order.
    """
    nq = normalize_question(q)
    view: dict[str, Any] = {
        "id": nq["id"],
        "type": nq["type"],
        "prompt": nq["prompt"],
        "points": nq["points"],
    }
    if nq["type"] in ("single", "multiple"):
        choices = [{"id": c["id"], "text": c["text"]} for c in nq["choices"]]
        if shuffle:
            rng.shuffle(choices)
        view["choices"] = choices
    elif nq["type"] == "ordering":
        items = [{"id": i["id"], "text": i["text"]} for i in nq["items"]]
        view["items"] = _shuffled_out_of_order(items, rng)
    elif nq["type"] == "numeric":
        view["units"] = nq["units"]
    return view


def _shuffled_out_of_order(
    items: list[dict[str, str]], rng: random.Random
) -> list[dict[str, str]]:
    shuffled = list(items)
    rng.shuffle(shuffled)
    if len(shuffled) >= 2 and shuffled == items:
        # Rotating by one moves every item, so the answer is never handed over.
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled
