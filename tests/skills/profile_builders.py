"""Builders for the skills profile, goal and recommendation tests: a small
framework with a ladder, mappings and evidence. Each adds and flushes, never
commits, like tests/factories.py."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lms import clock
from lms.courses.models import Course
from lms.extensions import db
from lms.skills.models import (
    EVIDENCE_ATTEMPT,
    EVIDENCE_COURSE,
    CareerPath,
    CareerRole,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillEvidence,
    SkillMapping,
    UserSkill,
)
from lms.users.models import User

_seq = itertools.count(1)

PERCENT_RULE = {"type": "percent", "levels": [[60, 1], [80, 2], [95, 3]]}
BAND_RULE = {
    "type": "band",
    "levels": {"foundation": 2, "job_ready": 3, "proficient": 4},
}
COMPLETION_RULE = {"type": "completion", "level": 1}


def category(name: str, group: str = "technical", position: int = 0) -> SkillCategory:
    n = next(_seq)
    row = SkillCategory(slug=f"cat-{n}", name=name, group=group, position=position)
    db.session.add(row)
    db.session.flush()
    return row


def skill(
    name: str, cat: SkillCategory, position: int = 0, active: bool = True
) -> Skill:
    n = next(_seq)
    row = Skill(
        slug=f"{name.lower().replace(' ', '-')}-{n}",
        name=name,
        category_id=cat.id,
        position=position,
        is_active=active,
        level_descriptors=[f"{name} at level {i}" for i in range(1, 6)],
    )
    db.session.add(row)
    db.session.flush()
    return row


def path(name: str, side: bool = False, position: int = 0) -> CareerPath:
    n = next(_seq)
    row = CareerPath(slug=f"path-{n}", name=name, is_side_path=side, position=position)
    db.session.add(row)
    db.session.flush()
    return row


def role(
    on: CareerPath, name: str, position: int, requires: dict[Skill, int] | None = None
) -> CareerRole:
    row = CareerRole(
        slug=name.lower().replace(" ", "-"), name=name, path_id=on.id, position=position
    )
    db.session.add(row)
    db.session.flush()
    for s, level in (requires or {}).items():
        db.session.add(RoleRequirement(role_id=row.id, skill_id=s.id, level=level))
    db.session.flush()
    return row


def level(
    user: User, s: Skill, value: int, self_level: int | None = None, count: int = 1
) -> UserSkill:
    row = UserSkill(
        user_id=user.id,
        skill_id=s.id,
        level=value,
        self_level=self_level,
        since=clock.now() if value else None,
        evidence_count=count if value else 0,
    )
    db.session.add(row)
    db.session.flush()
    return row


def mapping(
    s: Skill, *, course: Course | None = None, assessment=None, rule: dict | None = None
) -> SkillMapping:
    if rule is None:
        rule = COMPLETION_RULE if course is not None else PERCENT_RULE
    row = SkillMapping(
        skill_id=s.id,
        course_id=course.id if course else None,
        assessment_id=assessment.id if assessment else None,
        rule=rule,
    )
    db.session.add(row)
    db.session.flush()
    return row


def evidence(
    user: User,
    s: Skill,
    value: int,
    *,
    attempt=None,
    course: Course | None = None,
    source: str | None = None,
    when: datetime | None = None,
    counted: bool = True,
    superseded: bool = False,
    note: str = "",
    rated_by: User | None = None,
) -> SkillEvidence:
    if source is None:
        source = EVIDENCE_ATTEMPT if attempt is not None else EVIDENCE_COURSE
    row = SkillEvidence(
        user_id=user.id,
        skill_id=s.id,
        level=value,
        source=source,
        counted=counted,
        superseded=superseded,
        attempt_id=attempt.id if attempt else None,
        course_id=course.id if course else None,
        rated_by_id=rated_by.id if rated_by else None,
        note=note,
        observed_at=when or clock.now(),
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class Framework:
    technical: SkillCategory
    professional: SkillCategory
    skills: list[Skill]
    ladder: CareerPath
    side: CareerPath
    roles: dict[str, CareerRole]


def framework(n_skills: int = 4, requirement: int = 3) -> Framework:
    """`n_skills` skills split over a technical and a professional category, a
    ladder of three roles and a side path; "Senior executive" needs every skill
    at `requirement`, the executive half of them at 2."""
    technical = category("Keying and records", "technical", 1)
    professional = category("Working with people", "professional", 0)
    skills = [
        skill(f"Skill {i:02d}", technical if i % 2 else professional, position=i)
        for i in range(1, n_skills + 1)
    ]
    ladder = path("Operations", position=1)
    side = path("Quality", side=True, position=0)
    roles = {
        "trainee": role(ladder, "Trainee executive", 1),
        "executive": role(ladder, "Executive", 2, {s: 2 for s in skills[::2]}),
        "senior": role(ladder, "Senior executive", 3, {s: requirement for s in skills}),
        "analyst": role(side, "Quality analyst", 1, {skills[0]: 4}),
    }
    return Framework(technical, professional, skills, ladder, side, roles)


def plain(value: Any) -> Any:
    """Ids of rows, for build_once worlds."""
    return getattr(value, "id", value)
