"""Decisions by hand on a final attempt: a reviewer changes one item's points
(`regrade_item`), or accepts a result whose evidence was missing or disagreed
(`accept_result`, e.g. a keying test saved without a keystroke log).

The kind recomputes the result (`AssessmentKind.regrade`, pure); the engine
stores it with an optimistic check on the attempt's `row_version`, so when two
reviewers grade the same attempt from pages opened at the same version, the
second gets a clear 409 instead of silently undoing the first. Every change is
audited and announced as "regraded" (lms.attempts.finalisation).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from lms import clock
from lms.attempts import finalisation, kinds
from lms.attempts.models import SUBMITTED, Attempt
from lms.attempts.results import store_result
from lms.audit import services as audit
from lms.audit.models import AuditEvent
from lms.errors import ConflictError, ValidationError
from lms.extensions import db
from lms.users.models import User


class GradedMeanwhile(ConflictError):
    code = "graded_meanwhile"


def regrade_item(
    attempt: Attempt,
    item_id: str,
    *,
    points: float,
    comment: str,
    actor: User,
    seen_version: int | None = None,
) -> AuditEvent:
    """Set one item's points, store the recomputed result, audit and announce it.

    `seen_version` is the attempt's row_version when the reviewer's page was
    built; None means "the version just read".
    """
    if attempt.state != SUBMITTED or not attempt.result:
        raise ValidationError("Only submitted attempts with a result can be graded.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Say why in the comment: it goes into the audit trail.")
    expected = attempt.row_version if seen_version is None else seen_version
    before = _headline(attempt, item_id)
    override = {"by": actor.id, "at": clock.now().isoformat(), "comment": comment}
    try:
        result = kinds.get(attempt.kind).regrade(
            attempt.snapshot, attempt.result, item_id, points, override
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    _claim_version(attempt, expected)
    store_result(attempt, result)
    event = audit.record(
        actor,
        "attempt.regrade",
        "attempt",
        attempt.id,
        {
            "item_id": item_id,
            "comment": comment,
            "before": before,
            "after": _headline(attempt, item_id),
        },
    )
    finalisation.announce(attempt, finalisation.REGRADED)
    return event


def accept_result(
    attempt: Attempt,
    *,
    reason: str,
    actor: User,
    seen_version: int | None = None,
) -> AuditEvent:
    """Accept an unverified result after reviewing its evidence; audited."""
    if attempt.state != SUBMITTED or not attempt.result:
        raise ValidationError("Only submitted attempts with a result can be accepted.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            "Say what you checked in the reason: it goes into the audit trail."
        )
    expected = attempt.row_version if seen_version is None else seen_version
    before = {"validity": attempt.result.get("validity"), "band": attempt.band}
    acceptance = {"by": actor.id, "at": clock.now().isoformat(), "reason": reason}
    try:
        result = kinds.get(attempt.kind).accept(
            attempt.snapshot, attempt.result, acceptance
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    _claim_version(attempt, expected)
    store_result(attempt, result)
    event = audit.record(
        actor,
        "attempt.accept",
        "attempt",
        attempt.id,
        {
            "reason": reason,
            "before": before,
            "after": {"validity": result.get("validity"), "band": attempt.band},
        },
    )
    finalisation.announce(attempt, finalisation.REGRADED)
    return event


def _claim_version(attempt: Attempt, expected: int) -> None:
    """Move row_version on only if nobody changed the attempt since `expected`."""
    stmt = (
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.row_version == expected)
        .values(row_version=Attempt.row_version + 1)
        .returning(Attempt.row_version)
        .execution_options(synchronize_session=False)
    )
    version = db.session.execute(stmt).scalar()
    if version is None:
        db.session.refresh(attempt)
        raise GradedMeanwhile(
            "Someone else changed this attempt's grades after you opened it. "
            "Reload the page to see their change, then grade again."
        )
    sa.orm.attributes.set_committed_value(attempt, "row_version", version)


def _headline(attempt: Attempt, item_id: str) -> dict[str, Any]:
    item = ((attempt.result or {}).get("items") or {}).get(item_id) or {}
    return {
        "points": item.get("points"),
        "correct": item.get("correct"),
        "score": attempt.score,
        "percent": attempt.percent,
        "passed": attempt.passed,
    }
