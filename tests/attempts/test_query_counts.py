"""SQL statements per request stay fixed as the quiz, the question count and the
learner's attempt history grow (counted, never timed)."""

from __future__ import annotations

import pytest

from lms.attempts import services
from lms.extensions import db
from tests import factories
from tests.attempts.helpers import right_answers, wrong_answers

SMALL = {"questions": 3, "history": 0, "others": 0, "assessments": 1}
LARGE = {"questions": 60, "history": 12, "others": 8, "assessments": 40}
# Pages load the signed-in person (with the navigation's unread count); the API
# its token's owner. The take page reads the person, the attempt and its saved
# answers in one statement; a submit reads the attempt with its answers once,
# for its score and its review.
BUDGET = {"take": 1, "save": 4, "submit": 4, "catalogue": 5, "history": 5, "get": 3}


def _setup(app, login, size):
    with app.app_context():
        learner = factories.user()
        quiz = factories.quiz(size["questions"], settings={"questions_per_page": 10})
        for _ in range(size["assessments"] - 1):
            factories.quiz(2)
        for _ in range(size["history"]):
            old = services.start_attempt(learner, quiz).attempt
            services.save_responses(old, 1, wrong_answers(old))
            services.submit_attempt(old)
        for _ in range(size["others"]):
            services.start_attempt(factories.user(), quiz)
        attempt = services.start_attempt(learner, quiz).attempt
        answers = right_answers(attempt)
        services.save_responses(attempt, 1, dict(list(answers.items())[:2]))
        db.session.commit()
        return login(learner), attempt.id, answers, quiz.slug


def _count(count_queries, call):
    with count_queries() as counter:
        response = call()
    assert response.status_code in (200, 201), response.data
    return counter.count


def _measure(app, login, count_queries, size):
    client, attempt_id, answers, slug = _setup(app, login, size)
    counts = {
        "take": _count(count_queries, lambda: client.get(f"/attempts/{attempt_id}")),
        "catalogue": _count(count_queries, lambda: client.get("/assessments")),
        "history": _count(
            count_queries, lambda: client.get(f"/assessments/{slug}/attempts")
        ),
        "get": _count(
            count_queries, lambda: client.get(f"/api/v1/attempts/{attempt_id}")
        ),
        "save": _count(
            count_queries,
            lambda: client.put(
                f"/api/v1/attempts/{attempt_id}/responses",
                json={"seq": 7, "responses": answers},
            ),
        ),
        "submit": _count(
            count_queries, lambda: client.post(f"/api/v1/attempts/{attempt_id}/submit")
        ),
    }
    return counts


@pytest.fixture
def small(app, login, count_queries):
    return _measure(app, login, count_queries, SMALL)


def test_statement_counts_do_not_grow_with_data(app, login, count_queries, small):
    large = _measure(app, login, count_queries, LARGE)

    assert large == small
    for page, count in small.items():
        assert count <= BUDGET[page], (page, count)
