"""The keystroke-event budget of an attempt: what it has stored so far, and the
check a save with events passes before they are stored.

The kind sets the budget (AssessmentKind.event_budget, in proportion to what its
test asks to be typed); this module counts what the attempt already holds, in
events and in bytes of JSON, with one aggregate query. The check runs after the
save has locked the attempt's row, so two saves of one attempt cannot both fit
into the last of the budget.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from lms.attempts.kinds import EventBudget
from lms.attempts.models import Attempt, KeystrokeChunk
from lms.attempts.queries import get_kind
from lms.errors import DomainError, ValidationError
from lms.extensions import db


class EventBudgetExceeded(DomainError):
    code = "too_many_events"
    status = 413


def check_room(attempt: Attempt, seq: int, events: list[Any]) -> None:
    """Raise EventBudgetExceeded unless the attempt can store these events too."""
    budget = get_kind(attempt.kind).event_budget(attempt.snapshot)
    if budget is None:
        raise ValidationError(
            "Nothing was saved: this kind of assessment keeps no keystroke events."
        )
    stored_events, stored_bytes, seq_stored = _stored(attempt.id, seq)
    if seq_stored:  # a repeated save: its events are already in
        return
    if (
        stored_events + len(events) > budget.events
        or stored_bytes + len(json.dumps(events)) > budget.bytes
    ):
        raise EventBudgetExceeded(_refusal(budget))


def _stored(attempt_id: int, seq: int) -> tuple[int, int, bool]:
    """(events, bytes of JSON, whether this seq's chunk is stored) for the attempt.

    JSON is stored ASCII-only (non-ASCII escaped), so characters are bytes."""
    as_text = sa.cast(KeystrokeChunk.events, sa.Text)
    row = db.session.execute(
        sa.select(
            sa.func.coalesce(
                sa.func.sum(sa.func.json_array_length(KeystrokeChunk.events)), 0
            ),
            sa.func.coalesce(sa.func.sum(sa.func.length(as_text)), 0),
            sa.func.coalesce(
                sa.func.max(sa.case((KeystrokeChunk.seq == seq, 1), else_=0)), 0
            ),
        ).where(KeystrokeChunk.attempt_id == attempt_id)
    ).one()
    return int(row[0]), int(row[1]), bool(row[2])


def _refusal(budget: EventBudget) -> str:
    return (
        "Nothing was saved: this attempt already holds as many keystroke events as "
        f"its test can need ({budget.events:,} events or "
        f"{budget.bytes // 1024:,} KiB)."
    )
