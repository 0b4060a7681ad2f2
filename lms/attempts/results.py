"""Scoring an attempt and storing its result: the kind's pure score over the
snapshot and the saved answers (and keystroke events), and the result's
headline columns and flags on the attempt.

The engine scores in the transaction that finalises the attempt
(services.submit_attempt, expiry), after the state change, so exactly one
caller scores; regrading stores a recomputed result the same way.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from lms.attempts import timing
from lms.attempts.models import Attempt
from lms.attempts.queries import events_for, get_kind, responses_for
from lms.extensions import db

log = logging.getLogger(__name__)

SCORING_FAILED = {"code": "scoring_failed", "message": "Scoring failed; rescore it."}


def score_attempt(attempt: Attempt, finished_at: datetime | None) -> dict | None:
    """The kind's result for what is saved now, as if finished at `finished_at`;
    None when the scorer failed (logged: a scorer bug must not lose the
    submission). Reads only."""
    kind = get_kind(attempt.kind)
    responses = responses_for(attempt)
    events = events_for(attempt) if kind.uses_events else []
    elapsed = timing.elapsed_seconds(
        attempt.started_at, finished_at, attempt.deadline_at
    )
    try:
        return kind.score(attempt.snapshot, responses, events, elapsed)
    except Exception:
        log.exception("scoring attempt %s failed", attempt.id)
        return None


def record_score(attempt: Attempt, result: dict | None) -> None:
    """Store a result from score_attempt, or flag the attempt for a rescore."""
    if result is None:
        attempt.flags = [*(attempt.flags or []), dict(SCORING_FAILED)]
        db.session.flush()
        return
    store_result(attempt, result)


def store_result(attempt: Attempt, result: dict[str, Any]) -> None:
    """Store a (re)computed result and its headline columns. The attempt's flags
    are the engine's own (noted while saving) plus this result's: a regrade or
    an acceptance replaces the earlier result's flags instead of repeating them."""
    earlier = (attempt.result or {}).get("flags") or []
    engine_flags = [f for f in attempt.flags or [] if f not in earlier]
    attempt.result = result
    attempt.score = result.get("score")
    attempt.max_score = result.get("max_score")
    attempt.percent = result.get("percent")
    attempt.passed = result.get("passed")
    attempt.band = result.get("band")
    # Keying scorers mark too-short or implausible attempts invalid; quizzes omit it.
    attempt.is_valid = result.get("validity", "valid") == "valid"
    flags = result.get("flags")
    attempt.flags = [*engine_flags, *(flags if isinstance(flags, list) else [])]
    db.session.flush()
