"""Attempt time rules as pure functions: deadlines, the grace window, what is allowed.

No Flask and no database; every function takes the server's `now` explicitly.
Nothing here ever reads a time sent by the browser.

Phases of a live attempt with a deadline:

* ``open``  — now ≤ deadline: answers and submit are accepted.
* ``grace`` — deadline < now ≤ deadline + grace: submit is accepted; answers
  are accepted too, except under the ``grace`` expiry policy (Moodle's
  "grace period: submit only, no more answers").
* ``over``  — now > deadline + grace: nothing from the learner is accepted;
  the attempt is expired by its policy (autosubmit / grace → submitted from
  what was saved, abandon → abandoned).

An attempt without a deadline (untimed, no close date) is always ``open``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

OPEN = "open"
GRACE = "grace"
OVER = "over"

AUTOSUBMIT = "autosubmit"
GRACE_POLICY = "grace"
ABANDON = "abandon"


def deadline_for(
    started_at: datetime,
    limit_seconds: int | None,
    extra_seconds: int,
    close_at: datetime | None,
) -> datetime | None:
    """min(started + limit + extra, close time); None when neither applies."""
    candidates = []
    if limit_seconds:
        candidates.append(
            started_at + timedelta(seconds=limit_seconds + max(extra_seconds, 0))
        )
    if close_at is not None:
        candidates.append(close_at)
    return min(candidates) if candidates else None


def cutoff(deadline_at: datetime | None, grace_seconds: int) -> datetime | None:
    """The last instant anything from the learner is accepted."""
    if deadline_at is None:
        return None
    return deadline_at + timedelta(seconds=max(grace_seconds, 0))


def phase(deadline_at: datetime | None, grace_seconds: int, now: datetime) -> str:
    if deadline_at is None or now <= deadline_at:
        return OPEN
    if now <= cutoff(deadline_at, grace_seconds):
        return GRACE
    return OVER


def can_save(phase_name: str, on_expiry: str) -> bool:
    if phase_name == OPEN:
        return True
    return phase_name == GRACE and on_expiry != GRACE_POLICY


def can_submit(phase_name: str) -> bool:
    return phase_name in (OPEN, GRACE)


def remaining_ms(deadline_at: datetime | None, now: datetime) -> int | None:
    """Milliseconds until the deadline (never negative); None when untimed."""
    if deadline_at is None:
        return None
    return max(0, int((deadline_at - now).total_seconds() * 1000))


def elapsed_seconds(
    started_at: datetime, finished_at: datetime | None, deadline_at: datetime | None
) -> float:
    """Working time the scorer sees: from start to min(finish, deadline)."""
    end = finished_at or deadline_at or started_at
    if deadline_at is not None and end > deadline_at:
        end = deadline_at
    return max(0.0, (end - started_at).total_seconds())


_EXPIRY_TEXT = {
    AUTOSUBMIT: "When time runs out, the answers you have saved are submitted "
    "automatically.",
    GRACE_POLICY: "When time runs out, answers are locked and you have a short "
    "grace period to submit; an attempt not submitted by then is submitted as saved.",
    ABANDON: "You must submit before time runs out: an attempt that is not "
    "submitted in time does not count.",
}


def expiry_text(policy: str | None) -> str:
    """The expiry policy explained to a learner before and during an attempt."""
    return _EXPIRY_TEXT.get(policy or AUTOSUBMIT, _EXPIRY_TEXT[AUTOSUBMIT])
