"""What a viewer may see of a final attempt: one review path for pages and API.

Staff who review the assessment (lms.attempts.policies) see everything; a
learner sees what the kind's review options allow, decided by the kind from
the assessment's settings and the circumstances (`ReviewContext`). The kind
builds and filters the per-item review; this module only adds what is the
same for every kind: the summary, hiding the score when the settings say so,
and the review block the browser reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from lms import clock
from lms.attempts import kinds, policies
from lms.attempts.kinds import STAFF_REVIEW, ReviewContext, ReviewOptions
from lms.attempts.models import IN_PROGRESS, SUBMITTED, Attempt, AttemptOverride
from lms.attempts.queries import responses_for
from lms.extensions import db
from lms.users.models import User

# What "show the score" hides from a learner.
SCORE_KEYS = ("score", "max_score", "percent", "passed")


class _LearnerContext(ReviewContext):
    """A ReviewContext whose `attempts_left` is counted only if a kind asks."""

    def __init__(self, attempt: Attempt, now: datetime) -> None:
        close_at = attempt.assessment.close_at
        object.__setattr__(self, "closed", close_at is not None and now >= close_at)
        object.__setattr__(self, "close_at", close_at)
        object.__setattr__(self, "_attempt", attempt)

    @property
    def attempts_left(self) -> bool:  # type: ignore[override]
        return attempts_left(self._attempt)


def attempts_left(attempt: Attempt) -> bool:
    """May the attempt's learner still start another attempt at its assessment?"""
    assessment = attempt.assessment
    if not assessment.attempts_allowed:
        return True
    extra = db.session.scalar(
        sa.select(AttemptOverride.extra_attempts).where(
            AttemptOverride.assessment_id == assessment.id,
            AttemptOverride.user_id == attempt.user_id,
        )
    )
    used = db.session.scalar(
        sa.select(sa.func.count(Attempt.id)).where(
            Attempt.assessment_id == assessment.id,
            Attempt.user_id == attempt.user_id,
            Attempt.state != IN_PROGRESS,
        )
    )
    return used < assessment.attempts_allowed + (extra or 0)


def review_options(
    attempt: Attempt, viewer: User, now: datetime | None = None
) -> ReviewOptions:
    """Staff see everything; the learner sees what the kind's review rules allow."""
    if policies.is_staff_viewer(viewer, attempt):
        return STAFF_REVIEW
    kind = kinds.get(attempt.kind)
    context = _LearnerContext(attempt, now or clock.now())
    return kind.review_options(attempt.assessment.settings or {}, context)


def review_items(
    attempt: Attempt, responses: dict[str, Any], options: ReviewOptions
) -> list[dict[str, Any]]:
    """The kind's per-item review of a final attempt, filtered by `options`."""
    if attempt.result is None:
        return []
    return kinds.get(attempt.kind).review(
        attempt.snapshot, attempt.result, responses, options
    )


def result_for(
    attempt: Attempt, viewer: User, now: datetime | None = None
) -> dict[str, Any] | None:
    """The result as `viewer` may see it: the summary once final, per-item detail
    only when review is allowed. None while the attempt is live or unscored."""
    if attempt.state != SUBMITTED or attempt.result is None:
        return None
    options = review_options(attempt, viewer, now)
    staff = policies.is_staff_viewer(viewer, attempt)
    kind = kinds.get(attempt.kind)
    view = dict(attempt.result) if staff else kind.summary(attempt.result)
    view["review"] = options.as_dict()
    if not options.show_score:
        for key in SCORE_KEYS:
            view.pop(key, None)
    if options.allowed:
        view["items"] = review_items(attempt, responses_for(attempt), options)
    elif not staff:
        view.pop("items", None)
    return view
