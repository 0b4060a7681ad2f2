"""The coverage question: who can do skill X at level L or above, among the
people the viewer reports on (a manager: their teams' people; an admin:
everyone), highest level first, then by name, with each person's team and the
date of their latest evidence for the skill.

`coverage(viewer, skill_id, min_level, page=None)` returns plain rows (page
None: every row, for exports). It reads the maintained levels (UserSkill,
searched by its skill index) and, for the rows shown, the latest counted
evidence (SkillEvidence, searched by its person-and-skill index): three
statements per page whatever the size of the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.errors import NotFoundError
from lms.extensions import db
from lms.reports import scope
from lms.reports.paging import Pager, pager
from lms.skills.models import EVIDENCE_SELF, Skill, SkillEvidence, UserSkill
from lms.users.models import Team, User

LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class CoverageRow:
    person_id: int
    name: str
    job_title: str | None
    team_id: int | None
    team_name: str | None
    level: int
    last_evidence_at: datetime | None


@dataclass
class Coverage:
    skill_id: int
    skill_name: str
    min_level: int
    rows: list[CoverageRow]
    pager: Pager


def _skill(skill_id: int) -> Skill:
    skill = db.session.scalar(
        sa.select(Skill).where(Skill.id == skill_id, Skill.is_active.is_(True))
    )
    if skill is None:
        raise NotFoundError("There is no such skill in the framework.")
    return skill


def coverage_query(viewer, skill_id: int, min_level: int) -> sa.Select:
    """The people with `skill_id` at `min_level` or above whom `viewer` sees."""
    query = (
        sa.select(
            UserSkill.user_id,
            User.name,
            User.job_title,
            User.team_id,
            Team.name.label("team_name"),
            UserSkill.level,
        )
        .join(User, User.id == UserSkill.user_id)
        .outerjoin(Team, Team.id == User.team_id)
        .where(
            UserSkill.skill_id == skill_id,
            UserSkill.level >= min_level,
            User.is_active_account.is_(True),
        )
    )
    condition = scope.people_condition(viewer)
    return query if condition is None else query.where(condition)


def last_evidence(person_ids: list[int], skill_id: int) -> dict[int, datetime]:
    """When each person last had evidence of the skill that counts (as
    lms.skills.profile.last_evidence_dates reads it for one person)."""
    if not person_ids:
        return {}
    rows = db.session.execute(
        sa.select(SkillEvidence.user_id, sa.func.max(SkillEvidence.observed_at))
        .where(
            SkillEvidence.user_id.in_(person_ids),
            SkillEvidence.skill_id == skill_id,
            SkillEvidence.counted.is_(True),
            SkillEvidence.superseded.is_(False),
            SkillEvidence.source != EVIDENCE_SELF,
        )
        .group_by(SkillEvidence.user_id)
    )
    return {key: value for key, value in rows}


def coverage(
    viewer, skill_id: int, min_level: int, page: int | None = None
) -> Coverage:
    """Who can do the skill at `min_level` (1–5) or above; NotFoundError for a
    skill that is not active in the framework."""
    skill = _skill(skill_id)
    min_level = min(max(int(min_level), LEVELS[0]), LEVELS[-1])
    query = coverage_query(viewer, skill.id, min_level)
    if page is None:
        found = None
    else:
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(query.subquery())
        )
        found = pager(page, total or 0)
    ordered = query.order_by(UserSkill.level.desc(), User.name, User.id)
    if found is not None:
        ordered = ordered.limit(found.per_page).offset(found.offset)
    rows = db.session.execute(ordered).all()
    dates = last_evidence([row.user_id for row in rows], skill.id)
    return Coverage(
        skill_id=skill.id,
        skill_name=skill.name,
        min_level=min_level,
        rows=[
            CoverageRow(
                person_id=row.user_id,
                name=row.name,
                job_title=row.job_title,
                team_id=row.team_id,
                team_name=row.team_name,
                level=row.level,
                last_evidence_at=dates.get(row.user_id),
            )
            for row in rows
        ],
        pager=found or pager(1, len(rows), max(len(rows), 1)),
    )
