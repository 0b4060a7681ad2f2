"""The whole demo seed, in order: people and teams, enrolments and progress, the
draft course, then quiz history. Flushes; the caller commits.
"""

from __future__ import annotations

import random

import click
import sqlalchemy as sa
from flask import current_app

from lms import clock
from lms.auth.password_policy import password_problems
from lms.auth.passwords import hash_password
from lms.config import Config
from lms.courses.models import Course
from lms.extensions import db
from lms.origins import ORIGIN_FILE
from lms.seed import SEED, SeedReport
from lms.seed.courses import (
    active_modules_by_course,
    draft_course,
    learner_history,
    learner_plan,
    newhire_plan,
)
from lms.seed.goals import seed_career_goals
from lms.seed.growth import seed_growth
from lms.seed.keying_history import seed_keying_attempts
from lms.seed.people import (
    ADMIN,
    LEARNER,
    MANAGER,
    MANAGER2,
    NAMED_ACCOUNTS,
    NEWHIRE,
    TEAMS,
    TRAINER,
    demo_roster,
    demo_user,
)
from lms.seed.quiz_history import repeatable_draws, seed_quiz_attempts
from lms.users import services as user_services
from lms.users.models import Role, User


class DemoError(click.ClickException):
    pass


def demo_present() -> bool:
    return user_services.get_user_by_email(ADMIN.email) is not None


def demo_password() -> str:
    return str(current_app.config.get("DEMO_PASSWORD") or Config.DEMO_PASSWORD)


def seed_demo() -> SeedReport:
    """Create everything; flushes, the caller commits. Raises DemoError when it cannot."""
    courses = list(
        db.session.scalars(
            sa.select(Course)
            .where(Course.origin == ORIGIN_FILE, Course.is_published)
            .order_by(Course.title)
        )
    )
    if not courses:
        raise DemoError("There are no courses yet: run `flask content import` first.")
    password = demo_password()
    problems = password_problems(password)
    if problems:
        raise DemoError(f"DEMO_PASSWORD cannot be used: {' '.join(problems)}")
    rng = random.Random(SEED + 1)  # history; the roster has its own stream
    now = clock.now()
    report = SeedReport()
    password_hash = hash_password(password)

    named = {a.email: demo_user(a, password_hash) for a in NAMED_ACCOUNTS}
    report.users += len(named)
    modules = active_modules_by_course(courses)
    foundation = [c for c in courses if c.level == "foundation"] or courses
    optional = [c for c in courses if c not in foundation]

    roster = demo_roster()
    for team_name, manager_account, named_member, _extra in TEAMS:
        manager = named[manager_account.email]
        team = user_services.create_team(team_name, manager)
        report.teams += 1
        if named_member is not None:
            named[named_member.email].team_id = team.id
        members = [demo_user(a, password_hash, team) for a in roster[team_name]]
        report.users += len(members)
        db.session.flush()
        for member in members:
            learner_history(
                member, manager, foundation, optional, modules, rng, now, report
            )

    learner, newhire = named[LEARNER.email], named[NEWHIRE.email]
    learner_plan(learner, named[MANAGER.email], foundation, modules, now, report)
    newhire_plan(newhire, named[MANAGER2.email], foundation, now, report)
    draft_course(named[TRAINER.email])
    db.session.flush()
    learners = [
        u for u in db.session.scalars(sa.select(User).where(User.role == Role.LEARNER))
    ]
    with repeatable_draws(random.Random(SEED + 5)):
        seed_quiz_attempts(learners, now, report)
        seed_keying_attempts(learners, now, report)
    seed_growth(learners, now, report)
    seed_career_goals(learners, now, rng)
    return report
