"""What a preview must never store: counts of the rows an attempt, its answers
and keystrokes, its announcements and audit trail would add."""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts.models import Attempt, KeystrokeChunk, Response
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.notifications.models import Notification
from lms.skills.models import SkillEvidence, UserSkill

STORED_BY_AN_ATTEMPT = (
    Attempt,
    Response,
    KeystrokeChunk,
    Notification,
    SkillEvidence,
    UserSkill,
    AuditEvent,
)


def stored_rows() -> dict[str, int]:
    """{table name: row count} for every table an attempt writes to."""
    return {
        model.__tablename__: db.session.scalar(
            sa.select(sa.func.count()).select_from(model)
        )
        for model in STORED_BY_AN_ATTEMPT
    }
