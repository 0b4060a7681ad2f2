"""A person's skills profile and where their career goal stands (reading only).

`profile_for(user)` gives every active skill grouped by category with the
person's maintained level (UserSkill; 0 means "not yet shown"), their own view
beside it (never counted), the level their active goal's role requires, and the
gap; and the goal with its readiness and per-skill gaps (lms.skills.careers).
`role_outlook(user, role, levels)` is the same reading for any role, to see what
a role needs before choosing it.

Every read runs a fixed number of queries, however many skills there are:
pages for one person or many call these for any user, not only the signed-in one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.errors import NotFoundError
from lms.extensions import db
from lms.skills import careers, goals
from lms.skills.catalog_specs import GROUPS
from lms.skills.models import (
    EVIDENCE_SELF,
    CareerGoal,
    CareerRole,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillEvidence,
    UserSkill,
)
from lms.users.models import User

GROUP_ORDER = {group: n for n, group in enumerate(GROUPS)}


@dataclass(frozen=True)
class SkillLevel:
    """One skill as it stands for one person."""

    skill: Skill
    level: int = 0  # 0: no counted evidence yet ("not yet shown")
    self_level: int | None = None
    target: int | None = None  # what the goal's role requires, if it does
    evidence_count: int = 0
    last_evidence_at: datetime | None = None
    since: datetime | None = None

    @property
    def gap(self) -> int:
        return max((self.target or 0) - self.level, 0)

    @property
    def shown(self) -> bool:
        return self.level > 0

    @property
    def descriptor(self) -> str:
        """What the current level means for this skill ("" when none)."""
        return level_descriptor(self.skill, self.level)


@dataclass(frozen=True)
class CategoryLevels:
    category: SkillCategory
    skills: list[SkillLevel]


@dataclass(frozen=True)
class SkillGap:
    """One requirement of a role against the person's level, as careers.Gap."""

    skill: Skill
    required: int
    current: int

    @property
    def skill_id(self) -> int:
        return self.skill.id

    @property
    def gap(self) -> int:
        return max(self.required - self.current, 0)

    @property
    def met(self) -> bool:
        return self.gap == 0


@dataclass(frozen=True)
class RoleOutlook:
    """What a role requires and how far the person is from it."""

    role: CareerRole
    requirements: dict[int, int]
    readiness: float
    gaps: list[SkillGap]  # largest first

    @property
    def open_gaps(self) -> list[SkillGap]:
        return [g for g in self.gaps if not g.met]


@dataclass(frozen=True)
class GoalStatus:
    goal: CareerGoal
    outlook: RoleOutlook

    @property
    def role(self) -> CareerRole:
        return self.goal.role


@dataclass(frozen=True)
class Profile:
    user: User
    categories: list[CategoryLevels]
    goal: GoalStatus | None = None
    skills: list[SkillLevel] = field(default_factory=list)

    @property
    def levels(self) -> dict[int, int]:
        return {row.skill.id: row.level for row in self.skills}

    @property
    def has_levels(self) -> bool:
        return any(row.shown for row in self.skills)


def level_descriptor(skill: Skill, level: int) -> str:
    descriptors = skill.level_descriptors or []
    if 1 <= level <= len(descriptors):
        return descriptors[level - 1] or ""
    return ""


def framework_order() -> tuple:
    """Technical categories, then professional ones, then by position and name."""
    return (
        sa.case(
            *[(SkillCategory.group == g, n) for g, n in GROUP_ORDER.items()],
            else_=len(GROUP_ORDER),
        ),
        SkillCategory.position,
        SkillCategory.name,
        Skill.position,
        Skill.name,
    )


def active_skills() -> list[Skill]:
    """Every active skill with its category, in framework order."""
    return list(
        db.session.scalars(
            sa.select(Skill)
            .join(Skill.category)
            .where(Skill.is_active)
            .options(joinedload(Skill.category))
            .order_by(*framework_order())
        )
    )


def user_skills(user: User) -> dict[int, UserSkill]:
    rows = db.session.scalars(sa.select(UserSkill).where(UserSkill.user_id == user.id))
    return {row.skill_id: row for row in rows}


def last_evidence_dates(user: User) -> dict[int, datetime]:
    """When each skill last had evidence that counts, in one grouped query."""
    rows = db.session.execute(
        sa.select(SkillEvidence.skill_id, sa.func.max(SkillEvidence.observed_at))
        .where(
            SkillEvidence.user_id == user.id,
            SkillEvidence.counted,
            sa.not_(SkillEvidence.superseded),
            SkillEvidence.source != EVIDENCE_SELF,
        )
        .group_by(SkillEvidence.skill_id)
    )
    return {skill_id: when for skill_id, when in rows}


def requirements_of(role: CareerRole) -> list[tuple[Skill, int]]:
    """The active skills a role requires with the level, in framework order."""
    rows = db.session.scalars(
        sa.select(RoleRequirement)
        .join(RoleRequirement.skill)
        .join(Skill.category)
        .where(RoleRequirement.role_id == role.id, Skill.is_active)
        .options(joinedload(RoleRequirement.skill))
        .order_by(*framework_order())
    )
    return [(row.skill, row.level) for row in rows]


def role_outlook(
    user: User, role: CareerRole, levels: dict[int, int] | None = None
) -> RoleOutlook:
    """Readiness and gaps of `user` for `role`; `levels` saves a query when known."""
    if levels is None:
        levels = {sid: row.level for sid, row in user_skills(user).items()}
    required = requirements_of(role)
    skills = {skill.id: skill for skill, _ in required}
    requirements = {skill.id: level for skill, level in required}
    return RoleOutlook(
        role=role,
        requirements=requirements,
        readiness=careers.readiness(requirements, levels),
        gaps=[
            SkillGap(skills[g.skill_id], g.required, g.current)
            for g in careers.gaps(requirements, levels)
        ],
    )


def profile_for(user: User) -> Profile:
    """`user`'s whole skills profile and goal (any user: callers check access)."""
    skills = active_skills()
    held = user_skills(user)
    last = last_evidence_dates(user)
    goal = goals.active_goal(user)
    levels = {sid: row.level for sid, row in held.items()}
    outlook = role_outlook(user, goal.role, levels) if goal is not None else None
    targets = outlook.requirements if outlook is not None else {}
    rows = [_skill_level(skill, held.get(skill.id), last, targets) for skill in skills]
    return Profile(
        user=user,
        categories=_by_category(rows),
        goal=GoalStatus(goal, outlook) if goal is not None else None,
        skills=rows,
    )


def _skill_level(
    skill: Skill,
    held: UserSkill | None,
    last: dict[int, datetime],
    targets: dict[int, int],
) -> SkillLevel:
    return SkillLevel(
        skill=skill,
        level=held.level if held else 0,
        self_level=held.self_level if held else None,
        target=targets.get(skill.id),
        evidence_count=held.evidence_count if held else 0,
        last_evidence_at=last.get(skill.id),
        since=held.since if held and held.level else None,
    )


def _by_category(rows: list[SkillLevel]) -> list[CategoryLevels]:
    grouped: list[CategoryLevels] = []
    for row in rows:
        if not grouped or grouped[-1].category.id != row.skill.category_id:
            grouped.append(CategoryLevels(row.skill.category, []))
        grouped[-1].skills.append(row)
    return grouped


# --------------------------------------------------------------------------
# One skill (its evidence trail is lms.skills.trail)
# --------------------------------------------------------------------------


def skill_by_slug(slug: str) -> Skill:
    skill = db.session.scalars(
        sa.select(Skill).where(Skill.slug == slug).options(joinedload(Skill.category))
    ).first()
    if skill is None:
        raise NotFoundError("There is no such skill in the framework.")
    return skill


def skill_level_for(user: User, skill: Skill) -> SkillLevel:
    """One skill as it stands for `user`, with the goal's target for it."""
    held = db.session.scalars(
        sa.select(UserSkill).where(
            UserSkill.user_id == user.id, UserSkill.skill_id == skill.id
        )
    ).first()
    goal = goals.active_goal(user)
    target = None
    if goal is not None:
        target = db.session.scalar(
            sa.select(RoleRequirement.level).where(
                RoleRequirement.role_id == goal.role_id,
                RoleRequirement.skill_id == skill.id,
            )
        )
    return _skill_level(
        skill, held, last_evidence_dates(user), {skill.id: target} if target else {}
    )
