"""Courses, modules, enrolments (assigned or self-chosen) and per-module progress."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.types import UTCDateTime
from lms.users.models import User


class Course(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    level: Mapped[str | None] = mapped_column(sa.String(20))
    estimated_minutes: Mapped[int | None]
    # Skill slugs; the skills framework resolves them when it exists.
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    is_published: Mapped[bool] = mapped_column(default=False)
    # What earns a module's completion; read through lms.courses.earning.
    completion_rules: Mapped[dict] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )
    # "file" rows come from courses/ and are refreshed by import; "ui" rows are
    # authored in the browser and never touched by an import.
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

    owner: Mapped[User | None] = relationship()
    modules: Mapped[list[Module]] = relationship(
        back_populates="course",
        order_by="Module.position",
        primaryjoin="and_(Course.id == Module.course_id, Module.is_active)",
        viewonly=True,
    )

    @property
    def is_file_content(self) -> bool:
        return self.origin == ORIGIN_FILE


class Module(db.Model):
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE")
    )
    slug: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    minutes: Mapped[int | None]
    body_md: Mapped[str] = mapped_column(sa.Text, default="")
    # Rendered and sanitised when saved or imported, never per request.
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    # Modules removed from a course are retired, not deleted, so progress survives.
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now(), onupdate=lambda: clock.now()
    )

    course: Mapped[Course] = relationship(back_populates="modules")


class Enrolment(db.Model):
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(
        sa.String(10), default="self"
    )  # self | assigned
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    # Assigned work is required unless the assigner marked it optional.
    required: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    enrolled_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("module.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])

    def is_overdue(self, today: date) -> bool:
        return (
            self.completed_at is None
            and self.due_on is not None
            and self.due_on < today
        )


class ModuleProgress(db.Model):
    __table_args__ = (sa.UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("module.id", ondelete="CASCADE"), index=True
    )
    # The first opening starts the reading clock of earned completion; a reload
    # or a second tab never moves it.
    first_viewed_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the module page reported the learner reaching the end of its text.
    end_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
