"""Demo quiz history: after finishing a course, learners took its quiz once or twice,
through the attempt engine itself with the clock set to those past moments.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms import clock
from lms.attempts.models import Assessment
from lms.courses.models import Enrolment
from lms.extensions import db
from lms.seed import SEED, SeedReport
from lms.users.models import User

# Quiz history covers this many of a learner's most recently finished courses.
QUIZ_COURSES_PER_LEARNER = 2
# Chance of answering a quiz question right, by job title.
QUIZ_SKILL = {
    "Trainee executive": 0.72,
    "Back-office executive": 0.84,
    "Senior executive": 0.93,
}


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run engine services as if it were `moment` (only for seeding history).

    lms.clock.now is the one source of time, so pointing it at a past moment
    for the duration of a call dates everything that call writes; the real
    clock comes back afterwards, even on error.
    """
    original = clock.now
    clock.now = lambda: moment
    try:
        yield
    finally:
        clock.now = original


@contextmanager
def repeatable_draws(rng: random.Random) -> Iterator[None]:
    """Give the attempts started meanwhile seeds from `rng` instead of the
    engine's unpredictable ones, so the demo is the same on every machine."""
    from lms.attempts import services as attempts

    original = attempts.new_attempt_seed
    attempts.new_attempt_seed = lambda: rng.getrandbits(62)
    try:
        yield
    finally:
        attempts.new_attempt_seed = original


def seed_quiz_attempts(learners: list[User], now: datetime, report: SeedReport) -> None:
    """After finishing a course, its learners took the course quiz (and some retook it)."""
    from lms.attempts import services as attempts

    rng = random.Random(SEED + 2)
    quizzes: dict[int, list[Assessment]] = {}
    for quiz in db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.kind == "quiz", Assessment.is_published)
        .where(Assessment.course_id.is_not(None))
        .order_by(Assessment.slug)
    ):
        quizzes.setdefault(quiz.course_id, []).append(quiz)
    finished = db.session.execute(
        sa.select(Enrolment.user_id, Enrolment.course_id, Enrolment.completed_at)
        .where(Enrolment.completed_at.is_not(None))
        .order_by(Enrolment.user_id, Enrolment.completed_at.desc())
    ).all()
    by_id = {u.id: u for u in learners}
    per_learner: dict[int, int] = {}
    for user_id, course_id, completed_at in finished:
        # The quizzes of each learner's most recently finished courses, leaving
        # out the last two days so that every attempt is well in the past.
        if completed_at > now - timedelta(days=2):
            continue
        per_learner[user_id] = per_learner.get(user_id, 0) + 1
        if per_learner[user_id] > QUIZ_COURSES_PER_LEARNER:
            continue
        user = by_id.get(user_id)
        if user is None:
            continue
        skill = QUIZ_SKILL.get(user.job_title or "", 0.75)
        for quiz in quizzes.get(course_id, []):
            when = completed_at + timedelta(hours=rng.randint(2, 36))
            tries = 2 if rng.random() < 0.3 else 1
            for number in range(tries):
                if when >= now - timedelta(hours=1):
                    break
                # A retry comes after reading the feedback, and goes better.
                odds = skill - 0.2 if tries == 2 and number == 0 else skill
                _take_quiz(attempts, user, quiz, when, odds, rng)
                report.attempts += 1
                when += timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))


def _take_quiz(
    attempts, user: User, quiz: Assessment, when: datetime, odds, rng
) -> None:
    limit = quiz.time_limit_seconds or 1200
    with clock_at(when):
        attempt = attempts.start_attempt(user, quiz).attempt
    questions = sorted(attempt.snapshot.get("questions", []), key=lambda q: q["id"])
    answers = {q["id"]: _answer(q, rng.random() < odds, rng) for q in questions}
    half = len(questions) // 2
    first = {k: answers[k] for k in list(answers)[:half]}
    minutes = timedelta(seconds=limit * rng.uniform(0.35, 0.85))
    with clock_at(when + minutes / 2):
        attempts.save_responses(attempt, 1, first)
    with clock_at(when + minutes):
        attempts.save_responses(attempt, 2, answers)
        attempts.submit_attempt(attempt)


def _answer(q: dict, right: bool, rng: random.Random):
    """A response of the right shape, correct or plausibly wrong."""
    kind = q["type"]
    if kind in ("single", "multiple"):
        correct = [c["id"] for c in q["choices"] if c["correct"]]
        wrong = [c["id"] for c in q["choices"] if not c["correct"]]
        if kind == "single":
            return correct[0] if right or not wrong else rng.choice(wrong)
        if right or not wrong:
            return correct
        return correct[:-1] + [rng.choice(wrong)]
    if kind == "truefalse":
        return q["answer"] if right else not q["answer"]
    if kind == "short":
        return q["answers"][0] if right else "not sure"
    if kind == "numeric":
        answer = q["answer"]
        return str(answer if right else answer * 10 + 1)
    if kind == "ordering":
        order = [item["id"] for item in q["items"]]
        if not right and len(order) > 1:
            order[0], order[1] = order[1], order[0]
        return order
    return None
