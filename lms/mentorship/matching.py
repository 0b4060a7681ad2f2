"""Suggested mentors for a mentee, ranked (pure: no database, no clock).

* **Focus**: the skills a mentor should hold, each with a target level. From the
  mentee's active goal, the focus is every gap skill (lms.skills.careers.gaps)
  at the level the target role requires. When the manager picks the focus
  skills themselves, each target is the goal's required level or one above the
  mentee's current level, whichever is higher: a mentor should know more than
  the mentee even where the goal asks for nothing more.
* **Candidates** cover a focus skill when their level is at or above its
  target. A candidate who covers none is not suggested; neither is the mentee,
  anyone who is not available, or anyone without capacity left (their
  capacity, DEFAULT_CAPACITY without a profile, minus their active pairings).
* **Rank**: most focus skills covered first, then the largest margin above the
  targets (summed over the skills covered), then fewer current mentees, then
  name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lms.mentorship.models import DEFAULT_CAPACITY
from lms.skills.careers import gaps

TOP_LEVEL = 5


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    levels: Mapping[int, int] = field(default_factory=dict)  # skill id -> level
    capacity: int = DEFAULT_CAPACITY
    mentees: int = 0  # active pairings as mentor
    available: bool = True

    @property
    def capacity_left(self) -> int:
        return max(self.capacity - self.mentees, 0)


@dataclass(frozen=True)
class Coverage:
    """One focus skill a candidate holds at or above its target."""

    skill_id: int
    level: int
    target: int

    @property
    def margin(self) -> int:
        return self.level - self.target


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    covered: tuple[Coverage, ...]

    @property
    def covered_count(self) -> int:
        return len(self.covered)

    @property
    def margin(self) -> int:
        return sum(c.margin for c in self.covered)

    def sort_key(self) -> tuple:
        c = self.candidate
        return (
            -self.covered_count,
            -self.margin,
            c.mentees,
            c.name.casefold(),
            c.user_id,
        )


def focus_from_goal(
    requirements: Mapping[int, int], levels: Mapping[int, int]
) -> dict[int, int]:
    """{skill id: target level} for the goal's unmet requirements, largest gap first."""
    return {g.skill_id: g.required for g in gaps(requirements, levels) if not g.met}


def focus_from_choice(
    chosen: Iterable[int],
    requirements: Mapping[int, int],
    levels: Mapping[int, int],
) -> dict[int, int]:
    """{skill id: target level} for skills a manager picked, in the order picked."""
    return {
        skill_id: max(
            int(requirements.get(skill_id, 0)),
            min(int(levels.get(skill_id, 0)) + 1, TOP_LEVEL),
        )
        for skill_id in chosen
    }


def coverage(candidate: Candidate, focus: Mapping[int, int]) -> tuple[Coverage, ...]:
    """The focus skills `candidate` holds at or above target, in focus order."""
    found = []
    for skill_id, target in focus.items():
        level = int(candidate.levels.get(skill_id, 0))
        if level >= target:
            found.append(Coverage(skill_id, level, target))
    return tuple(found)


def is_eligible(candidate: Candidate, mentee_id: int) -> bool:
    return (
        candidate.user_id != mentee_id
        and candidate.available
        and candidate.capacity_left > 0
    )


def rank(
    mentee_id: int, focus: Mapping[int, int], candidates: Iterable[Candidate]
) -> list[Suggestion]:
    """Eligible candidates who cover at least one focus skill, best first."""
    suggestions = []
    for candidate in candidates:
        if not is_eligible(candidate, mentee_id):
            continue
        covered = coverage(candidate, focus)
        if covered:
            suggestions.append(Suggestion(candidate, covered))
    return sorted(suggestions, key=Suggestion.sort_key)
