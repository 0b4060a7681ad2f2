"""Demo growth: skills evidence from completed courses, and two mentor pairings
with sessions and action items (career goals: lms/seed/goals.py).

Attempt evidence needs nothing here: the quiz and keying history went through
the engine, whose finalisation hook records it. Completed courses were seeded
by setting `completed_at` directly, so their evidence is recorded here through
the same completion announcement progress makes, dated when they were done.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.courses import completion
from lms.courses.models import Enrolment
from lms.extensions import db
from lms.seed import SeedReport
from lms.seed.people import LEARNER, MANAGER, NEWHIRE
from lms.seed.quiz_history import clock_at
from lms.users.models import User


def seed_growth(learners: list[User], now: datetime, report: SeedReport) -> None:
    _course_evidence()
    _mentoring(learners, now)


def _course_evidence() -> None:
    done = db.session.scalars(
        sa.select(Enrolment)
        .where(Enrolment.completed_at.is_not(None))
        .options(joinedload(Enrolment.course))
        .order_by(Enrolment.completed_at, Enrolment.id)
    ).all()
    for enrolment in done:
        with clock_at(enrolment.completed_at):
            completion.announce(enrolment, enrolment.course)


def _mentoring(learners: list[User], now: datetime) -> None:
    """learner@ and one trainee are mentored by senior executives of their team."""
    from lms.mentorship import services as mentoring

    # The pairing rules read each mentee's team: load it with the people.
    learners = db.session.scalars(
        sa.select(User)
        .where(User.id.in_([u.id for u in learners]))
        .options(joinedload(User.team))
        .execution_options(populate_existing=True)
    ).all()
    by_email = {u.email: u for u in learners}
    manager = db.session.scalar(sa.select(User).where(User.email == MANAGER.email))
    priya = by_email.get(LEARNER.email)
    if manager is None or priya is None:
        return
    team = [u for u in learners if u.team_id == priya.team_id]
    seniors = [u for u in team if u.job_title == "Senior executive"]
    trainees = [
        u
        for u in team
        if u.job_title == "Trainee executive" and u.email != NEWHIRE.email
    ]
    if len(seniors) < 2 or not trainees:
        return
    plans = [
        (seniors[0], priya, "Went through last week's reconciliation breaks together."),
        (
            seniors[1],
            trainees[0],
            "Practised 10-key drills with the source on a stand.",
        ),
    ]
    for number, (mentor, mentee, notes) in enumerate(plans):
        start = now - timedelta(days=30 - number * 5)
        with clock_at(start):
            pairing = mentoring.create_pairing(
                manager, mentor=mentor, mentee=mentee, starts_on=start.date()
            )
        for week, acknowledged in ((1, True), (3, False)):
            held = start + timedelta(days=7 * week)
            with clock_at(held + timedelta(hours=2)):
                session = mentoring.log_session(
                    mentor,
                    pairing,
                    held_on=held.date(),
                    notes=notes
                    if week == 1
                    else "Reviewed progress on the agreed items.",
                    items=[
                        mentoring.ItemInput(
                            "Take the ledger reconciliation test again",
                            mentee.id,
                            (held + timedelta(days=7)).date(),
                        ),
                        mentoring.ItemInput(
                            "Share two checklists from my own desk",
                            mentor.id,
                            (held + timedelta(days=3)).date(),
                        ),
                    ],
                )
            if acknowledged:
                with clock_at(held + timedelta(days=1)):
                    mentoring.acknowledge_session(mentee, session)
                    mentoring.set_item_done(mentor, _items_of(session)[1], True)


def _items_of(session):
    from lms.mentorship.models import ActionItem

    return db.session.scalars(
        sa.select(ActionItem)
        .where(ActionItem.session_id == session.id)
        .options(joinedload(ActionItem.session))
        .order_by(ActionItem.id)
    ).all()
