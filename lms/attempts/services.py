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
* submit_attempt is ONE conditional UPDATE (in_progress → submitted). Whoever
  wins scores; everyone else re-reads and gets the stored result.
* expire_if_due runs on every access; expire_overdue is the cron sweep.

Concurrency: every write to an attempt starts with a conditional UPDATE of its
row, which takes the row lock on PostgreSQL and the write lock on SQLite, so a
save and a submit of the same attempt are serialised by the database; the
WHERE state = 'in_progress' decides who is late. A partial unique index allows
one live attempt per learner and assessment; a racing second start inserts
nothing (ON CONFLICT DO NOTHING) and resumes the winner's attempt.
"""

from __future__ import annotations

import logging
import random
import secrets
import statistics
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from lms import clock
from lms.attempts import finalisation, kinds, policies, review, timing
from lms.attempts.models import (
    ABANDONED,
    IN_PROGRESS,
    LIVE_PREDICATE,
    ON_EXPIRY,
    SUBMITTED,
    Assessment,
    Attempt,
    AttemptOverride,
    AuditEvent,
    KeystrokeChunk,
    Response,
)
from lms.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from lms.extensions import db
from lms.users.models import User

log = logging.getLogger(__name__)

GRADING_METHODS = ("highest", "latest", "average", "first")
MAX_ITEMS_PER_SAVE = 500
MAX_EVENTS_PER_SAVE = 20_000
MAX_SEQ = 2**31 - 1


class AttemptStateError(ConflictError):
    """A 409 whose `code` names the reason, so the browser can act on it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = reason


# --------------------------------------------------------------------------
# One writer per process on SQLite
# --------------------------------------------------------------------------

_sqlite_writer = threading.Lock()
WRITER_WAIT_SECONDS = 30


def take_writer_turn() -> bool:
    """On SQLite, wait for this process's turn to write; True when taken.

    Call it before a request touches the database and give the turn back with
    end_writer_turn() after the request (the API does this for every POST and
    PUT). Threads of one process then queue here instead of polling SQLite's
    busy handler, which sleeps up to 100 ms between tries and so leaves the
    database idle in a burst; only the worker processes compete for SQLite's
    lock. Taking the turn first, before any write, keeps the lock order fixed
    (turn, then SQLite), so it cannot deadlock. A no-op on PostgreSQL, whose
    row locks queue waiters properly.
    """
    if db.engine.dialect.name != "sqlite":
        return False
    return _sqlite_writer.acquire(timeout=WRITER_WAIT_SECONDS)


def end_writer_turn() -> None:
    _sqlite_writer.release()


# --------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------


def get_kind(name: str) -> kinds.AssessmentKind:
    try:
        return kinds.get(name)
    except kinds.UnknownKind:
        raise AttemptStateError(
            "kind_unavailable", "This kind of assessment cannot be taken yet."
        ) from None


def kind_available(name: str) -> bool:
    return kinds.is_registered(name)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def get_attempt(attempt_id: int) -> Attempt:
    """The attempt with its assessment (content deferred) and learner's team joined."""
    attempt = db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id)
        .options(
            joinedload(Attempt.assessment).options(
                defer(Assessment.content, raiseload=True)
            ),
            joinedload(Attempt.user).joinedload(User.team),
        )
    )
    if attempt is None:
        raise NotFoundError("There is no such attempt.")
    return attempt


def get_published(slug: str) -> Assessment:
    assessment = db.session.scalar(
        sa.select(Assessment).where(
            Assessment.slug == slug, Assessment.is_published.is_(True)
        )
    )
    if assessment is None:
        raise NotFoundError("There is no such assessment.")
    return assessment


def live_attempt(user: User, assessment: Assessment) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt).where(
            Attempt.user_id == user.id,
            Attempt.assessment_id == assessment.id,
            Attempt.state == IN_PROGRESS,
        )
    )


def responses_for(attempt: Attempt) -> dict[str, Any]:
    rows = db.session.execute(
        sa.select(Response.item_id, Response.value).where(
            Response.attempt_id == attempt.id
        )
    )
    return dict(rows.all())


def events_for(attempt: Attempt) -> list[dict[str, Any]]:
    chunks = db.session.scalars(
        sa.select(KeystrokeChunk.events)
        .where(KeystrokeChunk.attempt_id == attempt.id)
        .order_by(KeystrokeChunk.seq)
    )
    return [event for chunk in chunks for event in (chunk or [])]


def engine_settings(attempt: Attempt) -> dict[str, Any]:
    """The timing rules frozen into the attempt at start."""
    return attempt.snapshot.get("engine", {})


def grace_seconds_of(attempt: Attempt) -> int:
    return int(engine_settings(attempt).get("grace_seconds", 0))


def on_expiry_of(attempt: Attempt) -> str:
    return engine_settings(attempt).get("on_expiry", timing.AUTOSUBMIT)


def cutoff_of(attempt: Attempt) -> datetime | None:
    return timing.cutoff(attempt.deadline_at, grace_seconds_of(attempt))


def learner_items(attempt: Attempt) -> list[dict[str, Any]]:
    """The only way items reach a learner before finalisation."""
    return get_kind(attempt.kind).learner_items(attempt.snapshot)


# --------------------------------------------------------------------------
# Availability: may this learner start (or resume) now?
# --------------------------------------------------------------------------


@dataclass
class Availability:
    assessment: Assessment
    used: int = 0
    allowed: int | None = None  # None: unlimited
    extra_seconds: int = 0
    live_attempt_id: int | None = None
    live_deadline_at: datetime | None = None
    best_percent: float | None = None
    next_start_at: datetime | None = None
    reason: str | None = None  # why a new attempt cannot start; None = it can
    message: str = ""

    @property
    def can_start(self) -> bool:
        return self.reason is None

    @property
    def can_resume(self) -> bool:
        return self.live_attempt_id is not None

    @property
    def remaining_attempts(self) -> int | None:
        return None if self.allowed is None else max(self.allowed - self.used, 0)


def availability_for(
    user: User, assessments: list[Assessment], now: datetime | None = None
) -> dict[int, Availability]:
    """Attempts used, live attempt and whether a new one may start, for many
    assessments in two queries (catalogue, intro page, start)."""
    now = now or clock.now()
    ids = [a.id for a in assessments]
    stats = _attempt_stats(user.id, ids)
    overrides = _overrides(user.id, ids)
    result = {}
    for assessment in assessments:
        avail = Availability(assessment=assessment)
        row = stats.get(assessment.id)
        if row is not None:
            avail.used = row.used
            avail.live_attempt_id = row.live_id
            avail.live_deadline_at = row.live_deadline
            avail.best_percent = row.best_percent
        override = overrides.get(assessment.id)
        if override is not None:
            avail.extra_seconds = override.extra_seconds
        if assessment.attempts_allowed:
            avail.allowed = assessment.attempts_allowed + (
                override.extra_attempts if override else 0
            )
        delay = (assessment.settings or {}).get("delay_minutes") or 0
        if delay and row is not None and row.last_finished is not None:
            avail.next_start_at = row.last_finished + timedelta(minutes=delay)
        _decide(avail, now)
        result[assessment.id] = avail
    return result


def availability(user: User, assessment: Assessment, now: datetime | None = None):
    return availability_for(user, [assessment], now)[assessment.id]


def _decide(avail: Availability, now: datetime) -> None:
    a = avail.assessment
    if not a.is_published:
        avail.reason, avail.message = "unpublished", "This assessment is not published."
    elif a.open_at is not None and now < a.open_at:
        avail.reason = "not_open"
        avail.message = f"This assessment opens at {_when(a.open_at)}."
    elif a.close_at is not None and now >= a.close_at:
        avail.reason = "closed"
        avail.message = f"This assessment closed at {_when(a.close_at)}."
    elif avail.allowed is not None and avail.used >= avail.allowed:
        avail.reason = "no_attempts_left"
        avail.message = f"You have used all {avail.allowed} attempts."
    elif avail.next_start_at is not None and now < avail.next_start_at:
        avail.reason = "too_soon"
        avail.message = (
            f"You can start your next attempt at {_when(avail.next_start_at)}."
        )


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M UTC")


@dataclass
class _Stats:
    used: int
    live_id: int | None
    live_deadline: datetime | None
    last_finished: datetime | None
    best_percent: float | None


def _attempt_stats(user_id: int, assessment_ids: list[int]) -> dict[int, _Stats]:
    if not assessment_ids:
        return {}
    live = Attempt.state == IN_PROGRESS
    finished_at = sa.func.coalesce(
        Attempt.submitted_at, Attempt.deadline_at, Attempt.started_at
    )
    rows = db.session.execute(
        sa.select(
            Attempt.assessment_id,
            sa.func.count(Attempt.id),
            sa.func.max(sa.case((live, Attempt.id))),
            sa.func.max(sa.case((live, Attempt.deadline_at))),
            sa.func.max(sa.case((~live, finished_at))),
            sa.func.max(sa.case((Attempt.is_valid, Attempt.percent))),
        )
        .where(Attempt.user_id == user_id, Attempt.assessment_id.in_(assessment_ids))
        .group_by(Attempt.assessment_id)
    )
    return {
        row[0]: _Stats(row[1], row[2], _aware(row[3]), _aware(row[4]), row[5])
        for row in rows
    }


def _aware(value):
    """Aggregates of UTCDateTime columns come back naive (or as text on SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=clock.now().tzinfo)


def _overrides(user_id: int, assessment_ids: list[int]) -> dict[int, AttemptOverride]:
    if not assessment_ids:
        return {}
    rows = db.session.scalars(
        sa.select(AttemptOverride).where(
            AttemptOverride.user_id == user_id,
            AttemptOverride.assessment_id.in_(assessment_ids),
        )
    )
    return {o.assessment_id: o for o in rows}


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


def _new_attempt_values(
    user: User, assessment: Assessment, avail: Availability, now: datetime
) -> dict[str, Any]:
    kind = get_kind(assessment.kind)
    seed = secrets.randbits(62)
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


def _insert(table_or_entity):
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table_or_entity)


def _insert_attempt(values: dict[str, Any]) -> Attempt | None:
    stmt = (
        _insert(Attempt)
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
    stmt = (
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == IN_PROGRESS)
        .values(
            last_seq=sa.case((Attempt.last_seq < seq, seq), else_=Attempt.last_seq),
            row_version=Attempt.row_version + 1,
        )
        .returning(Attempt.last_seq)
        .execution_options(synchronize_session=False)
    )
    last_seq = db.session.scalar(stmt)
    if last_seq is None:
        db.session.refresh(attempt)
        _require_live(attempt)
        raise AttemptStateError("attempt_closed", "This attempt is closed.")
    set_committed_value(attempt, "last_seq", last_seq)
    return last_seq


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
    stmt = _insert(Response.__table__).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["attempt_id", "item_id"],
        set_={
            "value": stmt.excluded.value,
            "seq": stmt.excluded.seq,
            "saved_at": stmt.excluded.saved_at,
        },
        # A response only ever moves forward: an older or repeated save is a no-op.
        where=Response.__table__.c.seq < stmt.excluded.seq,
    )
    db.session.execute(stmt)


def _insert_events(attempt_id: int, seq: int, events: list[Any], now: datetime) -> None:
    stmt = (
        _insert(KeystrokeChunk.__table__)
        .values(attempt_id=attempt_id, seq=seq, events=events, received_at=now)
        .on_conflict_do_nothing(index_elements=["attempt_id", "seq"])
    )
    db.session.execute(stmt)


# --------------------------------------------------------------------------
# Submit, expiry and scoring
# --------------------------------------------------------------------------


def submit_attempt(attempt: Attempt, by: str = "learner") -> Attempt:
    """Finalise the attempt once; a repeat or a racing loser gets the stored result."""
    now = clock.now()
    expire_if_due(attempt, now)
    if attempt.state == IN_PROGRESS and _finalize(attempt, SUBMITTED, by, now):
        _score(attempt)
        finalisation.announce(attempt, finalisation.SUBMITTED)
        return attempt
    return _stored_outcome(attempt, by, now)


def _stored_outcome(attempt: Attempt, by: str, now: datetime) -> Attempt:
    """What a submit that did not win gets: the stored result, or why there is none."""
    if attempt.state == ABANDONED:
        _require_live(attempt)
    cutoff = cutoff_of(attempt)
    late = cutoff is not None and now > cutoff
    if attempt.finalized_by == "expiry" and late:
        raise AttemptStateError(
            "time_up",
            f"Time ran out at {_when(attempt.deadline_at)}; the answers saved by then "
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


def _finalize(attempt: Attempt, state: str, by: str, submitted_at) -> bool:
    """The one conditional state change. True for the caller that made it."""
    stmt = (
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == IN_PROGRESS)
        .values(
            state=state,
            row_version=Attempt.row_version + 1,
            submitted_at=submitted_at,
            finalized_by=by,
        )
        .returning(
            Attempt.state,
            Attempt.row_version,
            Attempt.submitted_at,
            Attempt.finalized_by,
        )
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(stmt).first()
    if row is None:  # lost the race: read what the winner committed
        db.session.refresh(attempt)
        return False
    for name, value in row._mapping.items():
        set_committed_value(attempt, name, value)
    return True


def _score(attempt: Attempt) -> None:
    kind = get_kind(attempt.kind)
    responses = responses_for(attempt)
    events = events_for(attempt) if kind.uses_events else []
    elapsed = timing.elapsed_seconds(
        attempt.started_at, attempt.submitted_at, attempt.deadline_at
    )
    try:
        result = kind.score(attempt.snapshot, responses, events, elapsed)
    except Exception:  # a scorer bug must not lose the submission
        log.exception("scoring attempt %s failed", attempt.id)
        attempt.flags = [
            *(attempt.flags or []),
            {"code": "scoring_failed", "message": "Scoring failed; rescore it."},
        ]
        db.session.flush()
        return
    store_result(attempt, result)


def store_result(attempt: Attempt, result: dict[str, Any]) -> None:
    attempt.result = result
    attempt.score = result.get("score")
    attempt.max_score = result.get("max_score")
    attempt.percent = result.get("percent")
    attempt.passed = result.get("passed")
    attempt.band = result.get("band")
    # Keying scorers mark too-short or implausible attempts invalid; quizzes omit it.
    attempt.is_valid = result.get("validity", "valid") == "valid"
    flags = result.get("flags")
    if isinstance(flags, list) and flags:
        attempt.flags = [*(attempt.flags or []), *flags]
    db.session.flush()


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


# --------------------------------------------------------------------------
# Overrides and grades
# --------------------------------------------------------------------------


def grant_override(
    assessment: Assessment,
    learner: User,
    extra_seconds: int = 0,
    extra_attempts: int = 0,
    reason: str = "",
    by: User | None = None,
) -> AttemptOverride:
    """Set a learner's extra time and attempts on an assessment (totals, not
    increments), recorded in the audit trail. A live attempt gets the new deadline."""
    if by is None or not policies.reviews_assessment(by, assessment):
        raise PermissionDeniedError(
            "Only the assessment's trainers can grant overrides."
        )
    for name, value in (
        ("extra_seconds", extra_seconds),
        ("extra_attempts", extra_attempts),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"{name} must be a whole number of 0 or more.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            "Give a reason for the override; it is kept in the audit trail."
        )
    override = _overrides(learner.id, [assessment.id]).get(assessment.id)
    previous = None
    if override is None:
        override = AttemptOverride(assessment_id=assessment.id, user_id=learner.id)
        db.session.add(override)
    else:
        previous = {
            "extra_seconds": override.extra_seconds,
            "extra_attempts": override.extra_attempts,
        }
    override.extra_seconds = extra_seconds
    override.extra_attempts = extra_attempts
    override.reason = reason[:500]
    override.created_by_id = by.id
    db.session.flush()
    live = sync_live_deadline(learner, assessment)
    db.session.add(
        AuditEvent(
            actor_id=by.id,
            action="attempt.override",
            target_type="user",
            target_id=learner.id,
            details={
                "assessment_id": assessment.id,
                "assessment": assessment.slug,
                "extra_seconds": extra_seconds,
                "extra_attempts": extra_attempts,
                "previous": previous,
                "reason": reason[:500],
                "live_attempt_id": live.id if live else None,
                "deadline_at": live.deadline_at.isoformat()
                if live and live.deadline_at
                else None,
            },
        )
    )
    db.session.flush()
    return override


def sync_live_deadline(learner: User, assessment: Assessment) -> Attempt | None:
    """Give the learner's live attempt the deadline their current override implies.

    Call it after changing an AttemptOverride some other way (the trainer pages
    do): extra time granted or withdrawn mid-attempt then applies at once.
    """
    live = live_attempt(learner, assessment)
    if live is None:
        return None
    override = _overrides(learner.id, [assessment.id]).get(assessment.id)
    _apply_extra_time(live, assessment, override.extra_seconds if override else 0)
    db.session.flush()
    return live


def _apply_extra_time(
    attempt: Attempt, assessment: Assessment, extra_seconds: int
) -> None:
    engine = dict(engine_settings(attempt))
    attempt.deadline_at = timing.deadline_for(
        attempt.started_at,
        engine.get("time_limit_seconds"),
        extra_seconds,
        assessment.close_at,
    )
    engine["extra_seconds"] = extra_seconds
    attempt.snapshot = {**attempt.snapshot, "engine": engine}


@dataclass
class Grade:
    method: str
    percent: float
    attempts_counted: int
    attempt_ids: list[int] = field(default_factory=list)


def grading_method(assessment: Assessment) -> str:
    method = (assessment.settings or {}).get("grading_method")
    return method if method in GRADING_METHODS else "highest"


def final_grade(user: User, assessment: Assessment) -> Grade | None:
    """The learner's grade across finalised, scored, valid attempts, by the
    assessment's grading method (highest | latest | average | first)."""
    rows = db.session.execute(
        sa.select(Attempt.id, Attempt.percent)
        .where(
            Attempt.user_id == user.id,
            Attempt.assessment_id == assessment.id,
            Attempt.state == SUBMITTED,
            Attempt.percent.is_not(None),
            Attempt.is_valid.is_(True),
        )
        .order_by(Attempt.number, Attempt.id)
    ).all()
    if not rows:
        return None
    method = grading_method(assessment)
    ids = [r.id for r in rows]
    percents = [r.percent for r in rows]
    if method == "latest":
        return Grade(method, percents[-1], len(rows), [ids[-1]])
    if method == "first":
        return Grade(method, percents[0], len(rows), [ids[0]])
    if method == "average":
        return Grade(method, statistics.fmean(percents), len(rows), ids)
    best = max(range(len(rows)), key=lambda i: percents[i])
    return Grade(method, percents[best], len(rows), [ids[best]])


# --------------------------------------------------------------------------
# Lists for the learner's pages
# --------------------------------------------------------------------------


def catalogue(user: User, page: int, per_page: int):
    """Published assessments, grouped by kind then title, with this learner's numbers."""
    pagination = db.paginate(
        sa.select(Assessment)
        .where(Assessment.is_published.is_(True))
        .options(defer(Assessment.content, raiseload=True))
        .order_by(Assessment.kind, Assessment.title, Assessment.id),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return pagination, availability_for(user, list(pagination.items))


def history(user: User, assessment: Assessment, page: int, per_page: int):
    """This learner's attempts at one assessment, newest first."""
    return db.paginate(
        sa.select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.assessment_id == assessment.id)
        .options(defer(Attempt.snapshot, raiseload=True))
        .order_by(Attempt.number.desc(), Attempt.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


# --------------------------------------------------------------------------
# What a viewer sees of a result (lms.attempts.review owns the rules)
# --------------------------------------------------------------------------


def review_options(attempt: Attempt, viewer: User, now: datetime | None = None):
    return review.review_options(attempt, viewer, now)


def result_for(attempt: Attempt, viewer: User, now: datetime | None = None):
    if attempt.state != SUBMITTED or attempt.result is None:
        return None
    return review.result_for(attempt, viewer, responses_for(attempt), now)
