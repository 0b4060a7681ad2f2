"""Suggested mentors for a mentee, read from the database and ranked by
lms.mentorship.matching (which holds the rule and documents it).

The candidates are the active people holding a focus skill at or above the
lowest target, leaving out the mentee's current mentors (pairing them again
would be a duplicate). Seven queries, however many people and skills.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from lms.extensions import db
from lms.mentorship import matching, queries
from lms.mentorship.models import ACTIVE, DEFAULT_CAPACITY, MentorPairing
from lms.skills.goals import GOAL_ACTIVE
from lms.skills.models import (
    CareerGoal,
    CareerRole,
    RoleRequirement,
    Skill,
    UserSkill,
)
from lms.users.models import User

SUGGESTION_LIMIT = 10


@dataclass(frozen=True)
class FocusSkill:
    skill: Skill
    target: int
    current: int  # the mentee's level


@dataclass(frozen=True)
class CoveredSkill:
    skill: Skill
    level: int
    target: int

    @property
    def margin(self) -> int:
        return self.level - self.target


@dataclass(frozen=True)
class SuggestedMentor:
    user: User
    covered: list[CoveredSkill]
    mentees: int
    capacity: int
    note: str = ""  # what they say they can help with (their mentor profile)

    @property
    def capacity_left(self) -> int:
        return max(self.capacity - self.mentees, 0)


@dataclass(frozen=True)
class Suggestions:
    focus: list[FocusSkill]
    mentors: list[SuggestedMentor]
    goal_role: CareerRole | None
    chosen: bool  # the focus was picked by hand rather than read from the goal


def suggest_mentors(
    mentee: User,
    chosen_skill_ids: Iterable[int] | None = None,
    limit: int = SUGGESTION_LIMIT,
) -> Suggestions:
    """Ranked mentors for `mentee`'s goal gaps, or for the skills chosen."""
    role, requirements = goal_requirements(mentee)
    levels = levels_of(mentee)
    chosen = [int(s) for s in chosen_skill_ids or []]
    if chosen:
        focus = matching.focus_from_choice(chosen, requirements, levels)
    else:
        focus = matching.focus_from_goal(requirements, levels)
    skills = {s.id: s for s in queries.skills_by_ids(focus)}
    focus = {k: v for k, v in focus.items() if k in skills}
    candidates, users, notes = _candidates(mentee, focus)
    ranked = matching.rank(mentee.id, focus, candidates)[:limit]
    return Suggestions(
        focus=[FocusSkill(skills[k], t, levels.get(k, 0)) for k, t in focus.items()],
        mentors=[_suggested(s, users, skills, notes) for s in ranked],
        goal_role=role,
        chosen=bool(chosen),
    )


def goal_requirements(person: User) -> tuple[CareerRole | None, dict[int, int]]:
    """The role of `person`'s active goal and its active skill requirements."""
    role = db.session.scalar(
        sa.select(CareerRole)
        .join(CareerGoal, CareerGoal.role_id == CareerRole.id)
        .where(CareerGoal.user_id == person.id, CareerGoal.status == GOAL_ACTIVE)
    )
    if role is None:
        return None, {}
    rows = db.session.execute(
        sa.select(RoleRequirement.skill_id, RoleRequirement.level)
        .join(Skill, Skill.id == RoleRequirement.skill_id)
        .where(RoleRequirement.role_id == role.id, Skill.is_active)
        .order_by(RoleRequirement.id)
    )
    return role, {skill_id: level for skill_id, level in rows}


def levels_of(person: User) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(UserSkill.skill_id, UserSkill.level).where(
            UserSkill.user_id == person.id
        )
    )
    return {skill_id: level for skill_id, level in rows}


def _candidates(
    mentee: User, focus: dict[int, int]
) -> tuple[list[matching.Candidate], dict[int, User], dict[int, str]]:
    if not focus:
        return [], {}, {}
    current_mentors = sa.select(MentorPairing.mentor_id).where(
        MentorPairing.mentee_id == mentee.id, MentorPairing.status == ACTIVE
    )
    rows = db.session.execute(
        sa.select(User, UserSkill.skill_id, UserSkill.level)
        .join(UserSkill, UserSkill.user_id == User.id)
        .where(
            UserSkill.skill_id.in_(list(focus)),
            UserSkill.level >= min(focus.values()),
            User.is_active_account,
            User.id != mentee.id,
            User.id.not_in(current_mentors),
        )
    )
    users: dict[int, User] = {}
    held: dict[int, dict[int, int]] = defaultdict(dict)
    for user, skill_id, level in rows:
        users[user.id] = user
        held[user.id][skill_id] = level
    profiles = queries.profiles_of(users)
    counts = queries.mentee_counts(users)
    candidates = []
    for user_id, user in users.items():
        profile = profiles.get(user_id)
        candidates.append(
            matching.Candidate(
                user_id=user_id,
                name=user.name,
                levels=held[user_id],
                capacity=profile.capacity if profile else DEFAULT_CAPACITY,
                mentees=counts.get(user_id, 0),
                available=profile.available if profile else True,
            )
        )
    notes = {user_id: p.note for user_id, p in profiles.items() if p.note}
    return candidates, users, notes


def _suggested(
    suggestion: matching.Suggestion,
    users: dict[int, User],
    skills: dict[int, Skill],
    notes: dict[int, str],
) -> SuggestedMentor:
    c = suggestion.candidate
    return SuggestedMentor(
        user=users[c.user_id],
        covered=[
            CoveredSkill(skills[x.skill_id], x.level, x.target)
            for x in suggestion.covered
        ],
        mentees=c.mentees,
        capacity=c.capacity,
        note=notes.get(c.user_id, ""),
    )
