"""Demo courses side: assigned and chosen enrolments with progress at past dates,
learner@demo.test's and newhire@demo.test's planned enrolments, and the trainer's
draft course written in the browser.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.courses import authoring as course_authoring
from lms.courses.models import Course, Enrolment, Module, ModuleProgress
from lms.extensions import db
from lms.seed import SEED, SeedReport
from lms.users.models import User

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


def active_modules_by_course(courses: list[Course]) -> dict[int, list[Module]]:
    by_course: dict[int, list[Module]] = {c.id: [] for c in courses}
    for module in db.session.scalars(
        sa.select(Module)
        .where(Module.course_id.in_(by_course), Module.is_active)
        .order_by(Module.course_id, Module.position, Module.id)
    ):
        by_course[module.course_id].append(module)
    return by_course


# --- enrolments and progress ----------------------------------------------------


def learner_history(
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


def learner_plan(
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


def newhire_plan(
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


def draft_course(trainer: User) -> Course | None:
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
