"""Builders for the framework, career-path and admin-page tests: categories,
skills, paths, roles and requirements. Each adds and flushes, never commits,
like tests/factories.py."""

from __future__ import annotations

import itertools

from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.skills.models import (
    CareerPath,
    CareerRole,
    RoleRequirement,
    Skill,
    SkillCategory,
)

_seq = itertools.count(1)


def category(
    slug: str | None = None, *, group: str = "technical", origin: str = ORIGIN_UI
) -> SkillCategory:
    n = next(_seq)
    row = SkillCategory(
        slug=slug or f"category-{n}",
        name=f"Category {n}",
        group=group,
        position=n,
        origin=origin,
    )
    db.session.add(row)
    db.session.flush()
    return row


def skill(
    slug: str | None = None,
    *,
    of: SkillCategory | None = None,
    origin: str = ORIGIN_UI,
    active: bool = True,
    name: str | None = None,
) -> Skill:
    n = next(_seq)
    row = Skill(
        slug=slug or f"skill-{n}",
        name=name or f"Skill {n}",
        description=f"What skill {n} is.",
        category_id=(of or category(origin=origin)).id,
        level_descriptors=[f"Level {i} of skill {n}" for i in range(1, 6)],
        position=n,
        origin=origin,
        is_active=active,
    )
    db.session.add(row)
    db.session.flush()
    return row


def path(
    slug: str | None = None, *, side: bool = False, origin: str = ORIGIN_UI
) -> CareerPath:
    n = next(_seq)
    row = CareerPath(
        slug=slug or f"path-{n}",
        name=f"Path {n}",
        description=f"Where path {n} leads.",
        is_side_path=side,
        position=n,
        origin=origin,
    )
    db.session.add(row)
    db.session.flush()
    return row


def role(
    slug: str | None = None,
    *,
    on: CareerPath | None = None,
    position: int = 1,
    origin: str = ORIGIN_UI,
    requires: dict[Skill, int] | None = None,
) -> CareerRole:
    n = next(_seq)
    row = CareerRole(
        slug=slug or f"role-{n}",
        name=f"Role {n}",
        description=f"What role {n} does.",
        path_id=(on or path(origin=origin)).id,
        position=position,
        origin=origin,
    )
    db.session.add(row)
    db.session.flush()
    for required, level in (requires or {}).items():
        db.session.add(
            RoleRequirement(role_id=row.id, skill_id=required.id, level=level)
        )
    db.session.flush()
    return row
