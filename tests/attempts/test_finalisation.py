"""The "attempt finalised" announcement: once per finalisation, with its
reason, inside the transaction that finalises (a listener's failure undoes it)."""

from __future__ import annotations

import pytest

from lms.attempts import finalisation, services
from lms.attempts.models import ABANDONED, SUBMITTED, Attempt
from lms.extensions import db
from tests import factories
from tests.attempts.helpers import right_answers

LIMIT = 600


@pytest.fixture
def heard(app_ctx):
    calls: list[tuple[int, str, str]] = []

    def listener(attempt, reason):
        calls.append((attempt.id, reason, attempt.state))

    finalisation.on_finalised(listener)
    yield calls
    finalisation.remove_listener(listener)


def _start(**quiz_overrides):
    quiz = factories.quiz(4, time_limit_seconds=LIMIT, **quiz_overrides)
    return services.start_attempt(factories.user(), quiz).attempt


def test_a_submit_is_announced_once_with_the_score_stored(heard, clock):
    attempt = _start()
    services.save_responses(attempt, 1, right_answers(attempt))
    services.submit_attempt(attempt)
    services.submit_attempt(attempt)  # a repeat gets the stored result, silently

    assert heard == [(attempt.id, finalisation.SUBMITTED, SUBMITTED)]
    assert attempt.percent == 100


def test_an_expiry_is_announced_for_autosubmit_and_abandon(heard, clock):
    submitted = _start()
    abandoned = _start(on_expiry="abandon")
    clock.advance(seconds=LIMIT + 3600)

    services.expire_overdue()
    services.expire_overdue()

    assert sorted(heard) == sorted(
        [
            (submitted.id, finalisation.EXPIRED, SUBMITTED),
            (abandoned.id, finalisation.EXPIRED, ABANDONED),
        ]
    )


def test_a_listener_that_fails_undoes_the_submit(app_ctx, clock):
    attempt = _start()
    db.session.commit()

    def broken(attempt, reason):
        raise RuntimeError("evidence could not be recorded")

    finalisation.on_finalised(broken)
    try:
        with pytest.raises(RuntimeError):
            services.submit_attempt(attempt)
    finally:
        finalisation.remove_listener(broken)
    db.session.rollback()

    assert db.session.get(Attempt, attempt.id).state == "in_progress"


def test_registering_twice_announces_once(heard, clock):
    listener_calls = []

    def listener(attempt, reason):
        listener_calls.append(reason)

    finalisation.on_finalised(listener)
    finalisation.on_finalised(listener)
    try:
        services.submit_attempt(_start())
    finally:
        finalisation.remove_listener(listener)
    assert listener_calls == [finalisation.SUBMITTED]
