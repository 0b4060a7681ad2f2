"""`flask seed demo` and `flask seed logins`: demo people, teams, enrolments and history.

What `flask seed demo` creates (after `flask content import`, whose courses it
assigns), the same every run because Faker (en_IN) and the random draws use a
fixed seed; dates are relative to lms.clock.now():

* admin@demo.test (admin), trainer@demo.test (trainer; author of one small
  unpublished course written in the browser), manager@demo.test managing
  "Invoice Processing — Team A" and "Customer Records — Team B",
  manager2@demo.test managing "Claims Onboarding — Team C".
* Teams A and B: learner@demo.test and 22 more learners; team C:
  newhire@demo.test and 6 more. Learners are trainee executives,
  back-office executives and senior executives.
* Every learner is assigned the foundation courses with due dates spread
  around today: some completed on various past dates, some part done, some
  overdue, some not started; some also chose an optional course themselves.
  learner@demo.test has one course completed, two in progress and one
  overdue; newhire@demo.test has assigned courses and no progress yet.
* Quiz history: learners who finished a course took its quiz once or twice
  over the following days (some failed first and passed on the retry),
  through the attempt engine itself (start, save, submit) with the clock set
  to those past moments (`clock_at`), so every attempt has a real snapshot,
  responses and a scored result.

Every demo account signs in with DEMO_PASSWORD (LMS_DEMO_PASSWORD; default
demo1234). All demo accounts share one password hash, computed once, so the
seed stays fast with production hashing parameters. The seed refuses to run
when ENV_NAME is "production" unless --force, and does nothing when the demo
accounts already exist. It commits once at the end.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
import sqlalchemy as sa
from faker import Faker
from faker.providers.person.en_US import Provider as UsNames
from flask import current_app
from flask.cli import AppGroup

from lms import clock
from lms.attempts.models import Assessment
from lms.auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from lms.courses import authoring as course_authoring
from lms.courses.models import ORIGIN_FILE, Course, Enrolment, Module, ModuleProgress
from lms.extensions import db
from lms.users import services as user_services
from lms.users.models import Role, Team, User

seed_cli = AppGroup("seed", help="Load demonstration data.")

SEED = 20260302
DOMAIN = "demo.test"


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: Role
    job_title: str


ADMIN = Account("admin@demo.test", "Kavitha Raman", Role.ADMIN, "LMS administrator")
TRAINER = Account(
    "trainer@demo.test", "Rahul Deshpande", Role.TRAINER, "Process trainer"
)
MANAGER = Account(
    "manager@demo.test", "Sunita Menon", Role.MANAGER, "Operations manager"
)
MANAGER2 = Account("manager2@demo.test", "Vikram Sethi", Role.MANAGER, "Team leader")
LEARNER = Account(
    "learner@demo.test", "Priya Nair", Role.LEARNER, "Back-office executive"
)
NEWHIRE = Account(
    "newhire@demo.test", "Aditya Kulkarni", Role.LEARNER, "Trainee executive"
)
NAMED_ACCOUNTS = (ADMIN, TRAINER, MANAGER, MANAGER2, LEARNER, NEWHIRE)

# (team name, its manager, a named learner in it, how many more learners)
TEAMS = (
    ("Invoice Processing — Team A", MANAGER, LEARNER, 11),
    ("Customer Records — Team B", MANAGER, None, 11),
    ("Claims Onboarding — Team C", MANAGER2, NEWHIRE, 6),
)
JOB_TITLES = (
    ("Trainee executive", 0.35),
    ("Back-office executive", 0.45),
    ("Senior executive", 0.20),
)
# Quiz history covers this many of a learner's most recently finished courses.
QUIZ_COURSES_PER_LEARNER = 2
# Chance of answering a quiz question right, by job title.
QUIZ_SKILL = {
    "Trainee executive": 0.72,
    "Back-office executive": 0.84,
    "Senior executive": 0.93,
}
# Chance that an assigned course is finished / part done, by job title.
PROGRESS_ODDS = {
    "Trainee executive": (0.25, 0.45),
    "Back-office executive": (0.50, 0.35),
    "Senior executive": (0.75, 0.20),
}
# learner@demo.test: which course plays which part, if those courses exist.
LEARNER_PLAN = (
    ("data-entry-accuracy", "completed"),
    ("ten-key-numeric-entry", "in_progress"),
    ("crm-record-upkeep", "in_progress"),
    ("confidentiality-and-data-protection", "overdue"),
)
DRAFT_COURSE = {
    "slug": "complaint-emails-draft",
    "title": "Answering complaint emails",
    "summary": "Acknowledge, investigate and reply to an unhappy client in plain, "
    "polite English. A draft: not published yet.",
    "level": "foundation",
    "estimated_minutes": 30,
    "skills": ["written-communication", "client-awareness"],
}
DRAFT_MODULES = (
    (
        "Acknowledge first",
        "Reply within the hour, even before you have the answer: say you have "
        "the email, what you will check and **when** you will write again.",
    ),
    (
        "Explain what happened",
        "State the facts in order, own the mistake if it is ours, and give the "
        "fix and its date. Avoid blame and jargon.",
    ),
)


# Faker's en_IN list mixes in some US first names ("Wyatt Bhargava"); skip those.
US_FIRST_NAMES = frozenset(UsNames.first_names_male) | frozenset(
    UsNames.first_names_female
)


class DemoError(click.ClickException):
    pass


@dataclass
class SeedReport:
    users: int = 0
    teams: int = 0
    enrolments: int = 0
    completed_enrolments: int = 0
    module_completions: int = 0
    attempts: int = 0

    def summary(self) -> str:
        return (
            f"{self.users} people, {self.teams} teams, {self.enrolments} enrolments "
            f"({self.completed_enrolments} completed, {self.module_completions} "
            f"modules done), {self.attempts} finished quiz attempts"
        )


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


@seed_cli.command("demo")
@click.option("--force", is_flag=True, help="Run even when ENV_NAME is production.")
def demo_command(force: bool) -> None:
    """Create demo people, teams, enrolments and history (once)."""
    if current_app.config.get("ENV_NAME") == "production" and not force:
        raise DemoError(
            "This is a production configuration (ENV_NAME = production): demo "
            "accounts with a published password do not belong here. Use --force "
            "if you really mean it."
        )
    if demo_present():
        click.echo(
            f"Demo data is already loaded ({ADMIN.email} exists); nothing to do."
        )
        return
    try:
        report = seed_demo()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Demo data loaded: {report.summary()}.")
    click.echo("Sign-in details: flask seed logins")


@seed_cli.command("logins")
def logins_command() -> None:
    """Print the demo sign-ins: role, email and password."""
    users = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_([a.email for a in NAMED_ACCOUNTS]))
        )
    }
    if not users:
        raise DemoError("No demo accounts yet: run `flask seed demo` first.")
    password = demo_password()
    rows = [
        (users[a.email].role.label, a.email, password, users[a.email].name)
        for a in NAMED_ACCOUNTS
        if a.email in users
    ]
    header = ("Role", "Email", "Password", "Name")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, tuple("-" * w for w in widths), *rows):
        click.echo(
            "  ".join(
                cell.ljust(w) for cell, w in zip(row, widths, strict=True)
            ).rstrip()
        )
    click.echo(
        f"Every other demo learner (firstname.lastname@{DOMAIN}) uses the same password."
    )


# --------------------------------------------------------------------------
# The seed
# --------------------------------------------------------------------------


def demo_present() -> bool:
    return user_services.get_user_by_email(ADMIN.email) is not None


def demo_password() -> str:
    return str(current_app.config.get("DEMO_PASSWORD") or "demo1234")


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
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DemoError(
            f"DEMO_PASSWORD must have at least {MIN_PASSWORD_LENGTH} characters."
        )
    rng = random.Random(SEED + 1)  # history; the roster has its own stream
    now = clock.now()
    report = SeedReport()
    password_hash = hash_password(password)

    named = {a.email: _user(a, password_hash) for a in NAMED_ACCOUNTS}
    report.users += len(named)
    modules = _active_modules(courses)
    foundation = [c for c in courses if c.level == "foundation"] or courses
    optional = [c for c in courses if c not in foundation]

    roster = demo_roster()
    for team_name, manager_account, named_member, _extra in TEAMS:
        manager = named[manager_account.email]
        team = user_services.create_team(team_name, manager)
        report.teams += 1
        if named_member is not None:
            named[named_member.email].team_id = team.id
        members = [_user(a, password_hash, team) for a in roster[team_name]]
        report.users += len(members)
        db.session.flush()
        for member in members:
            _learner_history(
                member, manager, foundation, optional, modules, rng, now, report
            )

    learner, newhire = named[LEARNER.email], named[NEWHIRE.email]
    _learner_plan(learner, named[MANAGER.email], foundation, modules, now, report)
    _newhire_plan(newhire, named[MANAGER2.email], foundation, now, report)
    _draft_course(named[TRAINER.email])
    db.session.flush()
    learners = [
        u for u in db.session.scalars(sa.select(User).where(User.role == Role.LEARNER))
    ]
    seed_quiz_attempts(learners, now, report)
    return report


def _user(account: Account, password_hash: str, team: Team | None = None) -> User:
    user = User(
        email=account.email,
        name=account.name,
        role=account.role,
        job_title=account.job_title,
        team_id=team.id if team else None,
        password_hash=password_hash,
    )
    db.session.add(user)
    db.session.flush()
    return user


def demo_roster() -> dict[str, list[Account]]:
    """The generated learners of each team: the same names, emails and titles every run."""
    rng = random.Random(SEED)
    fake = Faker("en_IN")
    fake.seed_instance(SEED)
    taken = {a.email for a in NAMED_ACCOUNTS}
    titles, weights = zip(*JOB_TITLES, strict=True)
    roster: dict[str, list[Account]] = {}
    for team_name, _manager, _named, extra in TEAMS:
        members = roster.setdefault(team_name, [])
        for _ in range(extra):
            while True:
                first, last = fake.first_name(), fake.last_name()
                if first not in US_FIRST_NAMES and _ascii(first) and _ascii(last):
                    break
            local = f"{_ascii(first)}.{_ascii(last)}"
            email, n = f"{local}@{DOMAIN}", 2
            while email in taken:
                email, n = f"{local}{n}@{DOMAIN}", n + 1
            taken.add(email)
            job_title = rng.choices(titles, weights)[0]
            members.append(Account(email, f"{first} {last}", Role.LEARNER, job_title))
    return roster


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _active_modules(courses: list[Course]) -> dict[int, list[Module]]:
    by_course: dict[int, list[Module]] = {c.id: [] for c in courses}
    for module in db.session.scalars(
        sa.select(Module)
        .where(Module.course_id.in_(by_course), Module.is_active)
        .order_by(Module.course_id, Module.position, Module.id)
    ):
        by_course[module.course_id].append(module)
    return by_course


# --- enrolments and progress ----------------------------------------------------


def _learner_history(
    user: User,
    manager: User,
    foundation: list[Course],
    optional: list[Course],
    modules: dict[int, list[Module]],
    rng: random.Random,
    now: datetime,
    report: SeedReport,
) -> None:
    """Assigned foundation courses with mixed progress, and maybe an optional one."""
    finish_odds, partial_odds = PROGRESS_ODDS[user.job_title]
    today = now.date()
    for course in foundation:
        # Due dates from three weeks ago to five weeks ahead; assigned 3-6 weeks before.
        due_on = today + timedelta(days=rng.randint(-21, 35))
        due_at = datetime.combine(due_on, now.timetz())
        enrolled_at = min(
            due_at - timedelta(days=rng.randint(21, 42), hours=rng.randint(0, 8)),
            now - timedelta(days=1),
        )
        # Most people finish before a deadline that has passed.
        finish = finish_odds + (0.25 if due_on < today else 0.0)
        course_modules = modules[course.id]
        draw = rng.random()
        finished_by = None
        if draw < finish:
            done = len(course_modules)
            # Finished on a past day, usually a little before the due date.
            finished_by = min(
                due_at - timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 9)),
                now - timedelta(hours=rng.randint(6, 72)),
            )
        elif draw < finish + partial_odds and len(course_modules) > 1:
            done = rng.randint(1, len(course_modules) - 1)
        else:
            done = 0
        _enrol(
            user, course, course_modules, done, enrolled_at, now, rng, report,
            source="assigned", due_on=due_on, assigned_by=manager,
            finished_by=finished_by,
        )  # fmt: skip
    if optional and rng.random() < 0.4:
        course = rng.choice(optional)
        course_modules = modules[course.id]
        enrolled_at = now - timedelta(days=rng.randint(5, 40))
        done = rng.randint(0, len(course_modules))
        _enrol(user, course, course_modules, done, enrolled_at, now, rng, report)


def _enrol(
    user: User,
    course: Course,
    course_modules: list[Module],
    done: int,
    enrolled_at: datetime,
    now: datetime,
    rng: random.Random,
    report: SeedReport,
    *,
    source: str = "self",
    due_on=None,
    assigned_by: User | None = None,
    finished_by: datetime | None = None,
) -> Enrolment:
    """An enrolment with its first `done` modules completed at past dates."""
    enrolment = Enrolment(
        user_id=user.id,
        course_id=course.id,
        source=source,
        due_on=due_on,
        assigned_by_id=assigned_by.id if assigned_by else None,
        enrolled_at=enrolled_at,
    )
    db.session.add(enrolment)
    report.enrolments += 1
    if done:
        # Spread the completions between enrolment and a past "last worked on" day.
        end = finished_by or now - timedelta(hours=rng.randint(6, 72))
        end = max(end, enrolled_at + timedelta(hours=done))
        span = end - enrolled_at
        when = enrolled_at
        for position, module in enumerate(course_modules[:done], start=1):
            when = (
                enrolled_at
                + span * position / done
                - timedelta(minutes=rng.randint(0, 50))
            )
            db.session.add(
                ModuleProgress(
                    user_id=user.id,
                    module_id=module.id,
                    first_viewed_at=when - timedelta(minutes=module.minutes or 15),
                    completed_at=when,
                )
            )
            report.module_completions += 1
        enrolment.last_module_id = course_modules[done - 1].id
        if done == len(course_modules):
            enrolment.completed_at = when
            report.completed_enrolments += 1
        elif done < len(course_modules):
            # They opened the next module and stopped there.
            following = course_modules[done]
            db.session.add(
                ModuleProgress(
                    user_id=user.id,
                    module_id=following.id,
                    first_viewed_at=when + timedelta(minutes=20),
                )
            )
            enrolment.last_module_id = following.id
    return enrolment


def _learner_plan(
    user: User,
    manager: User,
    foundation: list[Course],
    modules: dict[int, list[Module]],
    now: datetime,
    report: SeedReport,
) -> None:
    """learner@demo.test: one completed, two in progress, one overdue."""
    rng = random.Random(SEED + 1)
    by_slug = {c.slug: c for c in foundation}
    planned = [(by_slug[s], part) for s, part in LEARNER_PLAN if s in by_slug]
    spare = [c for c in foundation if c not in {course for course, _ in planned}]
    for _, part in LEARNER_PLAN[len(planned) :]:
        if spare:
            planned.append((spare.pop(0), part))
    today = now.date()
    for course, part in planned:
        course_modules = modules[course.id]
        n = len(course_modules)
        if part == "completed":
            enrolled_at = now - timedelta(days=40)
            due_on, done = today - timedelta(days=12), n
            finished_by = now - timedelta(days=16)
        elif part == "overdue":
            enrolled_at = now - timedelta(days=35)
            due_on, done, finished_by = today - timedelta(days=5), min(2, n - 1), None
        else:
            enrolled_at = now - timedelta(days=rng.randint(6, 14))
            due_on = today + timedelta(days=rng.randint(7, 21))
            done, finished_by = max(1, n // 2) if n > 1 else 0, None
        _enrol(
            user, course, course_modules, done, enrolled_at, now, rng, report,
            source="assigned", due_on=due_on, assigned_by=manager,
            finished_by=finished_by,
        )  # fmt: skip


def _newhire_plan(
    user: User,
    manager: User,
    foundation: list[Course],
    now: datetime,
    report: SeedReport,
) -> None:
    """newhire@demo.test: three assigned courses, due over the next month, untouched."""
    enrolled_at = now - timedelta(days=2)
    for weeks, course in enumerate(foundation[:3], start=2):
        db.session.add(
            Enrolment(
                user_id=user.id,
                course_id=course.id,
                source="assigned",
                due_on=(now + timedelta(weeks=weeks)).date(),
                assigned_by_id=manager.id,
                enrolled_at=enrolled_at,
            )
        )
        report.enrolments += 1


def _draft_course(trainer: User) -> Course | None:
    """A small unpublished course the trainer is writing in the browser."""
    if db.session.scalar(
        sa.select(Course.id).where(Course.slug == DRAFT_COURSE["slug"])
    ):
        return None  # someone already uses the slug; the demo does without
    course = course_authoring.create_course(trainer, **DRAFT_COURSE)
    for title, body in DRAFT_MODULES:
        course_authoring.save_module(
            course, None, title=title, body_md=body, minutes=10
        )
    return course


# --------------------------------------------------------------------------
# Quiz attempt history
# --------------------------------------------------------------------------


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run engine services as if it were `moment` (only for seeding history).

    lms.clock.now is the one source of time, so pointing it at a past moment
    for the duration of a call dates everything that call writes; the real
    clock comes back afterwards, even on error.
    """
    original = clock.now
    clock.now = lambda: moment
    try:
        yield
    finally:
        clock.now = original


def seed_quiz_attempts(learners: list[User], now: datetime, report: SeedReport) -> None:
    """After finishing a course, its learners took the course quiz (and some retook it)."""
    from lms.attempts import services as attempts

    rng = random.Random(SEED + 2)
    quizzes: dict[int, list[Assessment]] = {}
    for quiz in db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.kind == "quiz", Assessment.is_published)
        .where(Assessment.course_id.is_not(None))
        .order_by(Assessment.slug)
    ):
        quizzes.setdefault(quiz.course_id, []).append(quiz)
    finished = db.session.execute(
        sa.select(Enrolment.user_id, Enrolment.course_id, Enrolment.completed_at)
        .where(Enrolment.completed_at.is_not(None))
        .order_by(Enrolment.user_id, Enrolment.completed_at.desc())
    ).all()
    by_id = {u.id: u for u in learners}
    per_learner: dict[int, int] = {}
    for user_id, course_id, completed_at in finished:
        # The quizzes of each learner's most recently finished courses, leaving
        # out the last two days so that every attempt is well in the past.
        if completed_at > now - timedelta(days=2):
            continue
        per_learner[user_id] = per_learner.get(user_id, 0) + 1
        if per_learner[user_id] > QUIZ_COURSES_PER_LEARNER:
            continue
        user = by_id.get(user_id)
        if user is None:
            continue
        skill = QUIZ_SKILL.get(user.job_title or "", 0.75)
        for quiz in quizzes.get(course_id, []):
            when = completed_at + timedelta(hours=rng.randint(2, 36))
            tries = 2 if rng.random() < 0.3 else 1
            for number in range(tries):
                if when >= now - timedelta(hours=1):
                    break
                # A retry comes after reading the feedback, and goes better.
                odds = skill - 0.2 if tries == 2 and number == 0 else skill
                _take_quiz(attempts, user, quiz, when, odds, rng)
                report.attempts += 1
                when += timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))


def _take_quiz(
    attempts, user: User, quiz: Assessment, when: datetime, odds, rng
) -> None:
    limit = quiz.time_limit_seconds or 1200
    with clock_at(when):
        attempt = attempts.start_attempt(user, quiz).attempt
    questions = sorted(attempt.snapshot.get("questions", []), key=lambda q: q["id"])
    answers = {q["id"]: _answer(q, rng.random() < odds, rng) for q in questions}
    half = len(questions) // 2
    first = {k: answers[k] for k in list(answers)[:half]}
    minutes = timedelta(seconds=limit * rng.uniform(0.35, 0.85))
    with clock_at(when + minutes / 2):
        attempts.save_responses(attempt, 1, first)
    with clock_at(when + minutes):
        attempts.save_responses(attempt, 2, answers)
        attempts.submit_attempt(attempt)


def _answer(q: dict, right: bool, rng: random.Random):
    """A response of the right shape, correct or plausibly wrong."""
    kind = q["type"]
    if kind in ("single", "multiple"):
        correct = [c["id"] for c in q["choices"] if c["correct"]]
        wrong = [c["id"] for c in q["choices"] if not c["correct"]]
        if kind == "single":
            return correct[0] if right or not wrong else rng.choice(wrong)
        if right or not wrong:
            return correct
        return correct[:-1] + [rng.choice(wrong)]
    if kind == "truefalse":
        return q["answer"] if right else not q["answer"]
    if kind == "short":
        return q["answers"][0] if right else "not sure"
    if kind == "numeric":
        answer = q["answer"]
        return str(answer if right else answer * 10 + 1)
    if kind == "ordering":
        order = [item["id"] for item in q["items"]]
        if not right and len(order) > 1:
            order[0], order[1] = order[1], order[0]
        return order
    return None
