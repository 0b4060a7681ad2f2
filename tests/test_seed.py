"""`flask seed demo` and `flask seed logins` on top of the bundled content.

A full seed takes a few seconds, so each seeded test checks one whole area.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment, Attempt, KeystrokeChunk, Response
from lms.auth.passwords import verify_password
from lms.config import PROJECT_ROOT, Config
from lms.content.importer import import_content
from lms.courses.models import Course, Enrolment, Module, ModuleProgress
from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.seed.people import demo_roster
from lms.users.models import Role, Team, User

NAMED = {
    "admin@demo.test": Role.ADMIN,
    "trainer@demo.test": Role.TRAINER,
    "manager@demo.test": Role.MANAGER,
    "manager2@demo.test": Role.MANAGER,
    "learner@demo.test": Role.LEARNER,
    "newhire@demo.test": Role.LEARNER,
}


@pytest.fixture
def content(app):
    with app.app_context():
        report = import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
        assert report.ok, report.errors
        db.session.commit()


@pytest.fixture
def seeded(app, runner, content, clock):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return result


def user(email: str) -> User:
    found = db.session.scalar(sa.select(User).where(User.email == email))
    assert found is not None, email
    return found


def count(model, *where) -> int:
    query = sa.select(sa.func.count()).select_from(model)
    return db.session.scalar(query.where(*where) if where else query)


def enrolments_of(email: str) -> dict[str, Enrolment]:
    rows = db.session.execute(
        sa.select(Course.slug, Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user(email).id)
    ).all()
    return {slug: enrolment for slug, enrolment in rows}


def test_seed_demo_asks_for_content_first(runner):
    result = runner.invoke(args=["seed", "demo"])

    assert result.exit_code == 1
    assert "flask content import" in result.output


def test_the_same_people_every_run():
    first, second = demo_roster(), demo_roster()

    assert first == second
    people = [a for team in first.values() for a in team]
    assert len({a.email for a in people}) == len(people) == 28
    assert all(" " in a.name and a.email.endswith("@demo.test") for a in people)


@pytest.mark.usefixtures("app_ctx")
def test_demo_people_and_teams(seeded):
    assert "Demo data loaded: 34 people, 3 teams" in seeded.output
    # the named accounts, their roles and the demo password
    assert {email: user(email).role for email in NAMED} == NAMED
    assert verify_password(
        user("learner@demo.test").password_hash, Config.DEMO_PASSWORD
    )

    # manager@ leads two teams holding learner@ and at least 20 more learners
    teams = {t.id: t for t in db.session.scalars(sa.select(Team))}
    manager, manager2 = user("manager@demo.test"), user("manager2@demo.test")
    mine = [t.id for t in teams.values() if t.manager_id == manager.id]
    learners = db.session.scalars(
        sa.select(User).where(User.team_id.in_(mine), User.role == Role.LEARNER)
    ).all()
    assert len(mine) == 2
    assert len(learners) >= 21
    assert user("learner@demo.test").team_id in mine
    assert {u.job_title for u in learners} == {
        "Trainee executive",
        "Back-office executive",
        "Senior executive",
    }
    # manager2@ leads the new hire's team of about seven
    newhire_team = teams[user("newhire@demo.test").team_id]
    assert newhire_team.manager_id == manager2.id
    assert 7 <= count(User, User.team_id == newhire_team.id) <= 9

    # the generated people are exactly the roster
    seeded_people = {
        (u.email, u.name, u.job_title, teams[u.team_id].name)
        for u in db.session.scalars(sa.select(User).where(User.team_id.is_not(None)))
    }
    for team_name, accounts in demo_roster().items():
        for a in accounts:
            assert (a.email, a.name, a.job_title, team_name) in seeded_people

    # the trainer is writing one draft course in the browser
    drafts = db.session.scalars(
        sa.select(Course).where(Course.owner_id == user("trainer@demo.test").id)
    ).all()
    assert [(c.origin, c.is_published) for c in drafts] == [(ORIGIN_UI, False)]
    assert count(Module, Module.course_id == drafts[0].id) == 2


@pytest.mark.usefixtures("app_ctx")
def test_demo_learning_and_quiz_history(seeded, clock):
    now, today = clock(), clock().date()

    # learner@: one completed, two in progress, one overdue
    mine = enrolments_of("learner@demo.test")
    assert [s for s, e in mine.items() if e.completed_at] == ["data-entry-accuracy"]
    assert [s for s, e in mine.items() if e.is_overdue(today)] == [
        "confidentiality-and-data-protection"
    ]
    assert sorted(
        s for s, e in mine.items() if not e.completed_at and not e.is_overdue(today)
    ) == ["crm-record-upkeep", "ten-key-numeric-entry"]

    # newhire@: assigned courses, nothing done yet
    newhire = enrolments_of("newhire@demo.test")
    assert len(newhire) >= 2
    assert all(e.due_on >= today and not e.completed_at for e in newhire.values())
    assert not count(
        ModuleProgress, ModuleProgress.user_id == user("newhire@demo.test").id
    )

    # everybody else: the foundation courses assigned, with mixed, past progress
    enrolments = db.session.scalars(sa.select(Enrolment)).all()
    assigned = [e for e in enrolments if e.source == "assigned"]
    assert any(e.completed_at for e in assigned)
    assert any(e.is_overdue(today) for e in assigned)
    assert any(not e.completed_at and not e.is_overdue(today) for e in assigned)
    assert any(e.source == "self" for e in enrolments)
    assert len({e.completed_at.date() for e in enrolments if e.completed_at}) > 10
    assert all(e.completed_at < now for e in enrolments if e.completed_at)
    done = db.session.scalars(
        sa.select(ModuleProgress.completed_at).where(
            ModuleProgress.completed_at.is_not(None)
        )
    ).all()
    assert len(done) > 100 and max(done) < now
    foundation = set(
        db.session.scalars(
            sa.select(Course.id).where(
                Course.level == "foundation", Course.is_published
            )
        )
    )
    per_user: dict[int, set[int]] = {}
    for e in assigned:
        per_user.setdefault(e.user_id, set()).add(e.course_id)
    for learner in db.session.scalars(sa.select(User).where(User.role == Role.LEARNER)):
        if learner.email not in NAMED:
            assert foundation <= per_user[learner.id], learner.email

    # quiz attempts went through the engine, finalised and scored in the past
    attempts = db.session.scalars(sa.select(Attempt)).all()
    assert len(attempts) >= 30
    assert {a.state for a in attempts} == {"submitted"}
    assert all(a.result for a in attempts)
    assert all(a.percent is not None for a in attempts if a.kind == "quiz")
    assert all(a.started_at < a.submitted_at < now for a in attempts)
    assert any(a.passed for a in attempts) and any(not a.passed for a in attempts)
    assert len({a.started_at.date() for a in attempts}) > 10
    assert count(Response) > len(attempts)
    assert not count(Attempt, Attempt.user_id == user("newhire@demo.test").id)
    learner_quizzes = db.session.scalars(
        sa.select(Assessment.slug)
        .join(Attempt, Attempt.assessment_id == Assessment.id)
        .where(Attempt.user_id == user("learner@demo.test").id)
    ).all()
    assert "data-entry-accuracy-check" in learner_quizzes


@pytest.mark.usefixtures("app_ctx")
def test_demo_keying_history_covers_every_kind_and_band(seeded):
    """Keying screens have something real to show: every kind, several bands,
    results below Foundation, and one unverified attempt waiting for a trainer."""
    rows = db.session.execute(
        sa.select(Attempt.kind, Attempt.band, Attempt.result, Attempt.user_id).where(
            Attempt.kind != "quiz"
        )
    ).all()
    assert {r.kind for r in rows} == {
        "record_entry",
        "ten_key",
        "transcription",
        "reconciliation",
    }
    assert {r.band for r in rows} >= {"foundation", "job_ready", "proficient", None}
    validity = [r.result["validity"] for r in rows]
    assert validity.count("unverified") == 1
    assert all(r.result.get("keystroke_count", 1) is not None for r in rows)
    assert user("learner@demo.test").id in {r.user_id for r in rows}
    # Logged through the engine: the typed kinds kept their keystrokes.
    assert (
        count(KeystrokeChunk)
        >= len([r for r in rows if r.kind != "reconciliation"]) - 1
    )


def test_second_run_changes_nothing_and_logins_prints_the_table(app, runner, seeded):
    with app.app_context():
        before = (count(User), count(Enrolment), count(ModuleProgress), count(Attempt))

    again = runner.invoke(args=["seed", "demo"])
    logins = runner.invoke(args=["seed", "logins"])

    assert again.exit_code == 0
    assert "already loaded" in again.output
    with app.app_context():
        assert (
            count(User),
            count(Enrolment),
            count(ModuleProgress),
            count(Attempt),
        ) == before
    assert logins.exit_code == 0
    lines = logins.output.splitlines()
    assert lines[0].split() == ["Role", "Email", "Password", "Name"]
    table = {line.split()[1]: line.split()[:3] for line in lines[2:8]}
    assert table["manager2@demo.test"] == [
        "Manager",
        "manager2@demo.test",
        Config.DEMO_PASSWORD,
    ]
    assert table["newhire@demo.test"] == [
        "Learner",
        "newhire@demo.test",
        Config.DEMO_PASSWORD,
    ]
    assert set(table) == set(NAMED)


def test_logins_before_seeding_says_what_to_do(runner):
    result = runner.invoke(args=["seed", "logins"])

    assert result.exit_code == 1
    assert "flask seed demo" in result.output


class TestProduction:
    @pytest.fixture
    def app_config_overrides(self):
        return {"ENV_NAME": "production"}

    def test_refuses_without_force(self, app, runner, content):
        result = runner.invoke(args=["seed", "demo"])

        assert result.exit_code == 1
        assert "production" in result.output
        with app.app_context():
            assert count(User) == 0

    def test_force_gets_past_the_refusal(self, app, runner, content):
        with app.app_context():
            db.session.add(User(email="admin@demo.test", name="A", password_hash="x"))
            db.session.commit()

        result = runner.invoke(args=["seed", "demo", "--force"])

        assert result.exit_code == 0, result.output
        assert "already loaded" in result.output


class TestOwnPassword:
    @pytest.fixture
    def app_config_overrides(self):
        return {"DEMO_PASSWORD": "practice-2026"}

    def test_demo_password_comes_from_config(self, app, runner, content):
        runner.invoke(args=["seed", "demo"])
        result = runner.invoke(args=["seed", "logins"])

        assert "practice-2026" in result.output
        with app.app_context():
            assert verify_password(
                user("manager@demo.test").password_hash, "practice-2026"
            )


class TestShortPassword:
    @pytest.fixture
    def app_config_overrides(self):
        return {"DEMO_PASSWORD": "short"}

    def test_is_refused(self, app, runner, content):
        result = runner.invoke(args=["seed", "demo"])

        assert result.exit_code == 1
        assert "DEMO_PASSWORD cannot be used" in result.output
        assert "at least 12 characters" in result.output


@pytest.mark.usefixtures("app_ctx")
def test_demo_growth_gives_every_new_page_something_real(seeded):
    """Skills moved by courses and attempts, goals for most learners, and two
    mentor pairings with sessions (one acknowledged) and action items."""
    from lms.mentorship.models import ActionItem, MentorPairing, MentorSession
    from lms.skills.models import CareerGoal, SkillEvidence, UserSkill

    sources = set(db.session.scalars(sa.select(SkillEvidence.source).distinct()))
    assert {"attempt", "course"} <= sources
    priya = user("learner@demo.test")
    assert count(UserSkill, UserSkill.user_id == priya.id, UserSkill.level > 0) >= 3
    learners = count(User, User.role == Role.LEARNER)
    assert count(CareerGoal, CareerGoal.status == "active") >= learners * 0.6
    assert count(MentorPairing) == 2
    assert count(MentorPairing, MentorPairing.mentee_id == priya.id) == 1
    acknowledged = count(MentorSession, MentorSession.acknowledged_at.is_not(None))
    assert count(MentorSession) == 4 and acknowledged == 2
    assert count(ActionItem) == 8 and count(ActionItem, ActionItem.done_at.is_not(None))


def test_the_demos_draws_are_the_same_on_every_run():
    """The demo's attempts draw their items from seeds the seeder chooses, so two
    machines show the same results; outside seeding the engine's stay random."""
    import random

    from lms.attempts import services as attempts
    from lms.seed.quiz_history import repeatable_draws

    runs = []
    for _ in range(2):
        with repeatable_draws(random.Random(7)):
            runs.append([attempts.new_attempt_seed() for _ in range(5)])
    assert runs[0] == runs[1]
    assert attempts.new_attempt_seed() != attempts.new_attempt_seed()
