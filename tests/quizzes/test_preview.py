"""Previewing a quiz as a learner sees it: the questions of a numbered,
deterministic draw under a "nothing is saved" banner, checking answers for the
result a learner would get, and that nothing is ever stored; who may preview."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.quizzes import preview
from lms.quizzes.kind import QUIZ
from lms.users.models import Role
from tests import factories
from tests.quizzes.preview_rows import stored_rows


@pytest.fixture
def trainer(app_ctx):
    t = factories.user(Role.TRAINER, name="Tara Trainer")
    db.session.commit()
    return t


@pytest.fixture
def bank_quiz(trainer):
    """A browser quiz: two fixed questions and a draw of two from a pool of six."""
    fixed = [
        factories.bank_question("single", owner=trainer, category="Fixed"),
        factories.bank_question("short", owner=trainer, category="Fixed"),
    ]
    for _ in range(6):
        factories.bank_question("truefalse", category="Pool")
    quiz = factories.bank_quiz(
        trainer,
        [
            {"question_id": fixed[0].id},
            {"question_id": fixed[1].id},
            {"draw": {"count": 2, "category": "Pool", "tag": None}},
        ],
        title="Invoice matching",
        settings={"shuffle_questions": True},
    )
    db.session.commit()
    return quiz


@pytest.fixture
def file_quiz(app_ctx):
    quiz = factories.quiz(
        [factories.question("single", qid="s1"), factories.question("short", qid="t1")],
        origin="file",
        title="Bundled basics",
        settings={"shuffle_choices": False, "questions_per_page": 1},
    )
    db.session.commit()
    return quiz


def _url(quiz) -> str:
    return f"/manage/quizzes/{quiz.id}/preview"


def _shown_ids(page: str) -> list[str]:
    return re.findall(r'data-item-id="([^"]+)"', page)


# --- the draw --------------------------------------------------------------------------


def test_the_same_draw_number_gives_the_same_questions(bank_quiz):
    first = preview.preview_snapshot(bank_quiz, 3)
    again = preview.preview_snapshot(bank_quiz, 3)

    assert [q["id"] for q in first["questions"]] == [
        q["id"] for q in again["questions"]
    ]
    assert first["kind"] == QUIZ and len(first["questions"]) == 4


def test_other_draw_numbers_draw_other_questions_or_orders(bank_quiz):
    orders = {
        tuple(q["id"] for q in preview.preview_snapshot(bank_quiz, n)["questions"])
        for n in range(1, 9)
    }

    assert len(orders) > 1


def test_checking_answers_grades_in_memory(file_quiz):
    snapshot = preview.preview_snapshot(file_quiz, 1)
    questions = {q["id"]: q for q in snapshot["questions"]}
    answers = {
        "s1": factories.quiz_response(questions["s1"], right=True),
        "t1": "not it",
    }

    result = preview.check_answers(snapshot, answers)

    assert result["score"] == 1 and result["max_score"] == 2
    assert "flags" not in result
    by_id = {item["id"]: item for item in result["items"]}
    assert by_id["s1"]["correct"] is True and by_id["t1"]["correct"] is False
    assert by_id["t1"]["right_answer"]  # the trainer sees the key


def test_an_answer_of_the_wrong_shape_counts_as_unanswered(file_quiz):
    snapshot = preview.preview_snapshot(file_quiz, 1)

    result = preview.check_answers(snapshot, {"s1": ["not", "a", "choice"]})

    assert result["score"] == 0


# --- the page --------------------------------------------------------------------------


def test_the_preview_shows_the_learners_questions_under_a_banner(
    login, trainer, bank_quiz
):
    response = login(trainer).get(_url(bank_quiz))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview — nothing is saved." in page
    assert len(_shown_ids(page)) == 4
    assert f'action="/manage/quizzes/{bank_quiz.id}/preview"' in page
    assert "/api/v1/" not in page and "attempt-client.js" not in page
    assert "Yes " not in page  # choice feedback is part of the key: not before checking
    assert "Another draw" in page and "?draw=2" in page


def test_the_same_draw_shows_the_same_page_and_another_draw_may_differ(
    login, trainer, bank_quiz
):
    client = login(trainer)

    first = _shown_ids(client.get(_url(bank_quiz)).get_data(as_text=True))
    again = _shown_ids(client.get(_url(bank_quiz) + "?draw=1").get_data(as_text=True))
    others = {
        tuple(
            _shown_ids(
                client.get(_url(bank_quiz) + f"?draw={n}").get_data(as_text=True)
            )
        )
        for n in range(2, 9)
    }

    assert first == again
    assert others - {tuple(first)}


@pytest.mark.parametrize("draw", ["0", "-4", "x", "99999999999999999999999"])
def test_nonsense_draw_numbers_fall_back_to_the_first_draw(
    login, trainer, bank_quiz, draw
):
    client = login(trainer)

    response = client.get(_url(bank_quiz) + f"?draw={draw}")

    assert response.status_code == 200
    assert _shown_ids(response.get_data(as_text=True)) == _shown_ids(
        client.get(_url(bank_quiz)).get_data(as_text=True)
    )


def test_checking_shows_the_result_and_keeps_the_answers(login, trainer, file_quiz):
    snapshot = preview.preview_snapshot(file_quiz, 1)
    right = factories.quiz_response(
        next(q for q in snapshot["questions"] if q["id"] == "s1"), right=True
    )

    response = login(trainer).post(
        _url(file_quiz), data={"draw": "1", "q-s1": right, "q-t1": "not it"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What this learner would get" in page
    assert "50 %" in page and "Not passed" not in page  # the pass mark is 50 %
    assert "Correct answer:" in page  # the short answer's key, for the trainer
    assert 'value="not it"' in page  # the typed answer stays in the form
    assert re.search(rf'value="{right}"\s+checked', page)
    assert "Preview — nothing is saved." in page


def test_nothing_is_stored_by_viewing_or_checking(login, trainer, bank_quiz):
    client = login(trainer)
    before = stored_rows()

    client.get(_url(bank_quiz))
    client.get(_url(bank_quiz) + "?draw=5")
    client.post(_url(bank_quiz), data={"draw": "5"})

    assert stored_rows() == before
    assert all(count == 0 for count in before.values())


def test_a_draw_the_bank_cannot_meet_says_so(login, trainer):
    quiz = factories.bank_quiz(
        trainer, [{"draw": {"count": 3, "category": "Nowhere", "tag": None}}]
    )
    db.session.commit()

    response = login(trainer).get(_url(quiz))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Learners could not start this quiz now" in page
    assert 'id="preview-form"' not in page


def test_an_empty_quiz_says_it_has_no_questions(login, trainer):
    quiz = factories.bank_quiz(trainer)
    db.session.commit()

    page = login(trainer).get(_url(quiz)).get_data(as_text=True)

    assert "The quiz has no questions yet" in page


def test_the_quiz_page_has_a_preview_button(login, trainer, bank_quiz, file_quiz):
    client = login(trainer)

    for quiz in (bank_quiz, file_quiz):
        page = client.get(f"/manage/quizzes/{quiz.id}").get_data(as_text=True)
        assert f'href="{_url(quiz)}"' in page


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "quiz_name", "expected"),
    [
        ("learner", "bank_quiz", 403),
        ("learner", "file_quiz", 403),
        ("manager", "file_quiz", 403),
        ("other_trainer", "bank_quiz", 403),
        ("other_trainer", "file_quiz", 200),
        ("owner", "bank_quiz", 200),
        ("admin", "bank_quiz", 200),
        ("admin", "file_quiz", 200),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_role_route_matrix(request, login, trainer, role, quiz_name, expected, method):
    quiz = request.getfixturevalue(quiz_name)
    users = {
        "learner": lambda: factories.user(Role.LEARNER),
        "manager": lambda: factories.user(Role.MANAGER),
        "other_trainer": lambda: factories.user(Role.TRAINER),
        "admin": lambda: factories.user(Role.ADMIN),
        "owner": lambda: trainer,
    }
    user = users[role]()
    db.session.commit()
    before = stored_rows()

    response = login(user).open(_url(quiz), method=method, data={"draw": "1"})

    assert response.status_code == expected
    assert stored_rows() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, bank_quiz):
    response = client.get(_url(bank_quiz))

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_keying_test_or_missing_quiz_is_404(login, trainer):
    keying = factories.record_entry_test(origin="file")
    db.session.commit()
    client = login(trainer)

    assert client.get(f"/manage/quizzes/{keying.id}/preview").status_code == 404
    assert client.get("/manage/quizzes/999999/preview").status_code == 404


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_preview_runs_a_bounded_number_of_queries(
    login, trainer, count_queries, method
):
    def queries(size: int) -> int:
        questions = [factories.bank_question(owner=trainer) for _ in range(size)]
        for _ in range(size):
            factories.bank_question(category=f"Pool {size}")
        draw = {"count": 2, "category": f"Pool {size}", "tag": None}
        quiz = factories.bank_quiz(
            trainer, [{"question_id": q.id} for q in questions] + [{"draw": draw}]
        )
        db.session.commit()
        client = login(trainer)
        client.open(_url(quiz), method=method, data={"draw": "1"})
        with count_queries() as counter:
            response = client.open(_url(quiz), method=method, data={"draw": "1"})
        assert response.status_code == 200
        assert 'id="preview-form"' in response.get_data(as_text=True)
        return counter.count

    small = queries(3)
    large = queries(30)

    assert large == small
    assert small <= 10
