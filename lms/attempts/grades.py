"""A learner's grade across their finalised, valid attempts at an assessment, by
its grading method (highest, latest, average or first).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.attempts.models import (
    SUBMITTED,
    Assessment,
    Attempt,
)
from lms.extensions import db
from lms.users.models import User

GRADING_METHODS = ("highest", "latest", "average", "first")


@dataclass
class Grade:
    method: str
    percent: float
    attempts_counted: int
    attempt_ids: list[int] = field(default_factory=list)


def grading_method(assessment: Assessment) -> str:
    method = (assessment.settings or {}).get("grading_method")
    return method if method in GRADING_METHODS else "highest"


def final_grade(user: User, assessment: Assessment) -> Grade | None:
    """The learner's grade across finalised, scored, valid attempts, by the
    assessment's grading method (highest | latest | average | first)."""
    rows = db.session.execute(
        sa.select(Attempt.id, Attempt.percent)
        .where(
            Attempt.user_id == user.id,
            Attempt.assessment_id == assessment.id,
            Attempt.state == SUBMITTED,
            Attempt.percent.is_not(None),
            Attempt.is_valid.is_(True),
        )
        .order_by(Attempt.number, Attempt.id)
    ).all()
    if not rows:
        return None
    method = grading_method(assessment)
    ids = [r.id for r in rows]
    percents = [r.percent for r in rows]
    if method == "latest":
        return Grade(method, percents[-1], len(rows), [ids[-1]])
    if method == "first":
        return Grade(method, percents[0], len(rows), [ids[0]])
    if method == "average":
        return Grade(method, statistics.fmean(percents), len(rows), ids)
    best = max(range(len(rows)), key=lambda i: percents[i])
    return Grade(method, percents[best], len(rows), [ids[best]])
