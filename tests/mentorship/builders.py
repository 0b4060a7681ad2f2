"""Builders for mentorship tests (and the skills rows they read). Each adds to the
session and flushes but never commits, like tests/factories.py."""

from __future__ import annotations

import itertools
from datetime import date

from lms import clock
from lms.extensions import db
from lms.mentorship.models import (
    ACTIVE,
    ActionItem,
    MentorPairing,
    MentorProfile,
    MentorSession,
)
from lms.skills.models import (
    CareerGoal,
    CareerPath,
    CareerRole,
    RoleRequirement,
    Skill,
    SkillCategory,
    UserSkill,
)
from lms.users.models import User

_seq = itertools.count(1)


def category(name: str | None = None) -> SkillCategory:
    n = next(_seq)
    c = SkillCategory(slug=f"category-{n}", name=name or f"Category {n}")
    db.session.add(c)
    db.session.flush()
    return c


def skill(name: str | None = None, *, cat: SkillCategory | None = None) -> Skill:
    n = next(_seq)
    s = Skill(
        slug=f"skill-{n}",
        name=name or f"Skill {n}",
        category_id=(cat or category()).id,
        level_descriptors=[f"Level {i}" for i in range(1, 6)],
    )
    db.session.add(s)
    db.session.flush()
    return s


def level(user: User, s: Skill, value: int) -> UserSkill:
    row = UserSkill(
        user_id=user.id, skill_id=s.id, level=value, since=clock.now(), evidence_count=1
    )
    db.session.add(row)
    db.session.flush()
    return row


def role(requirements: dict[Skill, int], name: str | None = None) -> CareerRole:
    n = next(_seq)
    path = CareerPath(slug=f"path-{n}", name=f"Path {n}")
    db.session.add(path)
    db.session.flush()
    r = CareerRole(slug=f"role-{n}", name=name or f"Role {n}", path_id=path.id)
    db.session.add(r)
    db.session.flush()
    for s, required in requirements.items():
        db.session.add(RoleRequirement(role_id=r.id, skill_id=s.id, level=required))
    db.session.flush()
    return r


def goal(user: User, target: CareerRole, target_date: date | None = None) -> CareerGoal:
    g = CareerGoal(user_id=user.id, role_id=target.id, target_date=target_date)
    db.session.add(g)
    db.session.flush()
    return g


def profile(user: User, capacity: int = 3, available: bool = True) -> MentorProfile:
    p = MentorProfile(user_id=user.id, capacity=capacity, available=available)
    db.session.add(p)
    db.session.flush()
    return p


def pairing(
    mentor: User,
    mentee: User,
    *,
    focus: list[Skill] | None = None,
    status: str = ACTIVE,
    starts_on: date | None = None,
    ends_on: date | None = None,
    by: User | None = None,
) -> MentorPairing:
    p = MentorPairing(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        focus_skill_ids=[s.id for s in focus or []],
        starts_on=starts_on or date(2026, 1, 5),
        ends_on=ends_on,
        status=status,
        created_by_id=by.id if by else None,
    )
    db.session.add(p)
    db.session.flush()
    return p


def session(
    p: MentorPairing, held_on: date | None = None, notes: str = "We talked."
) -> MentorSession:
    s = MentorSession(pairing_id=p.id, held_on=held_on or date(2026, 2, 2), notes=notes)
    db.session.add(s)
    db.session.flush()
    return s


def item(
    s: MentorSession, owner: User, text: str = "Practise", due_on: date | None = None
) -> ActionItem:
    i = ActionItem(session_id=s.id, owner_id=owner.id, text=text, due_on=due_on)
    db.session.add(i)
    db.session.flush()
    return i
