"""May this learner start (or resume) an attempt now? Attempts used and allowed
(with overrides), the live attempt, the wait between attempts and the open and
close times, computed for a page of assessments in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import defer

from lms import clock
from lms.attempts.models import (
    IN_PROGRESS,
    Assessment,
    Attempt,
    AttemptOverride,
)
from lms.extensions import db
from lms.users import time_zones
from lms.users.models import User

# --------------------------------------------------------------------------
# Availability: may this learner start (or resume) now?
# --------------------------------------------------------------------------


@dataclass
class Availability:
    assessment: Assessment
    used: int = 0
    allowed: int | None = None  # None: unlimited
    extra_seconds: int = 0
    live_attempt_id: int | None = None
    live_deadline_at: datetime | None = None
    best_percent: float | None = None
    next_start_at: datetime | None = None
    reason: str | None = None  # why a new attempt cannot start; None = it can
    message: str = ""

    @property
    def can_start(self) -> bool:
        return self.reason is None

    @property
    def can_resume(self) -> bool:
        return self.live_attempt_id is not None

    @property
    def remaining_attempts(self) -> int | None:
        return None if self.allowed is None else max(self.allowed - self.used, 0)


def availability_for(
    user: User, assessments: list[Assessment], now: datetime | None = None
) -> dict[int, Availability]:
    """Attempts used, live attempt and whether a new one may start, for many
    assessments in two queries (catalogue, intro page, start)."""
    now = now or clock.now()
    ids = [a.id for a in assessments]
    stats = _attempt_stats(user.id, ids)
    overrides = overrides_for(user.id, ids)
    result = {}
    for assessment in assessments:
        avail = Availability(assessment=assessment)
        row = stats.get(assessment.id)
        if row is not None:
            avail.used = row.used
            avail.live_attempt_id = row.live_id
            avail.live_deadline_at = row.live_deadline
            avail.best_percent = row.best_percent
        override = overrides.get(assessment.id)
        if override is not None:
            avail.extra_seconds = override.extra_seconds
        if assessment.attempts_allowed:
            avail.allowed = assessment.attempts_allowed + (
                override.extra_attempts if override else 0
            )
        delay = (assessment.settings or {}).get("delay_minutes") or 0
        if delay and row is not None and row.last_finished is not None:
            avail.next_start_at = row.last_finished + timedelta(minutes=delay)
        _decide(avail, now)
        result[assessment.id] = avail
    return result


def availability(user: User, assessment: Assessment, now: datetime | None = None):
    return availability_for(user, [assessment], now)[assessment.id]


def _decide(avail: Availability, now: datetime) -> None:
    a = avail.assessment
    if not a.is_published:
        avail.reason, avail.message = "unpublished", "This assessment is not published."
    elif a.open_at is not None and now < a.open_at:
        avail.reason = "not_open"
        avail.message = f"This assessment opens at {when_text(a.open_at)}."
    elif a.close_at is not None and now >= a.close_at:
        avail.reason = "closed"
        avail.message = f"This assessment closed at {when_text(a.close_at)}."
    elif avail.allowed is not None and avail.used >= avail.allowed:
        avail.reason = "no_attempts_left"
        avail.message = f"You have used all {avail.allowed} attempts."
    elif avail.next_start_at is not None and now < avail.next_start_at:
        avail.reason = "too_soon"
        avail.message = (
            f"You can start your next attempt at {when_text(avail.next_start_at)}."
        )


def when_text(moment: datetime) -> str:
    """In the reader's own time zone, as every displayed time."""
    return time_zones.format_local(moment)


@dataclass
class _Stats:
    used: int
    live_id: int | None
    live_deadline: datetime | None
    last_finished: datetime | None
    best_percent: float | None


def _attempt_stats(user_id: int, assessment_ids: list[int]) -> dict[int, _Stats]:
    if not assessment_ids:
        return {}
    live = Attempt.state == IN_PROGRESS
    finished_at = sa.func.coalesce(
        Attempt.submitted_at, Attempt.deadline_at, Attempt.started_at
    )
    rows = db.session.execute(
        sa.select(
            Attempt.assessment_id,
            sa.func.count(Attempt.id),
            sa.func.max(sa.case((live, Attempt.id))),
            sa.func.max(sa.case((live, Attempt.deadline_at))),
            sa.func.max(sa.case((~live, finished_at))),
            sa.func.max(sa.case((Attempt.is_valid, Attempt.percent))),
        )
        .where(Attempt.user_id == user_id, Attempt.assessment_id.in_(assessment_ids))
        .group_by(Attempt.assessment_id)
    )
    return {
        row[0]: _Stats(row[1], row[2], _aware(row[3]), _aware(row[4]), row[5])
        for row in rows
    }


def _aware(value):
    """Aggregates of UTCDateTime columns come back naive (or as text on SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=clock.now().tzinfo)


def overrides_for(
    user_id: int, assessment_ids: list[int]
) -> dict[int, AttemptOverride]:
    if not assessment_ids:
        return {}
    rows = db.session.scalars(
        sa.select(AttemptOverride).where(
            AttemptOverride.user_id == user_id,
            AttemptOverride.assessment_id.in_(assessment_ids),
        )
    )
    return {o.assessment_id: o for o in rows}


def catalogue(user: User, page: int, per_page: int):
    """Published assessments, grouped by kind then title, with this learner's numbers."""
    pagination = db.paginate(
        sa.select(Assessment)
        .where(Assessment.is_published.is_(True))
        .options(defer(Assessment.content, raiseload=True))
        .order_by(Assessment.kind, Assessment.title, Assessment.id),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return pagination, availability_for(user, list(pagination.items))
