"""The timed-attempt engine: start, save, submit, expire, overrides, final grades.

Services flush and never commit; the request or CLI command commits once.
Time comes only from lms.clock.now() on the server; nothing the browser says
about time is used. docs/attempts.md explains the rules; the short version:

* start_attempt resumes the learner's live attempt (same clock, same items) or
  creates one with a snapshot and a deadline of
  min(started + limit + override extra time, close time).
* save_responses is sequence-numbered: a response is replaced only by a save
  with a higher seq, so a repeated or late-arriving older save changes nothing.
  Saves are accepted until deadline + grace (not during the grace window under
  the ``grace`` policy), then answered with 409.
* submit_attempt is ONE conditional UPDATE (in_progress → submitted) that
  stores the result scored just before it (lms.attempts.results). Whoever
  wins stores its result; everyone else re-reads and gets the stored result.
* expire_if_due runs on every access; expire_overdue is the cron sweep.

Concurrency: every write to an attempt starts with a conditional UPDATE of its
row, which takes the row lock on PostgreSQL and the write lock on SQLite, so a
save and a submit of the same attempt are serialised by the database; the
WHERE state = 'in_progress' decides who is late. A partial unique index allows
one live attempt per learner and assessment; a racing second start inserts
nothing (ON CONFLICT DO NOTHING) and resumes the winner's attempt.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from lms import clock
from lms.attempts import finalisation, keystrokes, results, statements, timing
from lms.attempts.availability import Availability, availability, when_text
from lms.attempts.models import (
    ABANDONED,
    IN_PROGRESS,
    LIVE_PREDICATE,
    ON_EXPIRY,
    SUBMITTED,
    Assessment,
    Attempt,
)
from lms.attempts.queries import (  # noqa: F401 (the engine's reading API)
    AttemptStateError,
    cutoff_of,
    engine_settings,
    events_for,
    get_attempt,
    get_kind,
    get_published,
    grace_seconds_of,
    history,
    kind_available,
    learner_items,
    live_attempt,
    on_expiry_of,
    read_attempt_with_person,
    remember_responses,
    responses_for,
    title_of,
)
from lms.errors import (
    ValidationError,
)
from lms.extensions import db
from lms.users.models import User

MAX_ITEMS_PER_SAVE = 500
MAX_EVENTS_PER_SAVE = 20_000
MAX_SEQ = 2**31 - 1


# --------------------------------------------------------------------------
# Start
# --------------------------------------------------------------------------


@dataclass
class Started:
    attempt: Attempt
    created: bool


def start_attempt(user: User, assessment: Assessment) -> Started:
    """Resume the learner's live attempt, or start a new one if the rules allow."""
    now = clock.now()
    live = live_attempt(user, assessment)
    if live is not None and not expire_if_due(live, now):
        return Started(live, created=False)
    avail = availability(user, assessment, now)
    if not avail.can_start:
        raise AttemptStateError(avail.reason, avail.message)
    attempt = _insert_attempt(_new_attempt_values(user, assessment, avail, now))
    if attempt is None:  # a concurrent start won the one-live-attempt index
        live = live_attempt(user, assessment)
        if live is None:
            raise AttemptStateError("busy", "Please try starting again.")
        return Started(live, created=False)
    return Started(attempt, created=True)


def new_attempt_seed() -> int:
    """The random seed of a new attempt's draws and shuffles (unpredictable)."""
    return secrets.randbits(62)


def _new_attempt_values(
    user: User, assessment: Assessment, avail: Availability, now: datetime
) -> dict[str, Any]:
    kind = get_kind(assessment.kind)
    seed = new_attempt_seed()
    snapshot = kind.build_snapshot(assessment, random.Random(seed))
    snapshot["engine"] = {
        "title": assessment.title,
        "time_limit_seconds": assessment.time_limit_seconds,
        "extra_seconds": avail.extra_seconds,
        "on_expiry": _on_expiry(assessment),
        "grace_seconds": _grace_seconds(assessment),
    }
    return {
        "assessment_id": assessment.id,
        "user_id": user.id,
        "kind": assessment.kind,
        "number": avail.used + 1,
        "assessment_version": assessment.version,
        "state": IN_PROGRESS,
        "seed": seed,
        "snapshot": snapshot,
        "started_at": now,
        "deadline_at": timing.deadline_for(
            now, assessment.time_limit_seconds, avail.extra_seconds, assessment.close_at
        ),
    }


def _on_expiry(assessment: Assessment) -> str:
    policy = assessment.on_expiry or timing.AUTOSUBMIT
    return policy if policy in ON_EXPIRY else timing.AUTOSUBMIT


def _grace_seconds(assessment: Assessment) -> int:
    value = (assessment.settings or {}).get("grace_seconds")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return int(current_app.config.get("ATTEMPT_GRACE_SECONDS", 30))


def _insert_attempt(values: dict[str, Any]) -> Attempt | None:
    stmt = (
        statements.insert(Attempt)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=[Attempt.user_id, Attempt.assessment_id],
            # Literal SQL, as in the index: a bound parameter here makes
            # PostgreSQL's generic plans (prepared statements) miss the index.
            index_where=sa.text(LIVE_PREDICATE),
        )
        .returning(Attempt)
    )
    return db.session.scalars(
        stmt, execution_options={"populate_existing": True}
    ).first()


# --------------------------------------------------------------------------
# Save
# --------------------------------------------------------------------------


@dataclass
class Saved:
    saved_seq: int
    last_seq: int
    remaining_ms: int | None
    server_now: datetime
    deadline_at: datetime | None


def save_responses(
    attempt: Attempt,
    seq: Any,
    responses: Any,
    events: Any = None,
) -> Saved:
    """Store answers (and keystroke events) of a live attempt; see the module doc."""
    now = clock.now()
    _check_payload(seq, responses, events)
    expire_if_due(attempt, now)
    _require_accepting_answers(attempt, now)
    _check_items(attempt, responses, events)
    last_seq = _claim_for_save(attempt, seq)
    if responses:
        _upsert_responses(attempt.id, seq, responses, now)
    if events:
        events = _accepted_events(attempt, events, now)
        keystrokes.check_room(attempt, seq, events)
        _insert_events(attempt.id, seq, events, now)
    return Saved(
        saved_seq=seq,
        last_seq=last_seq,
        remaining_ms=timing.remaining_ms(attempt.deadline_at, now),
        server_now=now,
        deadline_at=attempt.deadline_at,
    )


def _check_payload(seq: Any, responses: Any, events: Any) -> None:
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_SEQ:
        raise ValidationError(f"seq must be a whole number from 1 to {MAX_SEQ}.")
    if not isinstance(responses, dict):
        raise ValidationError("responses must be an object of item id → answer.")
    if len(responses) > MAX_ITEMS_PER_SAVE:
        raise ValidationError(f"Send at most {MAX_ITEMS_PER_SAVE} answers at a time.")
    if events is not None and not isinstance(events, list):
        raise ValidationError("events must be a list.")
    if events and len(events) > MAX_EVENTS_PER_SAVE:
        raise ValidationError(f"Send at most {MAX_EVENTS_PER_SAVE} events at a time.")


def _require_accepting_answers(attempt: Attempt, now: datetime) -> None:
    _require_live(attempt)
    phase = timing.phase(attempt.deadline_at, grace_seconds_of(attempt), now)
    if not timing.can_save(phase, on_expiry_of(attempt)):
        raise AttemptStateError(
            "answers_closed",
            "Time is up: answers can no longer be changed. Submit the attempt now.",
        )


def _require_live(attempt: Attempt) -> None:
    if attempt.state == SUBMITTED:
        raise AttemptStateError(
            "attempt_submitted", "This attempt is already submitted."
        )
    if attempt.state == ABANDONED:
        raise AttemptStateError(
            "attempt_abandoned",
            "Time ran out and this attempt was not submitted, so it is closed.",
        )


def _check_items(attempt: Attempt, responses: Mapping[str, Any], events) -> None:
    kind = get_kind(attempt.kind)
    if events and not kind.uses_events:
        raise ValidationError(
            "Nothing was saved: this kind of assessment keeps no keystroke events."
        )
    errors = kind.validate_responses(attempt.snapshot, responses)
    if errors:
        shown = "; ".join(errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ValidationError(f"Nothing was saved: {shown}{more}.")


def _claim_for_save(attempt: Attempt, seq: int) -> int:
    """Lock the live attempt row and raise its last_seq; 409 if it closed meanwhile."""
    stmt = statements.claim_for_save()
    params = {"attempt_id": attempt.id, "seq": seq}
    row = db.session.execute(stmt, params).first()
    if row is None:
        db.session.refresh(attempt)
        _require_live(attempt)
        raise AttemptStateError("attempt_closed", "This attempt is closed.")
    set_committed_value(attempt, "last_seq", row.last_seq)
    set_committed_value(attempt, "row_version", row.row_version)
    return row.last_seq


def _upsert_responses(
    attempt_id: int, seq: int, responses: Mapping[str, Any], now: datetime
) -> None:
    rows = [
        {
            "attempt_id": attempt_id,
            "item_id": item_id,
            "value": value,
            "seq": seq,
            "saved_at": now,
        }
        for item_id, value in responses.items()
    ]
    db.session.execute(statements.upsert_responses(), rows)


def _accepted_events(attempt: Attempt, events: list[Any], now: datetime) -> list:
    server_ms = (now - attempt.started_at).total_seconds() * 1000
    kept, flag = get_kind(attempt.kind).accept_events(events, server_ms)
    if flag is not None:
        note_flag(attempt, flag)
    return kept


def note_flag(attempt: Attempt, flag: dict[str, Any]) -> None:
    """Keep one flag per code on the attempt, adding up repeated evidence."""
    flags = [dict(f) for f in attempt.flags or []]
    for existing in flags:
        if existing.get("code") == flag["code"]:
            existing["count"] = int(existing.get("count", 1)) + 1
            existing["evidence"] = flag.get("evidence")
            break
    else:
        flags.append({**flag, "count": 1})
    attempt.flags = flags
    db.session.flush()


def _insert_events(attempt_id: int, seq: int, events: list[Any], now: datetime) -> None:
    db.session.execute(
        statements.insert_events(),
        {"attempt_id": attempt_id, "seq": seq, "events": events, "received_at": now},
    )


# --------------------------------------------------------------------------
# Submit, expiry and scoring
# --------------------------------------------------------------------------


def submit_attempt(attempt: Attempt, by: str = "learner") -> Attempt:
    """Finalise the attempt once; a repeat or a racing loser gets the stored result."""
    now = clock.now()
    expire_if_due(attempt, now)
    if attempt.state == IN_PROGRESS and _submit_scored(attempt, by, now):
        finalisation.announce(attempt, finalisation.SUBMITTED)
        return attempt
    return _stored_outcome(attempt, by, now)


def _submit_scored(attempt: Attempt, by: str, now: datetime) -> bool:
    """Score what is saved, then finalise with that result in one UPDATE, provided
    no save came in meanwhile (results explains why this is safe); so the bulk of
    a submit runs before its write, outside SQLite's one-writer turn. After a
    save in between, score again inside the write. True for the caller that
    finalised."""
    seen = attempt.row_version
    saved = responses_for(attempt)
    result = results.score_attempt(attempt, now, saved)
    stored = {} if result is None else results.result_columns(attempt, result)
    if _finalize(attempt, SUBMITTED, by, now, seen_version=seen, also=stored):
        remember_responses(attempt, saved)  # for the review the caller shows next
        if result is None:
            results.record_score(attempt, None)
        return True
    if attempt.state != IN_PROGRESS:  # another submit or the expiry won
        return False
    if _finalize(attempt, SUBMITTED, by, now):
        _score(attempt)
        return True
    return False


def _stored_outcome(attempt: Attempt, by: str, now: datetime) -> Attempt:
    """What a submit that did not win gets: the stored result, or why there is none."""
    if attempt.state == ABANDONED:
        _require_live(attempt)
    cutoff = cutoff_of(attempt)
    late = cutoff is not None and now > cutoff
    if attempt.finalized_by == "expiry" and late:
        raise AttemptStateError(
            "time_up",
            f"Time ran out at {when_text(attempt.deadline_at)}; the answers saved by then "
            "were submitted automatically.",
        )
    return attempt


def expire_if_due(attempt: Attempt, now: datetime | None = None) -> bool:
    """Apply the expiry policy if the attempt is past deadline + grace.

    Returns True when the attempt is final because its time ran out (whether
    this call or a concurrent one finalised it).
    """
    if attempt.state != IN_PROGRESS:
        return False
    now = now or clock.now()
    if timing.phase(attempt.deadline_at, grace_seconds_of(attempt), now) != timing.OVER:
        return False
    if on_expiry_of(attempt) == timing.ABANDON:
        if _finalize(attempt, ABANDONED, "expiry", None):
            finalisation.announce(attempt, finalisation.EXPIRED)
    elif _finalize(attempt, SUBMITTED, "expiry", attempt.deadline_at):
        _score(attempt)
        finalisation.announce(attempt, finalisation.EXPIRED)
    return True


def _finalize(
    attempt: Attempt,
    state: str,
    by: str,
    submitted_at,
    seen_version: int | None = None,
    also: Mapping[str, Any] | None = None,
) -> bool:
    """The one conditional state change, storing the columns in `also` with it;
    with `seen_version`, only if the row is still at that version. True for the
    caller that made it."""
    also = dict(also or {})
    stmt = statements.finalize(seen_version is not None, tuple(also))
    values = {"state": state, "submitted_at": submitted_at, "finalized_by": by, **also}
    params = {f"new_{name}": value for name, value in values.items()}
    params["attempt_id"] = attempt.id
    if seen_version is not None:
        params["seen_version"] = seen_version
    row = db.session.execute(stmt, params).first()
    if row is None:  # lost the race: read what the winner committed
        db.session.refresh(attempt)
        return False
    for name, value in [*row._mapping.items(), *also.items()]:
        set_committed_value(attempt, name, value)
    return True


def _score(attempt: Attempt) -> None:
    results.record_score(attempt, results.score_attempt(attempt, attempt.submitted_at))


store_result = results.store_result


@dataclass
class ExpiryReport:
    checked: int = 0
    submitted: int = 0
    abandoned: int = 0

    def summary(self) -> str:
        return (
            f"{self.submitted} submitted, {self.abandoned} abandoned "
            f"({self.checked} past their deadline checked)."
        )


def expire_overdue(now: datetime | None = None) -> ExpiryReport:
    """The cron sweep: apply the expiry policy to every live attempt past its cutoff."""
    now = now or clock.now()
    report = ExpiryReport()
    due = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.state == IN_PROGRESS, Attempt.deadline_at < now)
        .order_by(Attempt.id)
    ).all()
    for attempt in due:
        report.checked += 1
        if expire_if_due(attempt, now) and attempt.finalized_by == "expiry":
            if attempt.state == SUBMITTED:
                report.submitted += 1
            else:
                report.abandoned += 1
    return report
