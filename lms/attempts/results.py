"""Scoring an attempt and storing its result: the kind's pure score over the
snapshot and the saved answers (and keystroke events), and the result's
headline columns and flags on the attempt.

Scoring is pure, so it may run before the write that finalises: a learner's
submit scores what is saved, then stores that result with the state change in
one conditional UPDATE that also requires the attempt's row_version to be the
one it read (every save raises it). A save that came in between, or a racing
submit that won, makes the UPDATE match nothing: the first scores again inside
the write, the second keeps the winner's result. Either way exactly one result
is stored per finalisation, computed from exactly the answers saved by then.
Expiry scores inside the write, after the state change; regrading stores a
recomputed result with store_result.
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


def score_attempt(
    attempt: Attempt, finished_at: datetime | None, responses: dict | None = None
) -> dict | None:
    """The kind's result for what is saved now (or for `responses`, read from
    the database by the caller), as if finished at `finished_at`; None when the
    scorer failed (logged: a scorer bug must not lose the submission). Reads
    only."""
    kind = get_kind(attempt.kind)
    if responses is None:
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
    """Store a (re)computed result and its headline columns."""
    for name, value in result_columns(attempt, result).items():
        setattr(attempt, name, value)
    db.session.flush()


def result_columns(attempt: Attempt, result: dict[str, Any]) -> dict[str, Any]:
    """The attempt's columns that hold `result`. The flags are the engine's own
    (noted while saving) plus this result's: a regrade or an acceptance replaces
    the earlier result's flags instead of repeating them."""
    earlier = (attempt.result or {}).get("flags") or []
    engine_flags = [f for f in attempt.flags or [] if f not in earlier]
    flags = result.get("flags")
    return {
        "result": result,
        **headline_columns(result),
        "flags": [*engine_flags, *(flags if isinstance(flags, list) else [])],
    }


def headline_columns(result: dict[str, Any]) -> dict[str, Any]:
    """The result's figures that lists, reports and filters read from columns."""
    return {
        "score": result.get("score"),
        "max_score": result.get("max_score"),
        "percent": result.get("percent"),
        "passed": result.get("passed"),
        "band": result.get("band"),
        # Keying scorers mark too-short or implausible attempts invalid; quizzes omit it.
        "is_valid": result.get("validity", "valid") == "valid",
    }
