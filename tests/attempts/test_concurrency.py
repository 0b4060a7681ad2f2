"""Races on one attempt, through the real HTTP stack in threads.

The test database is a file (SQLite in WAL mode, or PostgreSQL with
LMS_TEST_DB=postgresql), every thread has its own client and app context, and
the data the threads race on is committed first. Whatever the interleaving:
exactly one finalisation and one stored score, no 500, and the result is
computed from exactly the answers that were acknowledged. (Racing submits may
each compute a score before their write; only the winner's is stored.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.attempts import finalisation, kinds, services
from lms.attempts.models import Attempt, Response
from lms.extensions import db
from tests import factories
from tests.attempts.helpers import right_answers

THREAD_TIMEOUT = 60


def race(n: int, work: Callable[[int], object]) -> list:
    """Run work(0..n-1) in n threads released together; re-raise any exception."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=THREAD_TIMEOUT)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def score_calls(monkeypatch):
    calls = []
    kind = services.get_kind("quiz")

    def counting(*args):
        calls.append(args)
        return kind.score(*args)

    counted = type("CountingQuiz", (type(kind),), {})()
    counted.score = counting
    monkeypatch.setitem(kinds._KINDS, "quiz", counted)
    return calls


@pytest.fixture
def announced():
    """Each "attempt finalised" announcement: one per stored result."""
    seen = []

    def listener(attempt, reason):
        seen.append((attempt.id, reason, attempt.percent))

    finalisation.on_finalised(listener)
    yield seen
    finalisation.remove_listener(listener)


def _live_attempt(app, login, clients: int, **quiz_kwargs):
    """A committed live attempt and `clients` test clients signed in as its learner."""
    with app.app_context():
        learner = factories.user()
        quiz = factories.quiz(6, **quiz_kwargs)
        attempt = services.start_attempt(learner, quiz).attempt
        answers = right_answers(attempt)
        db.session.commit()
        return [login(learner) for _ in range(clients)], attempt.id, answers


def _attempt_row(app, attempt_id):
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        stored = dict(
            db.session.execute(
                sa.select(Response.item_id, Response.value).where(
                    Response.attempt_id == attempt_id
                )
            ).all()
        )
        return attempt, stored


@pytest.mark.parametrize("threads", [2, 10])
def test_concurrent_submits_finalise_once(app, login, announced, threads):
    clients, attempt_id, answers = _live_attempt(app, login, threads)
    clients[0].put(
        f"/api/v1/attempts/{attempt_id}/responses",
        json={"seq": 1, "responses": answers},
    )

    responses = race(
        threads, lambda i: clients[i].post(f"/api/v1/attempts/{attempt_id}/submit")
    )

    assert [r.status_code for r in responses] == [200] * threads
    bodies = [r.get_json() for r in responses]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["result"]["percent"] == 100
    assert announced == [(attempt_id, "submitted", 100)]
    attempt, _ = _attempt_row(app, attempt_id)
    assert attempt.state == "submitted"
    assert attempt.row_version == 3  # + the save + the one submit that won


@pytest.mark.parametrize("round_", range(8))
def test_a_save_racing_a_submit_is_either_in_the_score_or_refused(app, login, round_):
    (saver, submitter), attempt_id, answers = _live_attempt(app, login, 2)
    qid = next(iter(answers))

    def work(i):
        if i == 0:
            return saver.put(
                f"/api/v1/attempts/{attempt_id}/responses",
                json={"seq": 5, "responses": {qid: answers[qid]}},
            )
        return submitter.post(f"/api/v1/attempts/{attempt_id}/submit")

    saved, submitted = race(2, work)

    assert submitted.status_code == 200
    assert saved.status_code in (200, 409)
    attempt, stored = _attempt_row(app, attempt_id)
    item = attempt.result["items"][qid]
    if saved.status_code == 200:
        assert stored == {qid: answers[qid]} and item["correct"] is True
    else:
        assert saved.get_json()["error"] == "attempt_submitted"
        assert stored == {} and item["correct"] is False


def test_concurrent_starts_create_one_attempt(app, login):
    with app.app_context():
        learner = factories.user()
        slug = factories.quiz(4).slug
        db.session.commit()
        clients = [login(learner) for _ in range(6)]

    responses = race(
        6, lambda i: clients[i].post(f"/api/v1/assessments/{slug}/attempts")
    )

    assert sorted(r.status_code for r in responses) == [200] * 5 + [201]
    assert len({r.get_json()["id"] for r in responses}) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1


def test_the_expiry_sweep_racing_a_late_submit_scores_once(
    app, login, clock, score_calls
):
    (client,), attempt_id, answers = _live_attempt(app, login, 1, time_limit_seconds=60)
    client.put(
        f"/api/v1/attempts/{attempt_id}/responses",
        json={"seq": 1, "responses": answers},
    )
    clock.advance(seconds=60 + 31)

    def work(i):
        if i == 0:
            return client.post(f"/api/v1/attempts/{attempt_id}/submit")
        with app.app_context():
            report = services.expire_overdue()
            db.session.commit()
            return report

    submitted, _report = race(2, work)

    assert submitted.status_code == 409
    assert submitted.get_json()["error"] == "time_up"
    assert len(score_calls) == 1
    attempt, _ = _attempt_row(app, attempt_id)
    assert (attempt.state, attempt.finalized_by, attempt.percent) == (
        "submitted",
        "expiry",
        100,
    )
    assert attempt.submitted_at == attempt.started_at + timedelta(seconds=60)


def _in_context(app, work):
    """work() inside its own app context and transaction, committed."""
    with app.app_context():
        result = work()
        db.session.commit()
        return result


def test_service_level_submits_race_in_the_database(app, login, announced):
    """Without the API's per-process turn: the conditional update alone decides."""
    _, attempt_id, answers = _live_attempt(app, login, 0)

    def work(i):
        def submit():
            attempt = services.get_attempt(attempt_id)
            if i == 0:
                services.save_responses(attempt, 3, answers)
                return "saved"
            return services.submit_attempt(attempt).state

        try:
            return _in_context(app, submit)
        except services.AttemptStateError as exc:
            return exc.code

    outcomes = race(4, work)

    assert outcomes.count("submitted") == 3
    assert outcomes[0] in ("saved", "attempt_submitted")
    expected = 100 if outcomes[0] == "saved" else 0
    assert announced == [(attempt_id, "submitted", expected)]
    attempt, stored = _attempt_row(app, attempt_id)
    assert attempt.state == "submitted"
    assert attempt.percent == expected and bool(stored) == (outcomes[0] == "saved")


def test_token_clients_racing_with_a_token_write_do_not_deadlock(app, clock):
    """A Bearer call may write the token's last_used_at before its own write; the
    API takes its writer turn before touching the database, so nothing waits in
    a circle."""
    from lms.auth import tokens

    with app.app_context():
        learners = [factories.user() for _ in range(6)]
        slug = factories.quiz(3).slug
        raws = [tokens.create_token(u, "t")[1] for u in learners]
        db.session.commit()
    clock.advance(minutes=5)  # every token's last_used_at is due for a write
    clients = [app.test_client() for _ in raws]

    responses = race(
        6,
        lambda i: clients[i].post(
            f"/api/v1/assessments/{slug}/attempts",
            headers={"Authorization": f"Bearer {raws[i]}"},
        ),
    )

    assert [r.status_code for r in responses] == [201] * 6
