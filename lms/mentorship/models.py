"""Mentorship: who mentors whom on which skills, their sessions and the action
items agreed in them.

* `MentorProfile` says whether a person takes mentees and how many at once
  (anyone may mentor, an experienced learner included).
* `MentorPairing` is a mentor, a mentee, the focus skills and the dates; a
  manager creates it, usually from the suggested mentors (lms.mentorship.matching).
* `MentorSession` is one meeting with notes, acknowledged by the mentee.
* `ActionItem` is something agreed in a session: an owner (mentor or mentee),
  a due date, and when it was done.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.extensions import db
from lms.types import UTCDateTime
from lms.users.models import User

__all__ = ["ActionItem", "MentorPairing", "MentorProfile", "MentorSession"]

ACTIVE = "active"
ENDED = "ended"
DEFAULT_CAPACITY = 3


def _now() -> datetime:
    return clock.now()


class MentorProfile(db.Model):
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    capacity: Mapped[int] = mapped_column(default=DEFAULT_CAPACITY)
    available: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    user: Mapped[User] = relationship()


class MentorPairing(db.Model):
    __table_args__ = (
        sa.CheckConstraint("mentor_id <> mentee_id", name="not_self"),
        sa.Index(
            "uq_mentor_pairing_active",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    focus_skill_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(12), default=ACTIVE)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class MentorSession(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentor_pairing.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    pairing: Mapped[MentorPairing] = relationship()


class ActionItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentor_session.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[MentorSession] = relationship()
    owner: Mapped[User] = relationship()
