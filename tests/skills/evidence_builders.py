"""Builders for the evidence and mapping tests: skills, mappings and the
framework row. Each adds and flushes, never commits, like tests/factories.py."""

from __future__ import annotations

import itertools

from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.skills import rules
from lms.skills.models import Skill, SkillCategory, SkillFramework, SkillMapping

_seq = itertools.count(1)


def skill(name: str | None = None, *, slug: str | None = None) -> Skill:
    n = next(_seq)
    category = SkillCategory(slug=f"evidence-cat-{n}", name=f"Category {n}")
    db.session.add(category)
    db.session.flush()
    row = Skill(
        slug=slug or f"evidence-skill-{n}",
        name=name or f"Skill {n}",
        category_id=category.id,
        level_descriptors=[f"Level {i}" for i in range(1, 6)],
    )
    db.session.add(row)
    db.session.flush()
    return row


def mapping(
    of_skill: Skill,
    *,
    assessment=None,
    course=None,
    rule: dict | None = None,
    origin: str = ORIGIN_UI,
) -> SkillMapping:
    source = course and rules.COURSE or assessment.kind
    row = SkillMapping(
        skill_id=of_skill.id,
        assessment_id=assessment.id if assessment is not None else None,
        course_id=course.id if course is not None else None,
        rule=rule or rules.default_rule(source),
        origin=origin,
    )
    db.session.add(row)
    db.session.flush()
    return row


def framework(method: str = "highest_recent", **numbers) -> SkillFramework:
    row = SkillFramework(method=method, **numbers)
    db.session.add(row)
    db.session.flush()
    return row
