"""Builders for the team report tests: finished keying attempts with chosen
figures, assignments, enrolments and feedback. Each adds and flushes, never
commits, like tests/factories.py. Skills, roles, goals and levels come from
tests/mentorship/builders.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from lms.attempts.models import IN_PROGRESS, SUBMITTED, AssessmentAssignment, Attempt
from lms.courses.models import Enrolment
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.skills.models import EVIDENCE_RATING, SkillEvidence


def keying_attempt(
    user,
    test,
    when: datetime,
    *,
    net_kph: float = 6000.0,
    accuracy: float = 0.97,
    validity: str = "valid",
    band: str | None = "foundation",
    flags: list[dict] | None = None,
    state: str = SUBMITTED,
    number: int = 1,
) -> Attempt:
    """A keying attempt as the engine leaves it, with a small stored result."""
    live = state == IN_PROGRESS
    result = None
    if not live:
        result = {
            "kind": test.kind,
            "net_kph": net_kph,
            "gross_kph": net_kph + 400,
            "accuracy": accuracy,
            "field_accuracy": accuracy,
            "record_accuracy": accuracy,
            "critical_accuracy": 1.0,
            "char_accuracy": accuracy,
            "keystroke_accuracy": accuracy,
            "keypad_relevant": False,
            "completion_pct": 100.0,
            "validity": validity,
            "validity_reason": "" if validity == "valid" else "No keystroke record.",
            "band": band if validity == "valid" else None,
            "band_explanation": "",
            "flags": flags or [],
            "items": [],
        }
    attempt = Attempt(
        assessment_id=test.id,
        user_id=user.id,
        kind=test.kind,
        number=number,
        state=state,
        seed=1,
        snapshot={},
        started_at=when - timedelta(minutes=5),
        deadline_at=when + timedelta(days=1) if live else when,
        submitted_at=None if live else when,
        finalized_by=None if live else "learner",
        result=result,
        band=band if validity == "valid" and not live else None,
        flags=flags or [],
        is_valid=validity == "valid",
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def assignment(user, assessment, due_on: date, *, required: bool = True):
    row = AssessmentAssignment(
        assessment_id=assessment.id, user_id=user.id, due_on=due_on, required=required
    )
    db.session.add(row)
    db.session.flush()
    return row


def enrolment(user, course, due_on: date, *, required: bool = True, done=None):
    row = Enrolment(
        user_id=user.id,
        course_id=course.id,
        source="assigned",
        due_on=due_on,
        required=required,
        completed_at=done,
    )
    db.session.add(row)
    db.session.flush()
    return row


def feedback(author, subject, *, acknowledged_at=None) -> Feedback:
    row = Feedback(
        author_id=author.id,
        subject_id=subject.id,
        strength="Careful with amounts.",
        improve="Use the numeric keypad.",
        acknowledged_at=acknowledged_at,
    )
    db.session.add(row)
    db.session.flush()
    return row


def evidence(user, skill, level: int, when: datetime, *, by=None) -> SkillEvidence:
    row = SkillEvidence(
        user_id=user.id,
        skill_id=skill.id,
        level=level,
        source=EVIDENCE_RATING,
        rated_by_id=by.id if by else None,
        note="Seen at work.",
        observed_at=when,
    )
    db.session.add(row)
    db.session.flush()
    return row
