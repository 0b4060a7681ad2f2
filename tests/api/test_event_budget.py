"""Keystroke events are stored only for kinds that use them, and only up to a budget
in proportion to the test (count and bytes); a save beyond it is refused whole."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from lms.attempts import kinds
from lms.attempts import services as attempt_services
from lms.attempts.models import Attempt, KeystrokeChunk, Response
from lms.auth import tokens
from lms.errors import DomainError
from lms.extensions import db
from tests import factories


def _stored_events(attempt_id: int) -> list:
    chunks = db.session.scalars(
        sa.select(KeystrokeChunk.events).where(KeystrokeChunk.attempt_id == attempt_id)
    )
    return [event for chunk in chunks for event in chunk]


def _keys(count: int, start: int = 0, pad: str = "") -> list[dict]:
    return [
        {"t": 100 + i, "item": "", "field": "", "type": "key", "key": "1" + pad}
        for i in range(start, start + count)
    ]


def test_a_quiz_save_with_events_is_refused_and_stores_nothing(app_ctx, clock):
    quiz = factories.quiz(2)
    attempt = attempt_services.start_attempt(factories.user(), quiz).attempt
    db.session.commit()
    qid = attempt.snapshot["questions"][0]["id"]

    with pytest.raises(DomainError) as refused:
        attempt_services.save_responses(attempt, 1, {qid: "x"}, _keys(3))

    assert refused.value.status == 400
    db.session.rollback()
    assert _stored_events(attempt.id) == []
    assert db.session.scalars(sa.select(Response.id)).all() == []


def test_quizzes_have_no_event_budget_and_keying_tests_one_in_proportion():
    quiz_kind, entry_kind = kinds.get("quiz"), kinds.get("ten_key")
    short = {"kind": "ten_key", "entries": [{"id": "e1", "value": "12.50"}]}
    long = {
        "kind": "ten_key",
        "entries": [{"id": f"e{i}", "value": "1234567.89"} for i in range(2000)],
    }

    assert quiz_kind.event_budget({"questions": []}) is None
    small, large = entry_kind.event_budget(short), entry_kind.event_budget(long)
    assert small.events >= 1000  # the floor
    assert large.events > small.events
    assert large.events >= 2 * 2000 * len("1234567.89")  # a key and an input each
    assert large.bytes > small.bytes


def test_events_beyond_the_count_budget_are_413_and_not_stored(app_ctx, clock):
    test = factories.bundled_keying_test("ten-key-amounts")
    attempt = attempt_services.start_attempt(factories.user(), test).attempt
    budget = kinds.get(attempt.kind).event_budget(attempt.snapshot)
    clock.advance(seconds=30)
    half = budget.events // 2

    attempt_services.save_responses(attempt, 1, {}, _keys(half))
    attempt_services.save_responses(attempt, 2, {}, _keys(half, start=half))
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        attempt_services.save_responses(attempt, 3, {}, _keys(half, start=2 * half))

    assert refused.value.status == 413
    db.session.rollback()
    assert len(_stored_events(attempt.id)) == 2 * half <= budget.events


def test_events_beyond_the_byte_budget_are_413_and_not_stored(app_ctx, clock):
    test = factories.bundled_keying_test("ten-key-amounts")
    attempt = attempt_services.start_attempt(factories.user(), test).attempt
    budget = kinds.get(attempt.kind).event_budget(attempt.snapshot)
    clock.advance(seconds=30)
    fat = _keys(20, pad="x" * (budget.bytes // 50))  # 20 events, ~40 % of the bytes

    attempt_services.save_responses(attempt, 1, {}, fat)
    attempt_services.save_responses(attempt, 2, {}, fat)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        attempt_services.save_responses(attempt, 3, {}, fat)

    assert refused.value.status == 413
    db.session.rollback()
    stored = _stored_events(attempt.id)
    assert len(stored) == 40
    assert len(json.dumps(stored)) <= budget.bytes


def test_the_api_answers_413_json_beyond_the_budget(app, clock):
    """Up to 30 saves of 1,000 events against a 40-entry 10-key test."""
    with app.app_context():
        learner = factories.user()
        token = tokens.create_token(learner, "script")[1]
        test = factories.bundled_keying_test("ten-key-amounts")
        attempt_id = attempt_services.start_attempt(learner, test).attempt.id
        db.session.commit()
    clock.advance(seconds=30)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/attempts/{attempt_id}/responses"
    statuses = []
    for seq in range(1, 31):
        body = {"seq": seq, "responses": {}, "events": _keys(1000)}
        response = client.put(url, json=body, headers=headers)
        statuses.append(response.status_code)
        if response.status_code != 200:
            break
    with app.app_context():
        stored = len(_stored_events(attempt_id))

    assert statuses[-1] == 413, f"{stored} events stored"
    assert set(statuses[:-1]) == {200}
    assert response.get_json()["error"] == "too_many_events"
    with app.app_context():
        budget = kinds.get("ten_key").event_budget(
            db.session.get(Attempt, attempt_id).snapshot
        )
    assert stored <= budget.events
