"""Per-learner overrides of an assessment (extra time, extra attempts), granted
by its reviewers with a reason, audited, and applied to a live attempt at once.
"""

from __future__ import annotations

from lms.attempts import policies, timing
from lms.attempts.availability import overrides_for
from lms.attempts.models import Assessment, Attempt, AttemptOverride
from lms.attempts.queries import engine_settings, live_attempt
from lms.audit import services as audit
from lms.errors import (
    PermissionDeniedError,
    ValidationError,
)
from lms.extensions import db
from lms.users.models import User

# --------------------------------------------------------------------------
# Overrides and grades
# --------------------------------------------------------------------------


def grant_override(
    assessment: Assessment,
    learner: User,
    extra_seconds: int = 0,
    extra_attempts: int = 0,
    reason: str = "",
    by: User | None = None,
) -> AttemptOverride:
    """Set a learner's extra time and attempts on an assessment (totals, not
    increments), recorded in the audit trail. A live attempt gets the new deadline."""
    if by is None or not policies.reviews_assessment(by, assessment):
        raise PermissionDeniedError(
            "Only the assessment's trainers can grant overrides."
        )
    for name, value in (
        ("extra_seconds", extra_seconds),
        ("extra_attempts", extra_attempts),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"{name} must be a whole number of 0 or more.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            "Give a reason for the override; it is kept in the audit trail."
        )
    override = overrides_for(learner.id, [assessment.id]).get(assessment.id)
    previous = None
    if override is None:
        override = AttemptOverride(assessment_id=assessment.id, user_id=learner.id)
        db.session.add(override)
    else:
        previous = {
            "extra_seconds": override.extra_seconds,
            "extra_attempts": override.extra_attempts,
        }
    override.extra_seconds = extra_seconds
    override.extra_attempts = extra_attempts
    override.reason = reason[:500]
    override.created_by_id = by.id
    db.session.flush()
    live = sync_live_deadline(learner, assessment)
    audit.record(
        by,
        "attempt.override",
        "user",
        learner.id,
        {
            "assessment_id": assessment.id,
            "assessment": assessment.slug,
            "extra_seconds": extra_seconds,
            "extra_attempts": extra_attempts,
            "previous": previous,
            "reason": reason[:500],
            "live_attempt_id": live.id if live else None,
            "deadline_at": live.deadline_at.isoformat()
            if live and live.deadline_at
            else None,
        },
    )
    db.session.flush()
    return override


def sync_live_deadline(learner: User, assessment: Assessment) -> Attempt | None:
    """Give the learner's live attempt the deadline their current override implies.

    Call it after changing an AttemptOverride some other way (the trainer pages
    do): extra time granted or withdrawn mid-attempt then applies at once.
    """
    live = live_attempt(learner, assessment)
    if live is None:
        return None
    override = overrides_for(learner.id, [assessment.id]).get(assessment.id)
    _apply_extra_time(live, assessment, override.extra_seconds if override else 0)
    db.session.flush()
    return live


def _apply_extra_time(
    attempt: Attempt, assessment: Assessment, extra_seconds: int
) -> None:
    engine = dict(engine_settings(attempt))
    attempt.deadline_at = timing.deadline_for(
        attempt.started_at,
        engine.get("time_limit_seconds"),
        extra_seconds,
        assessment.close_at,
    )
    engine["extra_seconds"] = extra_seconds
    attempt.snapshot = {**attempt.snapshot, "engine": engine}
    # A submit scoring meanwhile then scores again with the new deadline.
    attempt.row_version = Attempt.row_version + 1
