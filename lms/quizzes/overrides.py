"""What the quiz's overrides page lists: the learners' current overrides (extra
time, extra attempts) and the history of granting them.

Overrides are granted by the engine (lms.attempts.overrides.grant_override),
which writes the row and its audit event; this module only reads.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.attempts.models import Assessment, AttemptOverride
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.users.models import User

OVERRIDE_ACTION = "attempt.override"  # the audit action grant_override writes


def overrides_for(assessment: Assessment) -> list[AttemptOverride]:
    """The quiz's overrides with their learners and granters (zeros included)."""
    return list(
        db.session.scalars(
            sa.select(AttemptOverride)
            .where(AttemptOverride.assessment_id == assessment.id)
            .options(
                joinedload(AttemptOverride.user), joinedload(AttemptOverride.created_by)
            )
            .order_by(AttemptOverride.updated_at.desc(), AttemptOverride.id.desc())
        )
    )


def override_history(assessment: Assessment) -> list[tuple[AuditEvent, User | None]]:
    """Audit events of overrides granted on this quiz, newest first, with the learner."""
    learner = sa.orm.aliased(User)
    rows = db.session.execute(
        sa.select(AuditEvent, learner)
        .outerjoin(learner, learner.id == AuditEvent.target_id)
        .where(
            AuditEvent.action == OVERRIDE_ACTION,
            AuditEvent.target_type == "user",
            AuditEvent.details["assessment_id"].as_integer() == assessment.id,
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ).all()
    return [(event, user) for event, user in rows]
