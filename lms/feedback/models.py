"""Feedback: a strength and one thing to improve, about a person and optionally
one of their attempts and a skill; the person replies once and acknowledges."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.attempts.models import Attempt
from lms.extensions import db
from lms.skills.models import Skill
from lms.types import UTCDateTime
from lms.users.models import User

__all__ = ["Feedback"]


class Feedback(db.Model):
    __table_args__ = (
        sa.Index("ix_feedback_subject_ack", "subject_id", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    subject_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE")
    )
    attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="SET NULL")
    )
    strength: Mapped[str] = mapped_column(sa.Text)
    improve: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now(), index=True
    )
    reply: Mapped[str | None] = mapped_column(sa.Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    subject: Mapped[User] = relationship(foreign_keys=[subject_id])
    attempt: Mapped[Attempt | None] = relationship()
    skill: Mapped[Skill | None] = relationship()
