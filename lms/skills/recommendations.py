"""Recommended next steps towards a role: what to do first, and what it would move.

For the largest gaps first, the published courses and assessments mapped to
that skill (SkillMapping), each with the level its rule would give and the
result that gives it ("a job-ready band gives Reconciliation level 3; you are
at 1, the Senior executive role needs 3"). Within one skill: each course, then
the assessments of that course (its check quiz before its keying tests), then
the other assessments the same way.

A step is left out when it would not move the learner (the best level it can
give is not above where they are) or when they already have it: a completed
course, or an attempt that already gave that level. A step mapped to several
gap skills is listed once, under its largest gap, with every skill it moves.

`rank()` is the pure ordering (unit-tested); `recommend()` reads what it needs
in a fixed number of queries and calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.attempts import kinds
from lms.attempts.models import Assessment, Attempt
from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.skills import rules
from lms.skills.models import SkillEvidence, SkillMapping
from lms.users.models import User

COURSE = rules.COURSE
QUIZ = rules.QUIZ
# A course first, then its check quiz, then keying tests and anything else.
KIND_ORDER = {COURSE: 0, QUIZ: 1}
DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Outcome:
    """A result and the level it gives: ("a job-ready band", 3)."""

    condition: str
    level: int


@dataclass(frozen=True)
class Candidate:
    """A course or assessment mapped to one skill, as this learner stands with it."""

    key: tuple[str, int]  # ("course", id) or ("assessment", id)
    kind: str  # "course" or the assessment's kind
    title: str
    skill_id: int
    outcomes: tuple[Outcome, ...]
    course_id: int | None = None  # the course it belongs to (a course: itself)
    done_level: int = 0  # the best level it already gave this learner in this skill
    completed: bool = False  # a course the learner has completed
    slug: str = ""


@dataclass(frozen=True)
class Gap:
    """What ranking needs of a gap (careers.Gap and profile.SkillGap fit too)."""

    skill_id: int
    required: int
    current: int


@dataclass(frozen=True)
class Move:
    """What one step would do to one skill."""

    skill_id: int
    outcome: Outcome
    current: int
    required: int

    @property
    def reaches(self) -> bool:
        return self.outcome.level >= self.required


@dataclass(frozen=True)
class Recommendation:
    key: tuple[str, int]
    kind: str
    title: str
    moves: tuple[Move, ...]
    slug: str = ""

    @property
    def is_course(self) -> bool:
        return self.kind == COURSE


# --------------------------------------------------------------------------
# Ranking (pure)
# --------------------------------------------------------------------------


def best_outcome(
    outcomes: Iterable[Outcome], current: int, required: int
) -> Outcome | None:
    """The outcome worth aiming at: the lowest that reaches the requirement, else
    the highest that still moves the learner up; None when none moves them."""
    moving = [o for o in outcomes if o.level > current]
    if not moving:
        return None
    reaching = [o for o in moving if o.level >= required]
    if reaching:
        return min(reaching, key=lambda o: o.level)
    return max(moving, key=lambda o: o.level)


def rank(
    gaps: Sequence[Gap], candidates: Iterable[Candidate], limit: int | None = None
) -> list[Recommendation]:
    """Steps for the open gaps in the order given (largest first), merged per step."""
    by_skill: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_skill.setdefault(candidate.skill_id, []).append(candidate)
    found: dict[tuple[str, int], Recommendation] = {}
    for gap in gaps:
        if gap.current >= gap.required:
            continue
        for candidate in _in_step_order(by_skill.get(gap.skill_id, [])):
            move = _move(candidate, gap)
            if move is None:
                continue
            known = found.get(candidate.key)
            if known is None:
                found[candidate.key] = Recommendation(
                    candidate.key,
                    candidate.kind,
                    candidate.title,
                    (move,),
                    candidate.slug,
                )
            else:
                found[candidate.key] = replace(known, moves=(*known.moves, move))
    ranked = list(found.values())
    return ranked if limit is None else ranked[:limit]


def _move(candidate: Candidate, gap: Gap) -> Move | None:
    if candidate.completed:
        return None
    outcome = best_outcome(candidate.outcomes, gap.current, gap.required)
    if outcome is None or candidate.done_level >= outcome.level:
        return None
    return Move(gap.skill_id, outcome, gap.current, gap.required)


def _in_step_order(candidates: list[Candidate]) -> list[Candidate]:
    """Each course, then its own assessments (quiz first), then the rest."""
    courses = sorted(
        (c for c in candidates if c.kind == COURSE), key=lambda c: c.title.casefold()
    )
    group = {c.course_id: n for n, c in enumerate(courses)}

    def order(c: Candidate) -> tuple:
        return (
            group.get(c.course_id, len(group)),
            KIND_ORDER.get(c.kind, len(KIND_ORDER)),
            c.title.casefold(),
            c.key,
        )

    return sorted(candidates, key=order)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def rule_outcomes(rule: dict[str, Any]) -> tuple[Outcome, ...]:
    """Each level a mapping's rule can give with its condition (lms.skills.rules);
    a rule that cannot be used offers nothing."""
    if not isinstance(rule, dict) or rules.problems(rule):
        return ()
    return tuple(Outcome(condition, level) for condition, level in rules.outcomes(rule))


def sentence(
    move: Move, skill_name: str, role_name: str, level_name: Callable = str
) -> str:
    """ "a job-ready band gives Reconciliation level 3; you are at 1, the Senior
    executive role needs 3"."""
    where = f"you are at {move.current}" if move.current else "you have no level yet"
    return (
        f"{move.outcome.condition} gives {skill_name} level "
        f"{level_name(move.outcome.level)}; {where}, the {role_name} role needs "
        f"{level_name(move.required)}"
    )


def start_url(step: Recommendation) -> str:
    """Where the learner starts a step: the course page or the assessment's page."""
    from flask import url_for

    if step.is_course:
        return url_for("courses.course_detail", slug=step.slug)
    return url_for("attempts.intro", slug=step.slug)


def kind_label(step: Recommendation) -> str:
    if step.is_course:
        return "Course"
    try:
        return kinds.get(step.kind).label
    except kinds.UnknownKind:
        return "Assessment"


def explained(
    steps: Sequence[Recommendation], role_name: str, skill_names: dict[int, str]
) -> list[dict[str, Any]]:
    """Steps as pages and the API show them: where to start and, per skill, what
    each step would move, as numbers and as a sentence."""
    return [
        {
            "step": step,
            "url": start_url(step),
            "kind_label": kind_label(step),
            "moves": [
                {
                    "move": move,
                    "skill_name": skill_names.get(move.skill_id, "this skill"),
                    "text": sentence(
                        move, skill_names.get(move.skill_id, "this skill"), role_name
                    ),
                }
                for move in step.moves
            ],
        }
        for step in steps
    ]


def recommend(
    user: User, gaps: Sequence[Gap], limit: int | None = DEFAULT_LIMIT
) -> list[Recommendation]:
    """Next steps for `user` towards closing `gaps` (largest first)."""
    open_gaps = [g for g in gaps if g.current < g.required]
    if not open_gaps:
        return []
    return rank(open_gaps, candidates_for(user, [g.skill_id for g in open_gaps]), limit)


def candidates_for(user: User, skill_ids: list[int]) -> list[Candidate]:
    """Published courses and assessments mapped to the skills, as `user` stands."""
    mappings = published_mappings(skill_ids)
    if not mappings:
        return []
    done = _levels_earned(user, skill_ids)
    completed = _completed_courses(
        user, [m.course_id for m in mappings if m.course_id is not None]
    )
    return [_candidate(m, done, completed) for m in mappings]


def published_mappings(skill_ids: list[int]) -> list[SkillMapping]:
    return list(
        db.session.scalars(
            sa.select(SkillMapping)
            .outerjoin(SkillMapping.course)
            .outerjoin(SkillMapping.assessment)
            .where(
                SkillMapping.skill_id.in_(skill_ids),
                sa.or_(Course.is_published, Assessment.is_published),
            )
            .options(
                joinedload(SkillMapping.course), joinedload(SkillMapping.assessment)
            )
        )
    )


def _candidate(
    mapping: SkillMapping,
    done: dict[tuple[int, str, int], int],
    completed: set[int],
) -> Candidate:
    outcomes = rule_outcomes(mapping.rule)
    if mapping.course is not None:
        key = (COURSE, mapping.course.id)
        return Candidate(
            key=key,
            kind=COURSE,
            title=mapping.course.title,
            skill_id=mapping.skill_id,
            outcomes=outcomes,
            course_id=mapping.course.id,
            done_level=done.get((mapping.skill_id, *key), 0),
            completed=mapping.course.id in completed,
            slug=mapping.course.slug,
        )
    assessment = mapping.assessment
    key = ("assessment", assessment.id)
    return Candidate(
        key=key,
        kind=assessment.kind,
        title=assessment.title,
        skill_id=mapping.skill_id,
        outcomes=outcomes,
        course_id=assessment.course_id,
        done_level=done.get((mapping.skill_id, *key), 0),
        slug=assessment.slug,
    )


def _levels_earned(user: User, skill_ids: list[int]) -> dict[tuple[int, str, int], int]:
    """The best counted level each course or assessment gave the user per skill."""
    rows = db.session.execute(
        sa.select(
            SkillEvidence.skill_id,
            SkillEvidence.course_id,
            Attempt.assessment_id,
            sa.func.max(SkillEvidence.level),
        )
        .outerjoin(Attempt, Attempt.id == SkillEvidence.attempt_id)
        .where(
            SkillEvidence.user_id == user.id,
            SkillEvidence.skill_id.in_(skill_ids),
            SkillEvidence.counted,
            sa.not_(SkillEvidence.superseded),
            sa.or_(
                SkillEvidence.course_id.is_not(None),
                SkillEvidence.attempt_id.is_not(None),
            ),
        )
        .group_by(
            SkillEvidence.skill_id, SkillEvidence.course_id, Attempt.assessment_id
        )
    )
    earned: dict[tuple[int, str, int], int] = {}
    for skill_id, course_id, assessment_id, level in rows:
        if assessment_id is not None:
            key = (skill_id, "assessment", assessment_id)
        else:
            key = (skill_id, COURSE, course_id)
        earned[key] = max(earned.get(key, 0), level)
    return earned


def _completed_courses(user: User, course_ids: list[int]) -> set[int]:
    if not course_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Enrolment.course_id).where(
                Enrolment.user_id == user.id,
                Enrolment.course_id.in_(course_ids),
                Enrolment.completed_at.is_not(None),
            )
        )
    )
