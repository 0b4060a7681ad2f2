"""What the manager's exports hold: the skill matrix, results and feedback of the
people a viewer reports on, read in batches so a 10,000-person export never has
every row in memory at once.

**Who is in an export.** Admins export a chosen team or everyone; a manager
exports one of their teams or all of them, never another team (the team rule is
lms.reports.scope's; an unknown team and another manager's team get the same
404). Only active accounts are listed.

**Batches.** People are read in name order a batch at a time with keyset
pagination (`(name, id) > last`), and each batch's levels, goals, attempts or
feedback with one query per kind of fact on indexed columns (UserSkill by
user, Attempt by user and assessment, Feedback by subject). Attempt results are
read as the few figures an export shows (JSON fields), never the whole result
or the attempt's snapshot.

Times are the viewer's local wall-clock time; the header names the zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lms.attempts import kinds
from lms.attempts.models import SUBMITTED, Assessment, Attempt
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.keying.scoring.bands import BAND_LABELS
from lms.reports import facts, scope
from lms.reports.exports import Table
from lms.skills.models import Skill, SkillCategory, UserSkill
from lms.users import time_zones
from lms.users.models import Team, User

PEOPLE_PER_BATCH = 500
RESULT_PEOPLE_PER_BATCH = 100  # about 10,000 attempts at the scale data's 100 each
ATTEMPTS_PER_FETCH = 1000
KINDS_OF_EXPORT = {
    "matrix": "Skill matrix",
    "results": "Results",
    "feedback": "Feedback",
}


@dataclass(frozen=True)
class ExportScope:
    """The people an export covers: a team, or every team the viewer reports on
    (`team` None; for an admin that is everyone)."""

    condition: sa.ColumnElement[bool]
    label: str

    @classmethod
    def for_viewer(cls, viewer, team_id: int | None) -> ExportScope:
        if team_id is not None:
            team = scope.visible_team(viewer, team_id)
            return cls(User.team_id == team.id, team.name)
        condition = scope.people_condition(viewer)
        if condition is None:
            return cls(sa.true(), "everyone")
        return cls(condition, "all my teams")


def _zone_name(zone) -> str:
    return str(zone.key)


# --- people in batches ------------------------------------------------------------


def people_batches(
    export: ExportScope, size: int = PEOPLE_PER_BATCH
) -> Iterator[list[Any]]:
    """Active people in scope by name, `size` at a time: (id, name, email, team,
    job title) rows."""
    query = (
        sa.select(User.id, User.name, User.email, Team.name, User.job_title)
        .outerjoin(Team, Team.id == User.team_id)
        .where(export.condition, User.is_active_account.is_(True))
        .order_by(User.name, User.id)
        .limit(size)
    )
    last: tuple[str, int] | None = None
    while True:
        page = query
        if last is not None:
            page = page.where(sa.tuple_(User.name, User.id) > sa.tuple_(*last))
        batch = db.session.execute(page).all()
        if not batch:
            return
        yield batch
        if len(batch) < size:
            return
        last = (batch[-1][1], batch[-1][0])


# --- the skill matrix ---------------------------------------------------------------


def _skills() -> list[tuple[int, str]]:
    return list(
        db.session.execute(
            sa.select(Skill.id, Skill.name)
            .join(SkillCategory, SkillCategory.id == Skill.category_id)
            .where(Skill.is_active.is_(True))
            .order_by(
                SkillCategory.position, SkillCategory.name, Skill.position, Skill.name
            )
        )
    )


def matrix(export: ExportScope) -> Table:
    """One row per person: who, team, job title, goal role, readiness, then the
    current level in every active skill (empty: no level recorded)."""
    skills = _skills()
    header = [
        "Person",
        "Email",
        "Team",
        "Job title",
        "Goal role",
        "Readiness (%)",
        *(name for _, name in skills),
    ]
    return Table("Skill matrix", header, _matrix_rows(export, [s for s, _ in skills]))


def _matrix_rows(export: ExportScope, skill_ids: list[int]) -> Iterator[list[Any]]:
    for batch in people_batches(export):
        ids = [row[0] for row in batch]
        levels: dict[int, dict[int, int]] = {}
        for user_id, skill_id, level in db.session.execute(
            sa.select(UserSkill.user_id, UserSkill.skill_id, UserSkill.level).where(
                UserSkill.user_id.in_(ids)
            )
        ):
            levels.setdefault(user_id, {})[skill_id] = level
        goals = facts.goals(User.id.in_(ids))
        for user_id, name, email, team, job_title in batch:
            goal = goals.get(user_id)
            mine = levels.get(user_id, {})
            yield [
                name,
                email,
                team or "",
                job_title or "",
                goal.role_name if goal else "",
                goal.readiness if goal else None,
                *(mine.get(skill_id) for skill_id in skill_ids),
            ]


# --- results --------------------------------------------------------------------------


def results(export: ExportScope, zone) -> Table:
    """Every finished attempt of the people in scope, by person then date."""
    header = [
        "Person",
        "Email",
        "Team",
        "Assessment",
        "Kind",
        f"Date ({_zone_name(zone)})",
        "Score",
        "Percent",
        "Net KPH",
        "Accuracy (%)",
        "Band",
        "Validity",
        "Flags",
    ]
    return Table("Results", header, _result_rows(export, zone))


def _result_rows(export: ExportScope, zone) -> Iterator[list[Any]]:
    for batch in people_batches(export, RESULT_PEOPLE_PER_BATCH):
        people = {row[0]: row for row in batch}
        query = (
            sa.select(
                Attempt.user_id,
                Assessment.title,
                Attempt.kind,
                Attempt.submitted_at,
                Attempt.score,
                Attempt.max_score,
                Attempt.percent,
                Attempt.result["net_kph"].as_float(),
                Attempt.result["accuracy"].as_float(),
                Attempt.band,
                Attempt.result["validity"].as_string(),
                Attempt.is_valid,
                Attempt.flags,
            )
            .join(Assessment, Assessment.id == Attempt.assessment_id)
            .join(User, User.id == Attempt.user_id)
            .where(Attempt.user_id.in_(people), Attempt.state == SUBMITTED)
            .order_by(User.name, User.id, Attempt.submitted_at, Attempt.id)
            .execution_options(yield_per=ATTEMPTS_PER_FETCH)
        )
        for row in db.session.execute(query):
            yield _result_row(people[row[0]], row, zone)


def _result_row(person, row, zone) -> list[Any]:
    (_, title, kind, submitted, score, max_score, percent, net_kph, accuracy,
     band, validity, is_valid, flags) = row  # fmt: skip
    codes = [f.get("code", "") for f in flags or [] if isinstance(f, dict)]
    return [
        person[1],
        person[2],
        person[3] or "",
        title,
        _kind_label(kind),
        time_zones.to_local(submitted, zone).replace(tzinfo=None)
        if submitted
        else None,
        _score(score, max_score),
        round(percent, 1) if percent is not None else None,
        int(net_kph) if net_kph is not None else None,  # cut, never rounded up
        _cut(accuracy * 100) if accuracy is not None else None,
        _band(band),
        validity or ("valid" if is_valid else "invalid"),
        "; ".join(c for c in codes if c),
    ]


def _kind_label(kind: str) -> str:
    return kinds.get(kind).label if kinds.is_registered(kind) else kind


def _score(score: float | None, max_score: float | None) -> str:
    if score is None:
        return ""
    shown = f"{score:g}"
    return f"{shown}/{max_score:g}" if max_score else shown


def _cut(value: float) -> float:
    """Two decimals, cut: 97.999 shows as 97.99, never as a band's 98."""
    return int(value * 100) / 100


def _band(band: str | None) -> str:
    if not band:
        return ""
    return BAND_LABELS.get(band, band.replace("_", " ").capitalize())


# --- feedback ---------------------------------------------------------------------------


def feedback(export: ExportScope, zone) -> Table:
    """Feedback given to the people in scope, newest first."""
    zone_label = _zone_name(zone)
    header = [
        f"Date ({zone_label})",
        "Author",
        "Person",
        "Team",
        "Attempt",
        "Skill",
        "Strength",
        "To improve",
        "Reply",
        f"Replied ({zone_label})",
        f"Acknowledged ({zone_label})",
    ]
    return Table("Feedback", header, _feedback_rows(export, zone))


def _feedback_rows(export: ExportScope, zone) -> Iterator[list[Any]]:
    author, subject = aliased(User), aliased(User)
    base = (
        sa.select(
            Feedback.id,
            Feedback.created_at,
            author.name,
            subject.name,
            Team.name,
            Assessment.title,
            Attempt.number,
            Skill.name,
            Feedback.strength,
            Feedback.improve,
            Feedback.reply,
            Feedback.replied_at,
            Feedback.acknowledged_at,
        )
        .join(subject, subject.id == Feedback.subject_id)
        .outerjoin(author, author.id == Feedback.author_id)
        .outerjoin(Team, Team.id == subject.team_id)
        .outerjoin(Attempt, Attempt.id == Feedback.attempt_id)
        .outerjoin(Assessment, Assessment.id == Attempt.assessment_id)
        .outerjoin(Skill, Skill.id == Feedback.skill_id)
        .where(subject.id.in_(_people_ids(export)))
        .order_by(Feedback.id.desc())
        .limit(PEOPLE_PER_BATCH)
    )
    last: int | None = None
    while True:
        page = base if last is None else base.where(Feedback.id < last)
        rows = db.session.execute(page).all()
        for row in rows:
            yield _feedback_row(row, zone)
        if len(rows) < PEOPLE_PER_BATCH:
            return
        last = rows[-1][0]


def _people_ids(export: ExportScope) -> sa.Select:
    return sa.select(User.id).where(export.condition, User.is_active_account.is_(True))


def _feedback_row(row, zone) -> list[Any]:
    (_, created, author, person, team, title, number, skill, strength, improve,
     reply, replied, acknowledged) = row  # fmt: skip

    def local(moment):
        return (
            time_zones.to_local(moment, zone).replace(tzinfo=None) if moment else None
        )

    return [
        local(created),
        author or "(former account)",
        person,
        team or "",
        f"{title} (attempt {number})" if title else "",
        skill or "",
        strength,
        improve,
        reply or "",
        local(replied),
        local(acknowledged),
    ]


def table_for(kind: str, export: ExportScope, zone) -> Table:
    if kind == "matrix":
        return matrix(export)
    if kind == "results":
        return results(export, zone)
    return feedback(export, zone)
