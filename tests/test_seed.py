"""`flask seed demo` and `flask seed logins` on top of the bundled content."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.auth.passwords import verify_password
from lms.config import PROJECT_ROOT
from lms.content.importer import import_content
from lms.courses.models import ORIGIN_UI, Course, Enrolment, Module, ModuleProgress
from lms.extensions import db
from lms.seed import seed_demo
from lms.users.models import Role, Team, User


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


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_demo_asks_for_content_first(runner):
    result = runner.invoke(args=["seed", "demo"])

    assert result.exit_code == 1
    assert "flask content import" in result.output


@pytest.mark.usefixtures("app_ctx")
def test_demo_accounts_have_their_roles(seeded):
    assert "Demo data loaded: 34 people, 3 teams" in seeded.output
    assert {
        email: user(email).role
        for email in (
            "admin@demo.test",
            "trainer@demo.test",
            "manager@demo.test",
            "manager2@demo.test",
            "learner@demo.test",
            "newhire@demo.test",
        )
    } == {
        "admin@demo.test": Role.ADMIN,
        "trainer@demo.test": Role.TRAINER,
        "manager@demo.test": Role.MANAGER,
        "manager2@demo.test": Role.MANAGER,
        "learner@demo.test": Role.LEARNER,
        "newhire@demo.test": Role.LEARNER,
    }
    assert verify_password(user("learner@demo.test").password_hash, "demo1234")


@pytest.mark.usefixtures("app_ctx")
def test_managers_lead_the_demo_teams(seeded):
    manager, manager2 = user("manager@demo.test"), user("manager2@demo.test")
    teams = {t.name: t for t in db.session.scalars(sa.select(Team))}
    mine = [t.id for t in teams.values() if t.manager_id == manager.id]
    learners = db.session.scalars(
        sa.select(User).where(User.team_id.in_(mine), User.role == Role.LEARNER)
    ).all()

    assert len(mine) == 2
    assert len(learners) >= 21  # learner@demo.test and at least 20 more
    assert user("learner@demo.test").team_id in mine
    assert {u.job_title for u in learners} == {
        "Trainee executive",
        "Back-office executive",
        "Senior executive",
    }
    assert all(u.email.endswith("@demo.test") for u in learners)
    newhire_team = db.session.get(Team, user("newhire@demo.test").team_id)
    assert newhire_team.manager_id == manager2.id
    assert 6 <= count_members(newhire_team) - 1 <= 8


def count_members(team: Team) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(User.id)).where(User.team_id == team.id)
    )


@pytest.mark.usefixtures("app_ctx")
def test_trainer_is_writing_one_draft_course_in_the_browser(seeded):
    trainer = user("trainer@demo.test")
    courses = db.session.scalars(
        sa.select(Course).where(Course.owner_id == trainer.id)
    ).all()

    assert len(courses) == 1
    draft = courses[0]
    assert (draft.origin, draft.is_published) == (ORIGIN_UI, False)
    assert count_modules(draft) == 2


def count_modules(course: Course) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Module.id)).where(Module.course_id == course.id)
    )


def enrolments_of(email: str) -> dict[str, Enrolment]:
    rows = db.session.execute(
        sa.select(Course.slug, Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user(email).id)
    ).all()
    return {slug: enrolment for slug, enrolment in rows}


@pytest.mark.usefixtures("app_ctx")
def test_learner_has_one_completed_two_in_progress_and_one_overdue(seeded, clock):
    today = clock().date()
    enrolments = enrolments_of("learner@demo.test")

    completed = [s for s, e in enrolments.items() if e.completed_at is not None]
    overdue = [s for s, e in enrolments.items() if e.is_overdue(today)]
    in_progress = [
        s
        for s, e in enrolments.items()
        if e.completed_at is None and not e.is_overdue(today)
    ]
    assert completed == ["data-entry-accuracy"]
    assert overdue == ["confidentiality-and-data-protection"]
    assert sorted(in_progress) == ["crm-record-upkeep", "ten-key-numeric-entry"]
    assert all(e.source == "assigned" for e in enrolments.values())


@pytest.mark.usefixtures("app_ctx")
def test_newhire_has_assigned_courses_and_no_progress(seeded, clock):
    newhire = user("newhire@demo.test")
    enrolments = enrolments_of("newhire@demo.test")

    assert len(enrolments) >= 2
    assert all(e.due_on >= clock().date() for e in enrolments.values())
    assert all(e.completed_at is None for e in enrolments.values())
    assert not db.session.scalar(
        sa.select(sa.func.count(ModuleProgress.id)).where(
            ModuleProgress.user_id == newhire.id
        )
    )


@pytest.mark.usefixtures("app_ctx")
def test_progress_is_realistic_and_in_the_past(seeded, clock):
    now, today = clock(), clock().date()
    enrolments = db.session.scalars(sa.select(Enrolment)).all()
    foundation = db.session.scalars(
        sa.select(Course.id).where(Course.level == "foundation", Course.is_published)
    ).all()

    assigned = [e for e in enrolments if e.source == "assigned"]
    assert any(e.completed_at for e in assigned)
    assert any(e.is_overdue(today) for e in assigned)
    assert any(e.completed_at is None and not e.is_overdue(today) for e in assigned)
    assert any(e.source == "self" for e in enrolments)
    assert len({e.completed_at.date() for e in enrolments if e.completed_at}) > 10
    assert all(e.completed_at < now for e in enrolments if e.completed_at)
    completions = db.session.scalars(
        sa.select(ModuleProgress.completed_at).where(
            ModuleProgress.completed_at.is_not(None)
        )
    ).all()
    assert len(completions) > 100
    assert max(completions) < now
    # every learner in a team (but the new hire) has all foundation courses assigned
    learners = db.session.scalars(
        sa.select(User).where(
            User.role == Role.LEARNER, User.email != "newhire@demo.test"
        )
    ).all()
    per_user: dict[int, set[int]] = {}
    for e in assigned:
        per_user.setdefault(e.user_id, set()).add(e.course_id)
    for learner in learners:
        if learner.email != "learner@demo.test":
            assert set(foundation) <= per_user[learner.id], learner.email


def test_second_run_changes_nothing(app, runner, seeded):
    with app.app_context():
        before = (count(User), count(Enrolment), count(ModuleProgress))

    result = runner.invoke(args=["seed", "demo"])

    assert result.exit_code == 0
    assert "already loaded" in result.output
    with app.app_context():
        assert (count(User), count(Enrolment), count(ModuleProgress)) == before


@pytest.mark.usefixtures("app_ctx", "content")
def test_the_same_people_every_run(clock):
    def people():
        return sorted(
            (u.email, u.name, u.job_title) for u in db.session.scalars(sa.select(User))
        )

    seed_demo()
    first = people()
    db.session.rollback()
    seed_demo()

    assert people() == first


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

    def test_runs_with_force(self, app, runner, content):
        result = runner.invoke(args=["seed", "demo", "--force"])

        assert result.exit_code == 0, result.output
        with app.app_context():
            assert count(User) == 34


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


def test_logins_prints_role_email_and_password(runner, seeded):
    result = runner.invoke(args=["seed", "logins"])

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["Role", "Email", "Password", "Name"]
    assert any(
        line.split()[:3] == ["Manager", "manager2@demo.test", "demo1234"]
        for line in lines
    )
    assert any(
        line.split()[:3] == ["Learner", "newhire@demo.test", "demo1234"]
        for line in lines
    )


def test_logins_before_seeding_says_what_to_do(runner):
    result = runner.invoke(args=["seed", "logins"])

    assert result.exit_code == 1
    assert "flask seed demo" in result.output
