"""`flask skills recompute`: everyone's levels follow the framework's method."""

from __future__ import annotations

import sqlalchemy as sa

from lms.extensions import db
from lms.skills import evidence
from lms.skills.models import UserSkill
from lms.users.models import Role
from tests import factories
from tests.skills import evidence_builders as build


def test_recompute_moves_everyone_to_the_method_in_force(app, runner, clock):
    with app.app_context():
        learner = factories.user()
        manager = factories.user(Role.MANAGER)
        skill = build.skill()
        framework = build.framework("highest_recent")
        evidence.rate_skill(manager, learner, skill, 4, "Strong start.")
        clock.advance(days=3)
        evidence.rate_skill(manager, learner, skill, 2, "Slipped since.")
        framework.method = "latest"  # changed outside the browser
        db.session.commit()

    result = runner.invoke(args=["skills", "recompute"])

    assert result.exit_code == 0, result.output
    assert "Recomputed the levels of 1 person (most recent evidence)." in result.output
    with app.app_context():
        row = db.session.scalar(sa.select(UserSkill))
        assert (row.level, row.method) == (2, "latest")
