"""What the team pages say about each person, read for many people at once:
their goal with its readiness, their overdue work and the feedback they were
given. Each read is one grouped query over a condition on User (a team, a set
of teams or a page of people), so a page costs the same few statements however
large the team.

Readiness is lms.skills.careers.readiness of the person's active goal against
their maintained levels (UserSkill). Overdue is required work past its due
date and not done: a course enrolment not completed, an assessment assignment
not passed (lms.assignments.queries.has_passed). Unacknowledged feedback is
feedback the person has not yet acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from lms.assignments.queries import has_passed
from lms.attempts.models import AssessmentAssignment
from lms.courses.models import Enrolment
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.skills import careers
from lms.skills.goals import GOAL_ACTIVE
from lms.skills.models import CareerGoal, CareerRole, RoleRequirement, Skill, UserSkill
from lms.users.models import User


@dataclass
class GoalFacts:
    """A person's active goal: the role, what it requires, their levels in
    those skills and the readiness that makes."""

    team_id: int | None
    role_name: str
    requirements: dict[int, int] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=dict)

    @property
    def readiness(self) -> float:
        return careers.readiness(self.requirements, self.levels)

    def gap(self, skill_id: int) -> int:
        required = self.requirements.get(skill_id)
        if required is None:
            return 0
        return max(required - self.levels.get(skill_id, 0), 0)


@dataclass(frozen=True)
class Counts:
    """Per person: overdue courses and assessments, feedback received and how
    much of it is not yet acknowledged."""

    team_id: int | None = None
    overdue_courses: int = 0
    overdue_assessments: int = 0
    feedback: int = 0
    unacknowledged: int = 0

    @property
    def overdue(self) -> int:
        return self.overdue_courses + self.overdue_assessments


def active_people(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return sa.and_(condition, User.is_active_account.is_(True))


def goals(condition: sa.ColumnElement[bool]) -> dict[int, GoalFacts]:
    """{person id: their goal's facts} for the active people matching
    `condition` who have an active goal: one query."""
    rows = db.session.execute(
        sa.select(
            User.id,
            User.team_id,
            CareerRole.name,
            RoleRequirement.skill_id,
            RoleRequirement.level,
            UserSkill.level,
        )
        .select_from(User)
        .join(
            CareerGoal,
            sa.and_(CareerGoal.user_id == User.id, CareerGoal.status == GOAL_ACTIVE),
        )
        .join(CareerRole, CareerRole.id == CareerGoal.role_id)
        .outerjoin(
            RoleRequirement,
            sa.and_(
                RoleRequirement.role_id == CareerGoal.role_id,
                RoleRequirement.skill_id.in_(
                    sa.select(Skill.id).where(Skill.is_active.is_(True))
                ),
            ),
        )
        .outerjoin(
            UserSkill,
            sa.and_(
                UserSkill.user_id == User.id,
                UserSkill.skill_id == RoleRequirement.skill_id,
            ),
        )
        .where(active_people(condition))
    )
    found: dict[int, GoalFacts] = {}
    for user_id, team_id, role_name, skill_id, required, level in rows:
        facts = found.setdefault(user_id, GoalFacts(team_id, role_name))
        if skill_id is not None:
            facts.requirements[skill_id] = required
            facts.levels[skill_id] = level or 0
    return found


def _overdue_courses(condition, today: date) -> dict[tuple[int, int | None], int]:
    rows = db.session.execute(
        sa.select(Enrolment.user_id, User.team_id, sa.func.count(Enrolment.id))
        .join(User, User.id == Enrolment.user_id)
        .where(
            active_people(condition),
            Enrolment.required.is_(True),
            Enrolment.completed_at.is_(None),
            Enrolment.due_on < today,
        )
        .group_by(Enrolment.user_id, User.team_id)
    )
    return {(user_id, team_id): n for user_id, team_id, n in rows}


def _overdue_assessments(condition, today: date) -> dict[tuple[int, int | None], int]:
    rows = db.session.execute(
        sa.select(
            AssessmentAssignment.user_id,
            User.team_id,
            sa.func.count(AssessmentAssignment.id),
        )
        .join(User, User.id == AssessmentAssignment.user_id)
        .where(
            active_people(condition),
            AssessmentAssignment.required.is_(True),
            AssessmentAssignment.due_on < today,
            ~has_passed(),
        )
        .group_by(AssessmentAssignment.user_id, User.team_id)
    )
    return {(user_id, team_id): n for user_id, team_id, n in rows}


def _feedback(condition) -> dict[tuple[int, int | None], tuple[int, int]]:
    waiting = sa.func.sum(sa.case((Feedback.acknowledged_at.is_(None), 1), else_=0))
    rows = db.session.execute(
        sa.select(
            Feedback.subject_id, User.team_id, sa.func.count(Feedback.id), waiting
        )
        .join(User, User.id == Feedback.subject_id)
        .where(active_people(condition))
        .group_by(Feedback.subject_id, User.team_id)
    )
    return {(user_id, team_id): (n, int(w or 0)) for user_id, team_id, n, w in rows}


def counts(condition: sa.ColumnElement[bool], today: date) -> dict[int, Counts]:
    """{person id: Counts} for the active people matching `condition` who have
    any (three grouped queries); everyone else has none."""
    courses = _overdue_courses(condition, today)
    assessments = _overdue_assessments(condition, today)
    feedback = _feedback(condition)
    found: dict[int, Counts] = {}
    for key in set(courses) | set(assessments) | set(feedback):
        given, waiting = feedback.get(key, (0, 0))
        found[key[0]] = Counts(
            team_id=key[1],
            overdue_courses=courses.get(key, 0),
            overdue_assessments=assessments.get(key, 0),
            feedback=given,
            unacknowledged=waiting,
        )
    return found


def people_per_team(team_ids: list[int]) -> dict[int, int]:
    """{team id: active people}: one grouped query."""
    if not team_ids:
        return {}
    rows = db.session.execute(
        sa.select(User.team_id, sa.func.count(User.id))
        .where(active_people(User.team_id.in_(team_ids)))
        .group_by(User.team_id)
    )
    return {key: value for key, value in rows}
