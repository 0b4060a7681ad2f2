"""What a result did to skills, and what to do next: for result pages.

`skills_moved_by(attempt)` lists, for each skill the assessment maps to, the
sentence recorded with the attempt's evidence ("Moved Reconciliation to level
3 (Job-ready band).") or why there is none ("No change to Data entry: this
attempt is unverified, so it is not evidence."). Evidence keeps the sentence
written when it was recorded, so the page says what happened then even after
the learner moved on.

`next_steps(attempt)` suggests where to go from here: the course to revise
when the result fell short (not passed, or no evidence for a mapped skill),
and the next published assessment for the same skills the learner has not
tried yet (the same course's first, quizzes before keying tests).

`readiness_change(attempt, user)` puts the learner's readiness for their
goal role beside what it would be without this result's evidence ("Senior
executive: 52 %, 45 % without this result"), so a result shows how far it
moved them along their path.

All read a fixed number of queries whatever the number of skills.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms import clock
from lms.attempts.models import Assessment, Attempt
from lms.courses.models import Course
from lms.extensions import db
from lms.skills import careers, evidence, goals, profile, rules
from lms.skills.levels import current_level
from lms.skills.models import Skill, SkillEvidence, SkillMapping

MAPPED_AFTER = "this skill was mapped here after this attempt"


@dataclass(frozen=True)
class MovedSkill:
    skill: Skill
    level: int | None  # the level of the evidence; None when it is no evidence
    sentence: str

    @property
    def is_evidence(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class NextStep:
    kind: str  # "course" or an assessment kind
    title: str
    slug: str
    why: str


def skills_moved_by(attempt: Attempt) -> list[MovedSkill]:
    """Each mapped skill with what this attempt did to it (final attempts only)."""
    if not attempt.is_final:
        return []
    recorded = {
        row.skill_id: row
        for row in db.session.scalars(
            sa.select(SkillEvidence)
            .where(
                SkillEvidence.attempt_id == attempt.id,
                sa.not_(SkillEvidence.superseded),
            )
            .options(joinedload(SkillEvidence.skill))
        )
    }
    moved = []
    for mapping in _mappings(attempt.assessment_id):
        row = recorded.pop(mapping.skill_id, None)
        moved.append(_moved(mapping, row, attempt))
    moved += [MovedSkill(row.skill, row.level, row.note) for row in recorded.values()]
    return sorted(moved, key=lambda m: m.skill.name)


def _moved(mapping: SkillMapping, row: SkillEvidence | None, attempt) -> MovedSkill:
    if row is not None:
        return MovedSkill(mapping.skill, row.level, row.note)
    found = rules.outcome(mapping.rule, attempt.result if attempt.result else None)
    reason = found.reason if not found.is_evidence else MAPPED_AFTER
    return MovedSkill(
        mapping.skill, None, f"No change to {mapping.skill.name}: {reason}."
    )


def _mappings(assessment_id: int) -> list[SkillMapping]:
    return list(
        db.session.scalars(
            sa.select(SkillMapping)
            .where(SkillMapping.assessment_id == assessment_id)
            .options(joinedload(SkillMapping.skill))
        )
    )


@dataclass(frozen=True)
class ReadinessChange:
    role_name: str
    before: float  # without this result's evidence
    after: float  # as the learner stands now

    @property
    def moved(self) -> bool:
        return self.after != self.before


def readiness_change(attempt: Attempt, user) -> ReadinessChange | None:
    """Readiness for `user`'s goal role with and without this attempt's evidence
    (None without a goal, or when this attempt is not `user`'s)."""
    if attempt.user_id != user.id or not attempt.is_final:
        return None
    goal = goals.active_goal(user)
    if goal is None:
        return None
    requirements = {
        skill.id: level for skill, level in profile.requirements_of(goal.role)
    }
    after = evidence.current_levels(user.id)
    before = dict(after)
    before.update(_levels_without(attempt, list(requirements)))
    return ReadinessChange(
        goal.role.name,
        careers.readiness(requirements, before),
        careers.readiness(requirements, after),
    )


def _levels_without(attempt: Attempt, skill_ids: list[int]) -> dict[int, int]:
    """The levels of the skills this attempt gave evidence for, computed from the
    person's other counted evidence."""
    rows = db.session.execute(
        sa.select(
            SkillEvidence.skill_id,
            SkillEvidence.level,
            SkillEvidence.observed_at,
            SkillEvidence.attempt_id,
        )
        .where(
            SkillEvidence.user_id == attempt.user_id,
            SkillEvidence.skill_id.in_(skill_ids),
            SkillEvidence.counted,
            sa.not_(SkillEvidence.superseded),
        )
        .order_by(SkillEvidence.observed_at, SkillEvidence.id)
    ).all()
    touched = {row.skill_id for row in rows if row.attempt_id == attempt.id}
    if not touched:
        return {}
    method, now = evidence.framework_method(), clock.now()
    return {
        skill_id: current_level(
            [r for r in rows if r.skill_id == skill_id and r.attempt_id != attempt.id],
            method,
            now,
        )
        for skill_id in touched
    }


def next_steps(
    attempt: Attempt, moved: list[MovedSkill] | None = None
) -> list[NextStep]:
    """The course to revise (when the result fell short) and the next test."""
    if not attempt.is_final:
        return []
    moved = skills_moved_by(attempt) if moved is None else moved
    skill_ids = [m.skill.id for m in moved]
    assessment = db.session.get(Assessment, attempt.assessment_id)
    steps = []
    fell_short = attempt.passed is False or any(not m.is_evidence for m in moved)
    if fell_short:
        course = _course_to_revise(assessment, skill_ids)
        if course is not None:
            steps.append(
                NextStep(
                    "course", course.title, course.slug, "revise it, then try again"
                )
            )
    following = _next_assessment(attempt, assessment, skill_ids)
    if following is not None:
        steps.append(
            NextStep(
                following.kind,
                following.title,
                following.slug,
                "it checks the same skills in another way",
            )
        )
    return steps


def _course_to_revise(assessment: Assessment, skill_ids: list[int]) -> Course | None:
    if assessment.course_id is not None:
        own = db.session.get(Course, assessment.course_id)
        if own is not None and own.is_published:
            return own
    if not skill_ids:
        return None
    return db.session.scalar(
        sa.select(Course)
        .join(SkillMapping, SkillMapping.course_id == Course.id)
        .where(Course.is_published, SkillMapping.skill_id.in_(skill_ids))
        .order_by(Course.title, Course.id)
        .limit(1)
    )


def _next_assessment(
    attempt: Attempt, assessment: Assessment, skill_ids: list[int]
) -> Assessment | None:
    """A published assessment for the same skills (or the same course) the learner
    has not attempted yet: the same course's first, then quizzes first."""
    tried = sa.select(Attempt.assessment_id).where(Attempt.user_id == attempt.user_id)
    mapped = sa.select(SkillMapping.assessment_id).where(
        SkillMapping.skill_id.in_(skill_ids), SkillMapping.assessment_id.is_not(None)
    )
    related = [Assessment.id.in_(mapped)]
    if assessment.course_id is not None:
        related.append(Assessment.course_id == assessment.course_id)
    same_course = sa.case((Assessment.course_id == assessment.course_id, 0), else_=1)
    quiz_first = sa.case((Assessment.kind == rules.QUIZ, 0), else_=1)
    return db.session.scalar(
        sa.select(Assessment)
        .where(
            Assessment.is_published,
            Assessment.id != assessment.id,
            Assessment.id.not_in(tried),
            sa.or_(*related),
        )
        .order_by(same_course, quiz_first, Assessment.title, Assessment.id)
        .limit(1)
    )
