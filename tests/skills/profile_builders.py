"""Builders for the skills profile, goal and recommendation tests: a small
framework with a ladder, mappings and evidence. Each adds and flushes, never
commits, like tests/factories.py."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
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


# --------------------------------------------------------------------------
# A world for the pages and the API: built once per module (build_once)
# --------------------------------------------------------------------------

WORLD_ROLES = ("anon", "learner", "trainer", "manager", "admin")


def road_world(app) -> dict:
    """A learner on the way to "Senior executive", with levels, evidence and
    mapped courses and tests; a trainer, their manager and an admin with
    profiles of their own, and another learner whose levels must never show."""
    from lms.skills import goals
    from lms.skills.models import EVIDENCE_RATING, EVIDENCE_SELF
    from lms.users.models import Role
    from tests import factories
    from tests.conftest import session_of

    with app.app_context():
        fw = framework(6)
        s = fw.skills
        manager = factories.user(Role.MANAGER, name="Maya Manager")
        team = factories.team("Reconciliations", manager=manager)
        learner = factories.user(team=team, name="Lena Learner")
        learner.job_title = "Executive"
        other = factories.user(name="Otto Other")
        trainer = factories.user(Role.TRAINER, name="Tara Trainer")
        admin = factories.user(Role.ADMIN, name="Ada Admin")

        course = factories.course(title="Reconciling accounts", modules=1)
        check = factories.quiz(2, title="Reconciliation check", course=course)
        keying = factories.record_entry_test(title="Ledger vs bank keying")
        hidden = factories.course(title="Unpublished draft", published=False)
        mapping(s[1], course=course, rule={"type": "completion", "level": 2})
        mapping(s[1], assessment=check, rule=PERCENT_RULE)
        mapping(s[2], assessment=keying, rule=BAND_RULE)
        mapping(s[2], course=hidden)

        level(learner, s[0], 3, self_level=4, count=1)
        level(learner, s[1], 1, count=1)
        level(learner, s[2], 0, self_level=2)
        attempt = factories.quiz_attempt(learner, check)
        evidence(learner, s[1], 1, attempt=attempt, note="Moved Skill 02 to level 1.")
        evidence(
            learner,
            s[0],
            3,
            source=EVIDENCE_RATING,
            rated_by=manager,
            note="Reconciled the March ledger alone.",
        )
        evidence(learner, s[2], 2, source=EVIDENCE_SELF, counted=False)
        goals.set_goal(learner, fw.roles["senior"], date(2026, 12, 1))

        level(other, s[0], 5)
        level(other, s[3], 4)
        goals.set_goal(other, fw.roles["analyst"], date(2026, 12, 1))
        db.session.commit()
        users = {
            "learner": learner,
            "trainer": trainer,
            "manager": manager,
            "admin": admin,
        }
        return {
            "ids": {
                "skills": [x.slug for x in s],
                "roles": {k: r.slug for k, r in fw.roles.items()},
                "course": course.slug,
                "check": check.slug,
                "keying": keying.slug,
                "attempt": attempt.id,
                "learner": learner.id,
                "other": other.id,
            },
            "sessions": {"anon": None}
            | {role: session_of(u) for role, u in users.items()},
        }


def empty_tables(app) -> None:
    """Empty every table mid-test, to build a second world in the same test."""
    from tests.conftest import _empty_all_tables

    _empty_all_tables(app)
