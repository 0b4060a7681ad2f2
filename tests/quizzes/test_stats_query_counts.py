"""The bank list, the attempts list and the statistics page run the same number of
queries whatever the amount of data (no query per row or per attempt)."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories


def _build(size: int):
    trainer = factories.user(Role.TRAINER)
    other = factories.user(Role.TRAINER)
    for i in range(size):
        factories.bank_question(
            ("single", "short", "numeric")[i % 3],
            owner=trainer if i % 2 else other,
            category=f"Cat {i % 4}",
            tags=[f"t{i % 3}", "all"],
        )
    quiz = factories.assessment(
        content={
            "questions": [factories.question("single", qid=f"q{i}") for i in range(4)]
        },
        owner=trainer,
    )
    for i in range(size):
        learner = factories.user()
        factories.quiz_attempt(
            learner, quiz, {"q0": i % 2 == 0, "q1": i % 3 == 0}, seed=i
        )
    live = factories.quiz_attempt(factories.user(), quiz, state="in_progress")
    live.flags = [{"type": "paste_blocked"}]
    db.session.commit()
    return trainer, quiz


def _queries(app, login, count_queries, size: int, path: str) -> int:
    with app.app_context():
        trainer, quiz = _build(size)
        client = login(trainer)
        url = path.format(quiz=quiz.id)
    assert client.get(url).status_code == 200  # warm-up: caches, first-use lookups
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


PAGES = [
    "/bank",
    "/bank?tag=all&category=Cat 1&q=question",
    "/manage/quizzes/{quiz}/attempts",
    "/manage/quizzes/{quiz}/statistics",
    "/manage/quizzes/{quiz}/attempts/1",
]


@pytest.mark.parametrize("path", PAGES)
def test_query_count_does_not_grow_with_the_data(app, login, count_queries, path):
    small = _queries(app, login, count_queries, 3, path)
    factories_reset(app)
    large = _queries(app, login, count_queries, 24, path)

    assert small == large
    assert small <= 10


def factories_reset(app) -> None:
    """Empty the tables between the two sizes (ids restart, so paths stay valid)."""
    from tests.conftest import _empty_all_tables

    _empty_all_tables(app)
