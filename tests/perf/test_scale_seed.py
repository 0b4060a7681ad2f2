"""`flask seed scale` run small: people in teams of about 50 with managers, every
attempt finished with a result shaped as the engine writes it, levels with
evidence, goals, assignments and feedback; the same seed gives the same data;
production and a second run are refused."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from lms.attempts.models import AssessmentAssignment, Attempt
from lms.config import PROJECT_ROOT
from lms.content.importer import import_content
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.seed import scale_rows
from lms.skills.models import CareerGoal, SkillEvidence, UserSkill
from lms.users.models import Role, Team, User


@pytest.fixture
def content(app):
    with app.app_context():
        report = import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
        assert report.ok, report.errors
        db.session.commit()


def count(model, *where) -> int:
    query = sa.select(sa.func.count()).select_from(model)
    return db.session.scalar(query.where(*where) if where else query)


def test_a_small_scale_seed_has_the_shape_of_a_real_organisation(
    app, runner, content, clock
):
    result = runner.invoke(
        args=["seed", "scale", "--people", "200", "--attempts", "2000"]
    )
    assert result.exit_code == 0, result.output
    assert "200 people, 4 teams, 2,000 attempts" in result.output

    with app.app_context():
        scale = User.email.like("%@scale.test")
        assert count(User, scale) == 200
        assert count(User, scale, User.role == Role.MANAGER) == 4
        sizes = db.session.execute(
            sa.select(User.team_id, sa.func.count()).where(scale, User.team_id.is_not(None))
            .group_by(User.team_id)
        ).all()  # fmt: skip
        assert len(sizes) == 4 and all(48 <= n <= 50 for _, n in sizes)
        assert count(Team, Team.manager_id.is_(None)) == 0

        assert count(Attempt, Attempt.state == "submitted") == 2000
        quiz = db.session.scalar(
            sa.select(Attempt).where(Attempt.kind == "quiz").limit(1)
        )
        assert {"score", "max_score", "percent", "passed"} <= set(quiz.result)
        assert quiz.percent == quiz.result["percent"]
        keying = db.session.scalar(
            sa.select(Attempt).where(Attempt.kind == "ten_key").limit(1)
        )
        assert {"net_kph", "accuracy", "validity", "band", "flags"} <= set(
            keying.result
        )
        assert keying.band == keying.result["band"]
        assert count(Attempt, Attempt.band.is_not(None)) > 0

        assert count(UserSkill) > 1000
        assert count(SkillEvidence) == count(UserSkill)
        assert count(SkillEvidence, SkillEvidence.attempt_id.is_not(None)) > 0
        assert count(CareerGoal) > 100
        assert count(AssessmentAssignment) == 196
        assert count(Feedback) > 10

    again = runner.invoke(args=["seed", "scale", "--people", "200", "--attempts", "10"])
    assert again.exit_code != 0 and "already loaded" in again.output


def test_the_scale_seed_needs_the_content_first(runner):
    result = runner.invoke(args=["seed", "scale", "--people", "10", "--attempts", "10"])
    assert result.exit_code != 0 and "flask content import" in result.output


def test_production_is_refused(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed", "scale", "--people", "10", "--attempts", "10"])
    assert result.exit_code != 0 and "production" in result.output


def test_the_same_seed_gives_the_same_rows(clock):
    from lms import clock as lms_clock

    quiz = scale_rows.Assessable(1, "quiz")
    keying = scale_rows.Assessable(2, "record_entry")

    def rows(seed):
        rng = random.Random(seed)
        made = []
        for n, assessment in enumerate((quiz, keying) * 5):
            made.append(
                scale_rows.attempt_row(
                    rng,
                    attempt_id=n,
                    user_id=1,
                    title=scale_rows.job_title(rng),
                    assessment=assessment,
                    number=1,
                    finished=lms_clock.now(),
                )  # fmt: skip
            )
        return made

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)
