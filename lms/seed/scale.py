"""`flask seed scale`: a large organisation for measuring the manager's pages —
by default 10,000 people in teams of about 50, each team with its manager, and
1,000,000 finished attempts — in minutes, on SQLite or PostgreSQL.

Built on the bundled content (`flask content import` first): its published
quizzes and keying tests, skills, career roles and skill mappings. Per learner:
about attempts/learners finished attempts spread over the past year (results
shaped as the engine writes them, lms.seed.scale_rows), a level in most active
skills (UserSkill) with one piece of evidence each (the learner's attempt at a
test mapped to the skill, or else their manager's rating), an active career goal
for 70 %, one required assessment assignment with a due date around today, and
feedback from their manager for one in five.

Rows go in with Core inserts a batch of up to 1,000 at a time (no ORM
objects), ids chosen up front so nothing is read back; PostgreSQL's id
sequences are moved past them afterwards, and both databases ANALYZE the
tables so their planners know the sizes. The same arguments and seed give the
same data (dates relative to now). Everyone signs in with DEMO_PASSWORD;
emails are firstname.lastname.N@scale.test. Refuses a production
configuration and a database that already has the scale people. Flushes; the
command commits once at the end.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from math import ceil
from typing import Any

import click
import sqlalchemy as sa

from lms import clock
from lms.attempts.models import Assessment, AssessmentAssignment, Attempt
from lms.auth.passwords import hash_password
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.seed import SEED, scale_rows
from lms.skills.models import (
    CareerGoal,
    CareerRole,
    Skill,
    SkillEvidence,
    SkillMapping,
    UserSkill,
)
from lms.users.models import Role, Team, User

DOMAIN = "scale.test"
TEAM_SIZE = 50
MAX_BIND_PARAMETERS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535
MAX_ROWS_PER_INSERT = 1_000


class ScaleError(click.ClickException):
    pass


@dataclass
class ScaleReport:
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{n:,} {name}" for name, n in self.counts.items())


def scale_present() -> bool:
    return bool(
        db.session.scalar(
            sa.select(User.id).where(User.email.like(f"%@{DOMAIN}")).limit(1)
        )
    )


# --- writing in batches ---------------------------------------------------------


class BulkWriter:
    """Buffers rows per table and inserts a batch when one is full. Tables are
    flushed in the order given, so rows that reference another table's rows go
    in after them."""

    def __init__(self, tables: list[sa.Table], progress=None) -> None:
        self.order = tables
        self.buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in tables}
        self.sizes = {
            t.name: max(
                1, min(MAX_ROWS_PER_INSERT, MAX_BIND_PARAMETERS // len(t.columns))
            )
            for t in tables
        }
        self.counts = {t.name: 0 for t in tables}
        self.progress = progress
        self.connection = db.session.connection()

    def add(self, table: sa.Table, row: dict[str, Any]) -> None:
        buffer = self.buffers[table.name]
        buffer.append(row)
        if len(buffer) >= self.sizes[table.name]:
            self.flush(upto=table)

    def flush(self, upto: sa.Table | None = None) -> None:
        for table in self.order:
            self._insert(table)
            if table is upto:
                return

    def _insert(self, table: sa.Table) -> None:
        rows = self.buffers[table.name]
        if not rows:
            return
        # One compiled INSERT run for the whole batch (executemany; SQLAlchemy sends
        # it as multi-row VALUES where the driver allows). A literal
        # insert().values([...]) of a thousand rows would be compiled afresh for
        # every batch, about a second each.
        self.connection.execute(sa.insert(table), rows)
        self.counts[table.name] += len(rows)
        if self.progress is not None and table.name == "attempt":
            self.progress.update(len(rows))
        self.buffers[table.name] = []


# --- what the content offers ------------------------------------------------------


@dataclass
class Content:
    assessments: list[scale_rows.Assessable]
    skills: list[int]
    roles: list[int]
    skills_of: dict[int, list[int]]  # assessment id -> mapped skill ids


def read_content() -> Content:
    rows = db.session.execute(
        sa.select(
            Assessment.id, Assessment.kind, Assessment.content, Assessment.settings
        )
        .where(Assessment.is_published.is_(True))
        .order_by(Assessment.id)
    ).all()
    assessments = [
        scale_rows.Assessable(
            id=a_id,
            kind=kind,
            questions=max(1, len((content or {}).get("slots") or []) or 10),
            pass_percent=float((settings or {}).get("pass_percent") or 70),
        )
        for a_id, kind, content, settings in rows
    ]
    skills = list(
        db.session.scalars(
            sa.select(Skill.id).where(Skill.is_active.is_(True)).order_by(Skill.id)
        )
    )
    if not assessments or not skills:
        raise ScaleError(
            "There are no published assessments or skills yet: run "
            "`flask content import` first."
        )
    skills_of: dict[int, list[int]] = {}
    for assessment_id, skill_id in db.session.execute(
        sa.select(SkillMapping.assessment_id, SkillMapping.skill_id).where(
            SkillMapping.assessment_id.is_not(None)
        )
    ):
        skills_of.setdefault(assessment_id, []).append(skill_id)
    roles = list(db.session.scalars(sa.select(CareerRole.id).order_by(CareerRole.id)))
    return Content(assessments, skills, roles, skills_of)


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


# --- the seed ------------------------------------------------------------------------


def seed_scale(
    people: int, attempts: int, *, seed: int = SEED, password: str, show_progress=True
) -> ScaleReport:
    if people < 2:
        raise ScaleError("Give at least 2 people: a manager and a learner.")
    if scale_present():
        raise ScaleError(f"The scale data is already loaded (people @{DOMAIN} exist).")
    content = read_content()
    rng = random.Random(seed)
    now = clock.now()
    teams = ceil(people / (TEAM_SIZE + 1))
    learners = people - teams
    password_hash = hash_password(password)

    tables = [User.__table__, Team.__table__, Attempt.__table__, UserSkill.__table__,
              SkillEvidence.__table__, CareerGoal.__table__, Feedback.__table__,
              AssessmentAssignment.__table__]  # fmt: skip
    bar = (
        click.progressbar(length=attempts, label="Attempts", show_pos=True)
        if show_progress
        else nullcontext()
    )
    with bar as progress:
        writer = BulkWriter(tables, progress)
        first_user, first_team = _next_id(User), _next_id(Team)
        managers = [first_user + n for n in range(teams)]
        for manager_id in managers:
            writer.add(
                User.__table__,
                _person(rng, manager_id, Role.MANAGER, None, password_hash, now),
            )
        writer.flush(upto=User.__table__)
        for n, manager_id in enumerate(managers):
            writer.add(Team.__table__, {"id": first_team + n, "name": f"Scale team {n + 1:04d}",
                                        "manager_id": manager_id, "created_at": now})  # fmt: skip
        writer.flush(upto=Team.__table__)
        first_learner = first_user + teams
        for n in range(learners):
            team = n * teams // learners
            writer.add(User.__table__, _person(rng, first_learner + n, Role.LEARNER,
                                               first_team + team, password_hash, now))  # fmt: skip
        writer.flush(upto=User.__table__)

        learner = _LearnerRows(writer, content, rng, now)
        next_attempt = _next_id(Attempt)
        for n in range(learners):
            share = attempts // learners + (1 if n < attempts % learners else 0)
            user_id = first_learner + n
            manager_id = managers[n * teams // learners]
            next_attempt = learner.write(user_id, manager_id, next_attempt, share)
        writer.flush()
    _after_load()
    return ScaleReport(
        {
            "people": people,
            "teams": teams,
            "attempts": writer.counts["attempt"],
            "skill levels": writer.counts["user_skill"],
            "pieces of evidence": writer.counts["skill_evidence"],
            "goals": writer.counts["career_goal"],
            "feedback": writer.counts["feedback"],
            "assignments": writer.counts["assessment_assignment"],
        }
    )


def _person(rng, user_id: int, role: Role, team_id, password_hash: str, now) -> dict:
    name = scale_rows.person_name(rng)
    local = name.lower().replace(" ", ".")
    return {
        "id": user_id,
        "email": f"{local}.{user_id}@{DOMAIN}",
        "name": name,
        "password_hash": password_hash,
        "role": role.value,
        "team_id": team_id,
        "job_title": "Team manager"
        if role == Role.MANAGER
        else scale_rows.job_title(rng),
        "time_zone": None,
        "is_active_account": True,
        "session_version": 1,
        "created_at": now - timedelta(days=400),
        "last_login_at": now - timedelta(hours=rng.randint(1, 400)),
    }


class _LearnerRows:
    """Everything about one learner: attempts, levels with evidence, goal,
    assignment and feedback."""

    def __init__(self, writer: BulkWriter, content: Content, rng, now) -> None:
        self.writer, self.content, self.rng, self.now = writer, content, rng, now
        self.titles: dict[int, str] = {}
        self.keying = [
            a for a in content.assessments if a.kind != "quiz"
        ] or content.assessments

    def write(self, user_id: int, manager_id: int, next_id: int, count: int) -> int:
        rng, now, writer = self.rng, self.now, self.writer
        title = scale_rows.job_title(rng)
        numbers: dict[int, int] = {}
        by_skill: dict[int, int] = {}
        last_attempt = None
        for when in _spread(rng, now, count):
            assessment = rng.choice(self.content.assessments)
            numbers[assessment.id] = numbers.get(assessment.id, 0) + 1
            row = scale_rows.attempt_row(
                rng, attempt_id=next_id, user_id=user_id, title=title,
                assessment=assessment, number=numbers[assessment.id], finished=when,
            )  # fmt: skip
            writer.add(Attempt.__table__, row)
            for skill_id in self.content.skills_of.get(assessment.id, ()):
                by_skill[skill_id] = next_id
            last_attempt = next_id
            next_id += 1
        self._skills(user_id, manager_id, title, by_skill)
        if self.content.roles and rng.random() < 0.7:
            role_id = rng.choice(self.content.roles)
            writer.add(
                CareerGoal.__table__,
                scale_rows.goal_row(user_id, role_id, now.date(), now),
            )
        due = now.date() + timedelta(days=rng.randint(-30, 30))
        assigned = rng.choice(self.keying).id
        writer.add(AssessmentAssignment.__table__,
                   scale_rows.assignment_row(assigned, user_id, manager_id, due, now))  # fmt: skip
        if rng.random() < 0.2:
            when = now - timedelta(days=rng.randint(0, 60))
            writer.add(Feedback.__table__,
                       scale_rows.feedback_row(rng, manager_id, user_id, last_attempt, when))  # fmt: skip
        return next_id

    def _skills(self, user_id, manager_id, title, by_skill: dict[int, int]) -> None:
        rng, now = self.rng, self.now
        for skill_id in self.content.skills:
            level = scale_rows.skill_level(rng, title)
            if level == 0:
                continue
            when = now - timedelta(days=rng.randint(1, 300))
            self.writer.add(
                UserSkill.__table__,
                scale_rows.user_skill_row(user_id, skill_id, level, when),
            )
            self.writer.add(
                SkillEvidence.__table__,
                scale_rows.evidence_row(user_id, skill_id, level, when,
                                        attempt_id=by_skill.get(skill_id), rated_by=manager_id),
            )  # fmt: skip


def _spread(rng, now, count: int) -> Iterator:
    """`count` finishing times over the past year, oldest first."""
    offsets = sorted((rng.uniform(0, 365 * 24) for _ in range(count)), reverse=True)
    for hours in offsets:
        yield now - timedelta(hours=hours)


def _after_load() -> None:
    """Move PostgreSQL's id sequences past the ids chosen here; let both
    planners see the new sizes."""
    bind = db.session.connection()
    if bind.dialect.name == "postgresql":
        for table in ("user", "team", "attempt"):
            bind.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT max(id) FROM "{table}"))'
            )
    bind.exec_driver_sql("ANALYZE")
