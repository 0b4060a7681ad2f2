"""Grading by hand through the engine (lms.attempts.regrading): the optimistic
row-version check that stops one reviewer silently undoing another, the audit
event, and the "regraded" finalisation announcement."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.attempts import finalisation, regrading
from lms.attempts.models import Attempt
from lms.audit.models import AuditEvent
from lms.errors import ConflictError, ValidationError
from lms.extensions import db
from lms.users.models import Role
from tests import factories


@pytest.fixture
def graded(app_ctx, clock):
    """A submitted quiz attempt with one wrong short answer (q2, 2 points)."""
    learner = factories.user()
    trainer = factories.user(Role.TRAINER)
    quiz = factories.quiz(
        [
            factories.question("truefalse", qid="q1"),
            factories.question("short", qid="q2", answers=["ledger"], points=2),
        ],
        owner=trainer,
    )
    attempt = factories.quiz_attempt(learner, quiz, {"q2": "legder"})
    db.session.commit()
    return attempt, trainer


@pytest.fixture
def heard():
    calls: list[tuple[int, str, float | None]] = []

    def listener(attempt, reason):
        calls.append((attempt.id, reason, attempt.score))

    finalisation.on_finalised(listener)
    yield calls
    finalisation.remove_listener(listener)


def _regrade(attempt, trainer, *, points=2.0, comment="Typo only.", seen=None):
    return regrading.regrade_item(
        attempt,
        "q2",
        points=points,
        comment=comment,
        actor=trainer,
        seen_version=seen,
    )


def _version(attempt_id: int) -> int:
    return db.session.scalar(
        sa.select(Attempt.row_version).where(Attempt.id == attempt_id)
    )


def test_a_grade_from_the_current_version_applies_and_moves_the_version(graded):
    attempt, trainer = graded
    seen = attempt.row_version

    event = _regrade(attempt, trainer, seen=seen)
    db.session.commit()

    assert _version(attempt.id) == seen + 1 == attempt.row_version
    assert attempt.score == 3 and attempt.result["items"]["q2"]["points"] == 2
    assert event.action == "attempt.regrade" and event.details["item_id"] == "q2"
    assert event.details["before"]["points"] == 0
    assert event.details["after"]["points"] == 2


def test_a_grade_from_an_older_version_is_refused_and_changes_nothing(graded):
    attempt, trainer = graded
    seen = attempt.row_version
    _regrade(attempt, trainer, seen=seen, comment="First reviewer.")
    db.session.commit()
    result_before = dict(attempt.result)

    with pytest.raises(regrading.GradedMeanwhile) as refused:
        _regrade(attempt, trainer, points=0.5, comment="Second.", seen=seen)
    db.session.rollback()

    assert isinstance(refused.value, ConflictError)
    assert refused.value.status == 409 and refused.value.code == "graded_meanwhile"
    assert "Someone else changed this attempt" in str(refused.value)
    db.session.refresh(attempt)
    assert attempt.result == result_before and attempt.score == 3
    assert _version(attempt.id) == seen + 1
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert [e.details["comment"] for e in events] == ["First reviewer."]


def test_without_a_seen_version_the_version_just_read_is_used(graded):
    attempt, trainer = graded
    before = attempt.row_version

    _regrade(attempt, trainer, points=1.0)
    _regrade(attempt, trainer, points=2.0)
    db.session.commit()

    assert _version(attempt.id) == before + 2
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 2


def test_a_grade_is_announced_as_regraded_with_the_new_score(graded, heard):
    attempt, trainer = graded

    _regrade(attempt, trainer, seen=attempt.row_version)

    assert heard == [(attempt.id, finalisation.REGRADED, 3)]
    assert finalisation.REGRADED == "regraded"


def test_a_refused_grade_is_not_announced(graded, heard):
    attempt, trainer = graded
    stale = attempt.row_version
    _regrade(attempt, trainer, seen=stale)
    db.session.commit()
    heard.clear()

    with pytest.raises(regrading.GradedMeanwhile):
        _regrade(attempt, trainer, points=1.0, seen=stale)

    assert heard == []


@pytest.mark.parametrize(
    ("points", "comment", "message"),
    [(2.0, "  ", "Say why"), (5.0, "Too many", "between 0 and 2")],
)
def test_an_invalid_grade_is_refused_before_the_version_moves(
    graded, heard, points, comment, message
):
    attempt, trainer = graded
    before = attempt.row_version

    with pytest.raises(ValidationError, match=message):
        _regrade(attempt, trainer, points=points, comment=comment, seen=before)

    assert _version(attempt.id) == before and heard == []
