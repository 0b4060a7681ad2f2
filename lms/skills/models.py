"""The skills framework, evidence of skill levels, each person's maintained level
per skill, career paths with their required levels, and career goals.

* `SkillFramework` (one row) says how evidence becomes a level: the method
  (highest in the last N days, latest, or decaying average) and its numbers.
* `SkillCategory` → `Skill`, each with a descriptor per level of the 5-level
  scale (1 Awareness … 5 Expert).
* `SkillMapping` ties a course or an assessment to a skill with a rule from
  result to level (lms.skills.rules).
* `SkillEvidence` is one observation: an attempt's result, a completed course,
  a manager's or mentor's rating with a justification, or a learner's
  self-assessment (kept, shown beside, never counted).
* `UserSkill` is the maintained level per person and skill, updated in the
  transaction that records new evidence: pages read it and never aggregate raw
  attempts.
* `CareerPath` → ordered `CareerRole`s → `RoleRequirement`s (skill, level);
  a `CareerGoal` is a person's target role and date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.attempts.models import Assessment, Attempt
from lms.courses.models import Course
from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.types import UTCDateTime
from lms.users.models import User

__all__ = [
    "CareerGoal",
    "CareerPath",
    "CareerRole",
    "RoleRequirement",
    "Skill",
    "SkillCategory",
    "SkillEvidence",
    "SkillFramework",
    "SkillMapping",
    "UserSkill",
]

# Where a piece of evidence comes from.
EVIDENCE_ATTEMPT = "attempt"
EVIDENCE_COURSE = "course"
EVIDENCE_RATING = "rating"  # a manager or mentor, with a justification
EVIDENCE_SELF = "self"  # the learner's own view: shown, never counted
EVIDENCE_SOURCES = (EVIDENCE_ATTEMPT, EVIDENCE_COURSE, EVIDENCE_RATING, EVIDENCE_SELF)


def _now() -> datetime:
    return clock.now()


class SkillFramework(db.Model):
    """How evidence becomes a level (lms.skills.levels defines each method)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="Skills framework")
    method: Mapped[str] = mapped_column(sa.String(30), default="highest_recent")
    recent_days: Mapped[int] = mapped_column(default=365)
    decay: Mapped[float] = mapped_column(default=0.65)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class SkillCategory(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    group: Mapped[str] = mapped_column(sa.String(20), default="technical")
    position: Mapped[int] = mapped_column(default=0)
    origin: Mapped[str] = mapped_column(sa.String(10), default=ORIGIN_UI)


class Skill(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill_category.id", ondelete="RESTRICT"), index=True
    )
    # One descriptor per level, 1 Awareness … 5 Expert.
    level_descriptors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    origin: Mapped[str] = mapped_column(sa.String(10), default=ORIGIN_UI)

    category: Mapped[SkillCategory] = relationship()


class SkillMapping(db.Model):
    """A course or an assessment as evidence of a skill, with its rule."""

    __table_args__ = (
        sa.CheckConstraint(
            "(course_id IS NULL) <> (assessment_id IS NULL)",
            name="one_source",
        ),
        sa.UniqueConstraint("skill_id", "course_id"),
        sa.UniqueConstraint("skill_id", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    # lms.skills.rules: {"type": "percent", "levels": [[80, 2], [95, 3]]},
    # {"type": "band", "levels": {"job_ready": 3}}, {"type": "completion", "level": 1}
    rule: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    origin: Mapped[str] = mapped_column(sa.String(10), default=ORIGIN_UI)

    skill: Mapped[Skill] = relationship()
    course: Mapped[Course | None] = relationship()
    assessment: Mapped[Assessment | None] = relationship()


class SkillEvidence(db.Model):
    __table_args__ = (sa.Index("ix_skill_evidence_user_skill", "user_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(12))
    counted: Mapped[bool] = mapped_column(default=True)
    attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE")
    )
    rated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    # A newer piece of evidence from the same attempt or course replaces this one
    # (a regrade, an acceptance): kept for the trail, no longer counted.
    superseded: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    skill: Mapped[Skill] = relationship()
    attempt: Mapped[Attempt | None] = relationship()
    course: Mapped[Course | None] = relationship()
    rated_by: Mapped[User | None] = relationship(foreign_keys=[rated_by_id])


class UserSkill(db.Model):
    __table_args__ = (sa.UniqueConstraint("user_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(default=0)  # 0: no counted evidence yet
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(sa.String(30), default="highest_recent")
    evidence_count: Mapped[int] = mapped_column(default=0)
    self_level: Mapped[int | None]  # the learner's own view, never counted
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    user: Mapped[User] = relationship()
    skill: Mapped[Skill] = relationship()


class CareerPath(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_side_path: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    origin: Mapped[str] = mapped_column(sa.String(10), default=ORIGIN_UI)


class CareerRole(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    path_id: Mapped[int] = mapped_column(
        sa.ForeignKey("career_path.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)  # order along the path
    origin: Mapped[str] = mapped_column(sa.String(10), default=ORIGIN_UI)

    path: Mapped[CareerPath] = relationship()


class RoleRequirement(db.Model):
    __table_args__ = (sa.UniqueConstraint("role_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(
        sa.ForeignKey("career_role.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skill.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int]

    role: Mapped[CareerRole] = relationship()
    skill: Mapped[Skill] = relationship()


class CareerGoal(db.Model):
    """A person's target role and date; one active goal at a time."""

    __table_args__ = (
        sa.Index(
            "uq_career_goal_active_user",
            "user_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[int] = mapped_column(
        sa.ForeignKey("career_role.id", ondelete="CASCADE"), index=True
    )
    target_date: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(12), default="active")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    user: Mapped[User] = relationship()
    role: Mapped[CareerRole] = relationship()
