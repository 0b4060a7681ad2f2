"""Demo career goals: each learner whose job title is a role on a career path
aims at the next role up the same path, by a date a few months ahead, so the
manager's team dashboard shows readiness and gaps from the first sign-in.
A learner already at the top of a path, or whose title is no role, has no goal.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from lms.skills import goals
from lms.users.models import User

MONTHS_AHEAD = (3, 6, 9, 12)


def seed_career_goals(learners: list[User], now: datetime, rng: random.Random) -> int:
    """Set the goals; returns how many were set. Flushes."""
    next_role = {}
    for path in goals.career_ladder():
        for lower, upper in zip(path.roles, path.roles[1:], strict=False):
            next_role.setdefault(lower.name, upper)
    set_count = 0
    for learner in sorted(learners, key=lambda u: u.id):
        target = next_role.get(learner.job_title or "")
        if target is None:
            continue
        months = rng.choice(MONTHS_AHEAD)
        goals.set_goal(learner, target, (now + timedelta(days=30 * months)).date())
        set_count += 1
    return set_count
