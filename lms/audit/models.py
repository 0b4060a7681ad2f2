"""AuditEvent: one audited change (a regrade, an override, an acceptance, a role
change, a manual skill rating, a deactivation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.extensions import db
from lms.types import UTCDateTime
from lms.users.models import User

__all__ = ["AuditEvent"]


class AuditEvent(db.Model):
    """Who changed a grade, granted an override or otherwise touched a learner's record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(40))
    target_type: Mapped[str] = mapped_column(sa.String(40))
    target_id: Mapped[int] = mapped_column(index=True)
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )

    actor: Mapped[User | None] = relationship()
