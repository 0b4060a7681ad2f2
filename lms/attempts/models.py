"""Assessments (quizzes and keying tests), attempts at them, saved responses,
keystroke chunks, per-learner overrides and the audit trail.

An assessment's `content` holds the items *with* their answer keys; it never goes to
a learner's browser. An attempt copies what it needs into `snapshot` at start, so a
later edit or import cannot change a live attempt or its score.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.courses.models import Course
from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.types import UTCDateTime
from lms.users.models import User

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
ABANDONED = "abandoned"
STATES = (IN_PROGRESS, SUBMITTED, ABANDONED)

ON_EXPIRY = ("autosubmit", "grace", "abandon")

# The one-live-attempt index's predicate; ON CONFLICT must name it word for word.
LIVE_PREDICATE = "state = 'in_progress'"


class Assessment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description_md: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course.id", ondelete="SET NULL"), index=True
    )
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Kind-specific settings (shuffling, pass mark, review options, bands, draw sizes).
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Kind-specific items including answer keys. Never rendered for learners.
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    time_limit_seconds: Mapped[int | None]
    attempts_allowed: Mapped[int] = mapped_column(default=0)  # 0 = unlimited
    on_expiry: Mapped[str] = mapped_column(sa.String(12), default="autosubmit")
    open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_published: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    origin: Mapped[str] = mapped_column(sa.String(10), default=ORIGIN_UI)
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now(), onupdate=lambda: clock.now()
    )

    course: Mapped[Course | None] = relationship()
    owner: Mapped[User | None] = relationship()


class Attempt(db.Model):
    __table_args__ = (
        sa.Index("ix_attempt_user_assessment", "user_id", "assessment_id"),
        sa.Index("ix_attempt_state_deadline", "state", "deadline_at"),
        # "Latest finished attempts" lists read these backwards and stop early:
        # everyone's (a trainer's review list) and one person's (the second
        # also keeps a person's lists off the first, which would read everyone's).
        sa.Index("ix_attempt_state_submitted", "state", "submitted_at"),
        sa.Index("ix_attempt_user_state_submitted", "user_id", "state", "submitted_at"),
        # At most one live attempt per learner and assessment; a racing second
        # start inserts nothing (ON CONFLICT DO NOTHING) and resumes the first.
        sa.Index(
            "uq_attempt_one_live",
            "user_id",
            "assessment_id",
            unique=True,
            sqlite_where=sa.text(LIVE_PREDICATE),
            postgresql_where=sa.text(LIVE_PREDICATE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    number: Mapped[int] = mapped_column(
        default=1
    )  # 1st, 2nd... attempt of this learner
    assessment_version: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(sa.String(12), default=IN_PROGRESS)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    # What this attempt was given, answer keys included; scoring reads only this.
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalized_by: Mapped[str | None] = mapped_column(
        sa.String(12)
    )  # learner|expiry|staff
    last_seq: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]
    band: Mapped[str | None] = mapped_column(sa.String(20))
    flags: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    is_valid: Mapped[bool] = mapped_column(default=True)
    # Monotonic per-row version; the conditional submit checks and bumps it.
    row_version: Mapped[int] = mapped_column(default=1)

    assessment: Mapped[Assessment] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_live(self) -> bool:
        return self.state == IN_PROGRESS

    @property
    def is_final(self) -> bool:
        return self.state in (SUBMITTED, ABANDONED)


class Response(db.Model):
    """The latest saved value of one item of an attempt."""

    __table_args__ = (sa.UniqueConstraint("attempt_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[Any] = mapped_column(sa.JSON)
    seq: Mapped[int]
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now())


class KeystrokeChunk(db.Model):
    """Raw keystroke events, sent in chunks with saves; reduced after the retention period."""

    __table_args__ = (sa.UniqueConstraint("attempt_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE")
    )
    seq: Mapped[int]
    events: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )


class AttemptOverride(db.Model):
    """Extra time or extra attempts for one learner on one assessment."""

    __table_args__ = (sa.UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    extra_seconds: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now(), onupdate=lambda: clock.now()
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class AssessmentAssignment(db.Model):
    """A quiz or keying test assigned to a person, with a due date; required ones
    show in My learning with overdue marks, and managers see who has not passed."""

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "user_id"),
        sa.Index("ix_assessment_assignment_user_due", "user_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    required: Mapped[bool] = mapped_column(default=True)
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )

    assessment: Mapped[Assessment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
