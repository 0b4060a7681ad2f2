"""Trainers reviewing a quiz's attempts: the attempt list with counts by state,
one attempt in full with the answer key (the quiz kind's review, staff view),
and the trail of changes to it.

Who may review is lms.attempts.policies' rule; grading by hand goes through
the engine (lms.attempts.regrading).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload

from lms.attempts import kinds
from lms.attempts.kinds import STAFF_REVIEW
from lms.attempts.models import Assessment, Attempt
from lms.attempts.services import responses_for
from lms.audit.models import AuditEvent
from lms.extensions import db

ATTEMPT_STATES = ("in_progress", "submitted", "abandoned")


def attempts_page(assessment: Assessment, *, state: str = "", page: int, per_page: int):
    """A page of the quiz's attempts, newest first, with their learners."""
    stmt = (
        sa.select(Attempt)
        .where(Attempt.assessment_id == assessment.id)
        # The list never shows the snapshot, which holds every question.
        .options(joinedload(Attempt.user), defer(Attempt.snapshot))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    if state in ATTEMPT_STATES:
        stmt = stmt.where(Attempt.state == state)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def state_counts(assessment: Assessment) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Attempt.state, sa.func.count())
        .where(Attempt.assessment_id == assessment.id)
        .group_by(Attempt.state)
    )
    return {state: count for state, count in rows}


def get_attempt(assessment: Assessment, attempt_id: int) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id, Attempt.assessment_id == assessment.id)
        .options(joinedload(Attempt.user))
    )


def snapshot_questions(snapshot: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The question dicts (with keys) an attempt was given."""
    questions = (
        (snapshot or {}).get("questions") if isinstance(snapshot, dict) else None
    )
    return [q for q in questions or [] if isinstance(q, dict)]


def review_items(attempt: Attempt) -> list[dict[str, Any]]:
    """Every question of the attempt for the trainer's review page.

    The review itself (answer summary, right answer, choice marking, outcome,
    feedback) is the quiz kind's, built with STAFF_REVIEW, so learners and
    trainers read the same words. Added for trainers: the question's title,
    the raw saved response and the manual grade, if any (`override`: who,
    when, why, the points given and the automatic ones).
    """
    responses = responses_for(attempt)
    graded = (attempt.result or {}).get("items") or {}
    titles = {q["id"]: q.get("title") for q in snapshot_questions(attempt.snapshot)}
    review = kinds.get(attempt.kind).review(
        attempt.snapshot or {}, attempt.result or {}, responses, STAFF_REVIEW
    )
    return [
        {
            **item,
            "title": titles.get(item["id"]) or "",
            "response": responses.get(item["id"]),
            "override": (graded.get(item["id"]) or {}).get("override"),
        }
        for item in review
    ]


def audit_trail(target_type: str, target_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.target_type == target_type, AuditEvent.target_id == target_id
            )
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        )
    )
