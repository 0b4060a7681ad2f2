"""What a mentor sees of each mentee, read for a whole page of people at once:
their skill levels (the maintained UserSkill rows), their active goal with its
readiness and open gaps (lms.skills.careers), and their latest results.

Four queries for any number of people. Callers check access first
(lms.people.policies.can_view_person / lms.mentorship.policies).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload

from lms.attempts import kinds
from lms.attempts.links import result_url
from lms.attempts.models import Attempt
from lms.attempts.policies import can_view_attempt
from lms.attempts.queries import finished
from lms.extensions import db
from lms.keying.scoring.bands import BAND_LABELS
from lms.keying.services import headline_metric
from lms.skills import careers
from lms.skills.goals import GOAL_ACTIVE
from lms.skills.models import CareerGoal, RoleRequirement, Skill, UserSkill
from lms.users.models import User

RESULTS_PER_PERSON = 3
SPEED_METRICS = ("net_kph", "net_wpm", "f1")
METRIC_LABELS = {"net_kph": "net KPH", "net_wpm": "net WPM", "f1": "F1"}


@dataclass(frozen=True)
class GapRow:
    skill: Skill
    required: int
    current: int

    @property
    def gap(self) -> int:
        return max(self.required - self.current, 0)


@dataclass(frozen=True)
class GoalSummary:
    goal: CareerGoal
    readiness: float
    gaps: list[GapRow]  # open gaps, largest first


@dataclass(frozen=True)
class ResultRow:
    """A finished attempt with the figures any viewer of the person may read."""

    attempt: Attempt
    figures: dict[str, Any]

    @property
    def kind_label(self) -> str:
        return (
            kinds.get(self.attempt.kind).label
            if kinds.is_registered(self.attempt.kind)
            else self.attempt.kind
        )

    @property
    def headline(self) -> str:
        """ "82 % · passed", "Job-ready · 9,120 net KPH · 97.5 %", "Unverified"."""
        f = self.figures
        if f.get("validity"):
            return _keying_headline(self.attempt, f)
        a = self.attempt
        if a.percent is None:
            return "—"
        verdict = {True: " · passed", False: " · not yet"}.get(a.passed, "")
        return f"{a.percent:.0f} %{verdict}"


@dataclass
class PersonProgress:
    person: User
    levels: list[UserSkill] = field(default_factory=list)  # shown levels only
    goal: GoalSummary | None = None
    results: list[ResultRow] = field(default_factory=list)


def progress_of(
    people: Iterable[User], results_per_person: int = RESULTS_PER_PERSON
) -> dict[int, PersonProgress]:
    """{person id: their levels, goal and latest results}."""
    found = {p.id: PersonProgress(p) for p in people}
    ids = list(found)
    if not ids:
        return found
    levels = _levels(ids)
    for person_id, rows in levels.items():
        found[person_id].levels = [r for r in rows if r.level > 0]
    for person_id, summary in _goals(ids, levels).items():
        found[person_id].goal = summary
    for person_id, rows in recent_results(ids, results_per_person).items():
        found[person_id].results = rows
    return found


def _levels(ids: list[int]) -> dict[int, list[UserSkill]]:
    rows = db.session.scalars(
        sa.select(UserSkill)
        .join(UserSkill.skill)
        .options(joinedload(UserSkill.skill))
        .where(UserSkill.user_id.in_(ids), Skill.is_active)
        .order_by(UserSkill.level.desc(), Skill.name)
    )
    found: dict[int, list[UserSkill]] = defaultdict(list)
    for row in rows:
        found[row.user_id].append(row)
    return found


def _goals(
    ids: list[int], levels: dict[int, list[UserSkill]]
) -> dict[int, GoalSummary]:
    goals = db.session.scalars(
        sa.select(CareerGoal)
        .options(joinedload(CareerGoal.role))
        .where(CareerGoal.user_id.in_(ids), CareerGoal.status == GOAL_ACTIVE)
    ).all()
    if not goals:
        return {}
    requirements: dict[int, dict[int, int]] = defaultdict(dict)
    skills: dict[int, Skill] = {}
    for req in db.session.scalars(
        sa.select(RoleRequirement)
        .join(RoleRequirement.skill)
        .options(joinedload(RoleRequirement.skill))
        .where(RoleRequirement.role_id.in_({g.role_id for g in goals}), Skill.is_active)
        .order_by(RoleRequirement.id)
    ):
        requirements[req.role_id][req.skill_id] = req.level
        skills[req.skill_id] = req.skill
    summaries = {}
    for goal in goals:
        required = requirements.get(goal.role_id, {})
        held = {r.skill_id: r.level for r in levels.get(goal.user_id, [])}
        summaries[goal.user_id] = GoalSummary(
            goal=goal,
            readiness=careers.readiness(required, held),
            gaps=[
                GapRow(skills[g.skill_id], g.required, g.current)
                for g in careers.gaps(required, held)
                if not g.met
            ],
        )
    return summaries


def recent_results(ids: list[int], per_person: int) -> dict[int, list[ResultRow]]:
    """Each person's latest finished attempts with their assessment and the
    person's team loaded (for lms.attempts.policies.can_view_attempt)."""
    if not ids or per_person <= 0:
        return {}
    position = (
        sa.func.row_number()
        .over(
            partition_by=Attempt.user_id,
            order_by=(Attempt.submitted_at.desc(), Attempt.id.desc()),
        )
        .label("position")
    )
    latest = (
        sa.select(Attempt.id, position)
        .where(Attempt.user_id.in_(ids), finished())
        .subquery()
    )
    figures = [
        Attempt.result["validity"].as_string().label("validity"),
        Attempt.result["accuracy"].as_float().label("accuracy"),
        *(Attempt.result[m].as_float().label(m) for m in SPEED_METRICS),
    ]
    rows = db.session.execute(
        sa.select(Attempt, *figures)
        .join(latest, latest.c.id == Attempt.id)
        .where(latest.c.position <= per_person)
        .options(
            defer(Attempt.snapshot),
            defer(Attempt.result),
            joinedload(Attempt.assessment),
            joinedload(Attempt.user).joinedload(User.team),
        )
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )
    found: dict[int, list[ResultRow]] = defaultdict(list)
    names = ("validity", "accuracy", *SPEED_METRICS)
    for attempt, *values in rows:
        figures = dict(zip(names, values, strict=True))
        found[attempt.user_id].append(ResultRow(attempt, figures))
    return found


def result_links(viewer, rows: Iterable[ResultRow]) -> dict[int, str]:
    """{attempt id: result page} for the results `viewer` may open; the others
    are listed without a link (a mentor sees the figures, not the answers)."""
    return {
        row.attempt.id: result_url(row.attempt)
        for row in rows
        if can_view_attempt(viewer, row.attempt)
    }


def _keying_headline(attempt: Attempt, figures: dict[str, Any]) -> str:
    validity = figures.get("validity")
    if validity != "valid":
        return "Unverified" if validity == "unverified" else "Invalid"
    parts = [BAND_LABELS.get(attempt.band, attempt.band) if attempt.band else "No band"]
    metric = headline_metric(attempt.kind)
    speed = figures.get(metric)
    if speed is not None:
        if metric == "f1":
            parts.append(f"F1 {speed * 100:.1f} %")
        else:
            parts.append(f"{speed:,.0f} {METRIC_LABELS[metric]}")
    accuracy = figures.get("accuracy")
    if accuracy is not None and metric != "f1":
        parts.append(f"{accuracy * 100:.1f} % accurate")
    return " · ".join(parts)
