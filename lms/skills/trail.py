"""A level's evidence trail: every piece of evidence for one person and skill,
newest first, each with where it leads — the attempt's result page, the
completed course, or who rated it (reading only; lms.skills.evidence writes).
Superseded items (replaced by a regrade or an acceptance) and self-assessments
stay in the trail, marked as not counted."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from lms.attempts import links
from lms.attempts.models import Attempt
from lms.extensions import db
from lms.skills.models import EVIDENCE_RATING, EVIDENCE_SELF, Skill, SkillEvidence
from lms.users.models import User


@dataclass(frozen=True)
class TrailItem:
    """One piece of evidence as a level's trail shows it, with where it leads."""

    evidence: SkillEvidence
    title: str
    link: str | None  # the attempt's result page or the course page; None for ratings

    @property
    def status(self) -> str:
        if self.evidence.superseded:
            return "replaced by a later grade"
        if self.evidence.source == EVIDENCE_SELF:
            return "own view, not counted"
        return "counted" if self.evidence.counted else "not counted"


def level_trail(user: User, skill: Skill, *, page: int = 1, per_page: int = 25):
    """Every piece of evidence for `user`'s level in `skill`, newest first, as a
    page (Flask-SQLAlchemy Pagination) of TrailItems. Two queries per page."""
    stmt = (
        sa.select(SkillEvidence)
        .where(SkillEvidence.user_id == user.id, SkillEvidence.skill_id == skill.id)
        .options(
            joinedload(SkillEvidence.attempt).joinedload(Attempt.assessment),
            joinedload(SkillEvidence.course),
            joinedload(SkillEvidence.rated_by),
        )
        .order_by(SkillEvidence.observed_at.desc(), SkillEvidence.id.desc())
    )
    found = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    found.items = [trail_item(row) for row in found.items]
    return found


def trail_item(row: SkillEvidence) -> TrailItem:
    """`row` needs attempt (with its assessment), course and rated_by loaded."""
    if row.attempt is not None:
        title = f"{row.attempt.assessment.title}, attempt {row.attempt.number}"
        return TrailItem(row, title, links.result_url(row.attempt))
    if row.course is not None:
        link = url_for("courses.course_detail", slug=row.course.slug)
        return TrailItem(row, f"Completed the course {row.course.title}", link)
    if row.source == EVIDENCE_RATING:
        rater = row.rated_by.name if row.rated_by is not None else "a former colleague"
        return TrailItem(row, f"Rated by {rater}", None)
    return TrailItem(row, "Self-assessment", None)
