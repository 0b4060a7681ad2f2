"""Turning a quiz's content into the questions one attempt is given: inline
questions, fixed bank questions and random draws from the bank.

Quiz content. A quiz is an `Assessment(kind="quiz")`. Its `content` holds
`questions` (inline question dicts, from quiz files) and `slots` (from the
browser builder), each slot either `{"question_id": N}` (a fixed bank
question) or `{"draw": {"count": N, "category": "...", "tag": "..." | None}}`
(N questions drawn at random for every attempt). `resolve_questions()` turns
that into the list of question dicts one attempt is given: inline questions
first, then the slots in order. **The quiz kind's snapshot calls
`resolve_questions(assessment, rng)` with the attempt's seeded Random** so that
draws happen per attempt and a resumed attempt keeps its questions (they live
in the snapshot, never re-drawn).

Draw rules:

* A draw takes non-archived bank questions whose category is the rule's
  category or one of its subcategories ("Spreadsheets" includes
  "Spreadsheets/Lookups"), and, when the rule names a tag, carry that tag.
  An empty category means the whole bank.
* No question appears twice in one attempt: questions fixed in the quiz are
  never drawn, and two rules never draw the same question. Rules whose pools
  overlap are resolved as a bipartite matching, so a set of rules that can be
  satisfied always is, whichever questions the random order tries first.
* The same Random state gives the same questions in the same order.
* Fixed questions stay in the quiz when archived (archiving hides a question
  from the bank and from draws, as Moodle's "hidden" questions do).
"""

from __future__ import annotations

import copy
import random
from collections import deque
from typing import Any

import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.errors import ConflictError, DomainError
from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.quizzes.bank import category_condition, category_covers, tag_condition
from lms.quizzes.kind import QUIZ
from lms.quizzes.models import Question, normalize_category, normalize_tags


class DrawUnsatisfiableError(ConflictError):
    """A random-draw rule asks for more questions than the bank can give."""


def slots_of(assessment: Assessment) -> list[dict[str, Any]]:
    """The builder's slots of a quiz, as a new list (safe to change)."""
    return list((assessment.content or {}).get("slots") or [])


def fixed_ids(assessment: Assessment) -> list[int]:
    """The bank question ids fixed in the quiz, in slot order."""
    return [int(s["question_id"]) for s in slots_of(assessment) if "question_id" in s]


def draw_pool_statement(category: str, tag: str | None):
    """The ids of the live bank questions a draw rule picks from, by id."""
    conditions = [Question.is_archived.is_(False)]
    if normalize_category(category):
        conditions.append(category_condition(category))
    if tag and normalize_tags([tag]):
        conditions.append(tag_condition(tag))
    return sa.select(Question.id).where(*conditions).order_by(Question.id)


def count_matching(category: str, tag: str | None) -> int:
    """How many live bank questions a draw rule could pick from."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(
            draw_pool_statement(category, tag).subquery()
        )
    )


def draw_pools(assessment: Assessment) -> list[list[int]]:
    """Per draw rule, in slot order: the question ids it may pick (fixed ones excluded)."""
    fixed = set(fixed_ids(assessment))
    return [
        [
            qid
            for qid in db.session.scalars(
                draw_pool_statement(draw.get("category", ""), draw.get("tag"))
            )
            if qid not in fixed
        ]
        for draw in _draws(assessment)
    ]


def _draws(assessment: Assessment) -> list[dict[str, Any]]:
    return [s["draw"] for s in slots_of(assessment) if "draw" in s]


def resolve_questions(
    assessment: Assessment, rng: random.Random
) -> list[dict[str, Any]]:
    """The question dicts one attempt gets: inline questions, then the slots.

    Fixed slots give their bank question; each draw gives `count` questions
    chosen at random with `rng` from its pool, never repeating a question of
    this attempt. Bank questions carry id "bank-<id>" and `bank_id`. The same
    rng state gives the same result. Raises DrawUnsatisfiableError when the
    draws cannot all be met, DomainError when a fixed question is gone.
    """
    content = assessment.content or {}
    questions = [copy.deepcopy(q) for q in content.get("questions") or []]
    slots = slots_of(assessment)
    if not slots:
        return questions
    fixed = set(fixed_ids(assessment))
    draws = _draws(assessment)
    pools = draw_pools(assessment)
    counts = [int(d.get("count", 0)) for d in draws]
    picked = _assign_draws(pools, counts, rng, draws)
    wanted = fixed | {qid for ids in picked for qid in ids}
    by_id = {
        q.id: q
        for q in db.session.scalars(sa.select(Question).where(Question.id.in_(wanted)))
    }
    missing = sorted(fixed - by_id.keys())
    if missing:
        raise DomainError(
            f"Question {missing[0]} of the quiz “{assessment.title}” no longer exists."
        )
    draw_number = 0
    for slot in slots:
        if "question_id" in slot:
            ids = [int(slot["question_id"])]
        else:
            ids = picked[draw_number]
            draw_number += 1
        for qid in ids:
            q = by_id[qid].as_content()
            q["bank_id"] = qid
            questions.append(q)
    return questions


def _assign_draws(
    pools: list[list[int]],
    counts: list[int],
    rng: random.Random,
    draws: list[dict[str, Any]],
) -> list[list[int]]:
    """Pick `counts[i]` distinct questions from `pools[i]` for every i, at random.

    Each rule's pool is shuffled once with `rng`; then every place to fill
    takes the first free question in its rule's order, and when none is free
    an augmenting path (Kuhn's matching, breadth first) moves earlier picks
    to other questions of their own pools. So the result is a uniform-looking
    sample when pools do not overlap, and a valid one whenever any exists.
    """
    orders = []
    for pool in pools:
        order = list(pool)
        rng.shuffle(order)
        orders.append(order)
    place_rule = [rule for rule, count in enumerate(counts) for _ in range(count)]
    matched_place: dict[int, int] = {}  # question id -> place
    place_question: list[int | None] = [None] * len(place_rule)
    for place, rule in enumerate(place_rule):
        parent: dict[int, tuple[int, int] | None] = {place: None}
        queue = deque([place])
        seen: set[int] = set()
        found: tuple[int, int] | None = None
        while queue and found is None:
            current = queue.popleft()
            for qid in orders[place_rule[current]]:
                if qid in seen:
                    continue
                seen.add(qid)
                holder = matched_place.get(qid)
                if holder is None:
                    found = (current, qid)
                    break
                if holder not in parent:
                    parent[holder] = (current, qid)
                    queue.append(holder)
        if found is None:
            raise DrawUnsatisfiableError(
                _unsatisfiable_message(draws[rule], len(pools[rule]))
            )
        current, qid = found
        while True:
            previous_question = place_question[current]
            place_question[current] = qid
            matched_place[qid] = current
            link = parent[current]
            if link is None:
                break
            current, qid = link[0], previous_question
    picked: list[list[int]] = [[] for _ in counts]
    for place, rule in enumerate(place_rule):
        picked[rule].append(place_question[place])
    return picked


def _unsatisfiable_message(draw: dict[str, Any], available: int) -> str:
    count = draw.get("count", 0)
    where = f"“{draw['category']}”" if draw.get("category") else "the whole bank"
    tagged = f" tagged “{draw['tag']}”" if draw.get("tag") else ""
    rule = f"The random draw of {count} from {where}{tagged}"
    if available < count:
        return (
            f"{rule} needs {count} questions but only {available} "
            f"question{'s' if available != 1 else ''} match (fixed questions of the "
            "quiz do not count). Add questions to the bank or lower the number."
        )
    return (
        f"{rule} cannot be met: its {available} matching questions are also wanted "
        "by other rules of the quiz. Lower the numbers or narrow the rules."
    )


def quizzes_short_of_questions(question: Question) -> list[Assessment]:
    """Published browser-built quizzes whose random draws from `question`'s category
    can no longer be met (after it was archived): learners could not start them."""
    quizzes = db.session.scalars(
        sa.select(Assessment).where(
            Assessment.kind == QUIZ,
            Assessment.is_published.is_(True),
            Assessment.origin == ORIGIN_UI,
        )
    )
    short = []
    for quiz in quizzes:
        if not any(
            category_covers(draw.get("category", ""), question.category)
            for draw in _draws(quiz)
        ):
            continue
        try:
            resolve_questions(quiz, random.Random(0))
        except DrawUnsatisfiableError:
            short.append(quiz)
    return short
