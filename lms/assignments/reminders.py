"""What the notification sweep (`flask notifications sweep`) tells people:

* an assigned course or assessment due within the next two days (today
  included) and not yet done: completed for a course, passed for an assessment;
* a live attempt whose deadline falls within the next ten minutes.

Each reminder carries a dedupe key (the due date is part of it, so a new due
date reminds again), so the sweep can run every few minutes without repeating
itself. Dates are the server's (UTC) calendar days.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.assignments.queries import has_passed
from lms.attempts import kinds
from lms.attempts.models import IN_PROGRESS, Assessment, AssessmentAssignment, Attempt
from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.notifications import sweeps
from lms.notifications.services import notify, notify_many, path_for
from lms.users.models import User

DUE_SOON_DAYS = 2
ENDING_SOON = timedelta(minutes=10)


def _when(due_on, today) -> str:
    days = (due_on - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"on {due_on:%d %b %Y}"


@sweeps.sweeper("courses due soon")
def remind_courses_due(now: datetime) -> int:
    today = now.date()
    rows = db.session.execute(
        sa.select(
            Enrolment.user_id, Enrolment.due_on, Course.id, Course.title, Course.slug
        )
        .join(Course, Course.id == Enrolment.course_id)
        .join(User, User.id == Enrolment.user_id)
        .where(
            Enrolment.completed_at.is_(None),
            Enrolment.due_on.between(today, today + timedelta(days=DUE_SOON_DAYS)),
            User.is_active_account.is_(True),
        )
    )
    groups: dict[tuple, list[int]] = defaultdict(list)
    for user_id, due_on, course_id, title, slug in rows:
        groups[(course_id, title, slug, due_on)].append(user_id)
    told = 0
    for (course_id, title, slug, due_on), user_ids in groups.items():
        told += notify_many(
            user_ids,
            "due_soon",
            f"“{title}” is due {_when(due_on, today)}: finish it to stay on track.",
            path_for("courses.course_detail", slug=slug),
            dedupe_key=f"due:course:{course_id}:{due_on}",
        )
    return told


@sweeps.sweeper("assessments due soon")
def remind_assessments_due(now: datetime) -> int:
    today = now.date()
    rows = db.session.execute(
        sa.select(
            AssessmentAssignment.user_id,
            AssessmentAssignment.due_on,
            Assessment.id,
            Assessment.title,
            Assessment.slug,
        )
        .join(Assessment, Assessment.id == AssessmentAssignment.assessment_id)
        .join(User, User.id == AssessmentAssignment.user_id)
        .where(
            AssessmentAssignment.due_on.between(
                today, today + timedelta(days=DUE_SOON_DAYS)
            ),
            Assessment.is_published.is_(True),
            User.is_active_account.is_(True),
            ~has_passed(),
        )
    )
    groups: dict[tuple, list[int]] = defaultdict(list)
    for user_id, due_on, assessment_id, title, slug in rows:
        groups[(assessment_id, title, slug, due_on)].append(user_id)
    told = 0
    for (assessment_id, title, slug, due_on), user_ids in groups.items():
        told += notify_many(
            user_ids,
            "due_soon",
            f"“{title}” is due {_when(due_on, today)} and not passed yet.",
            path_for("attempts.intro", slug=slug),
            dedupe_key=f"due:assessment:{assessment_id}:{due_on}",
        )
    return told


@sweeps.sweeper("attempts ending soon")
def remind_attempts_ending(now: datetime) -> int:
    rows = db.session.execute(
        sa.select(
            Attempt.id,
            Attempt.user_id,
            Attempt.kind,
            Attempt.deadline_at,
            Assessment.title,
        )
        .join(Assessment, Assessment.id == Attempt.assessment_id)
        .where(
            Attempt.state == IN_PROGRESS,
            Attempt.deadline_at > now,
            Attempt.deadline_at <= now + ENDING_SOON,
        )
    )
    told = 0
    for attempt_id, user_id, kind, deadline_at, title in rows:
        minutes = max(1, round((deadline_at - now).total_seconds() / 60))
        link = ""
        if kinds.is_registered(kind):
            link = path_for(kinds.get(kind).take_endpoint, attempt_id=attempt_id)
        told += notify(
            user_id,
            "attempt_ending",
            f"Your attempt at “{title}” ends in {minutes} minute"
            f"{'' if minutes == 1 else 's'}: submit it before time runs out.",
            link,
            dedupe_key=f"ending:attempt:{attempt_id}",
        )
    return told
