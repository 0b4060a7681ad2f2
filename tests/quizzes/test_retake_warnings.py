"""The retake-after-review warning in the builder: a visible alert on the quiz
page and its settings page when a learner could copy one attempt's review into
the next, never a reason to refuse a save. The pool a browser-built quiz draws
from is its fixed questions plus every question its random draws may pick."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.quizzes import builder
from lms.users.models import Role
from tests import factories

ANSWERS_SHOWN = {"show_correct_answers": True, "show_feedback": False}
ANSWERS_LATE = {"show_correct_answers": "after_last_attempt", "show_feedback": False}


@pytest.fixture
def trainer(app_ctx):
    t = factories.user(Role.TRAINER)
    db.session.commit()
    return t


def _fixed(n: int, category: str = "Fixed") -> list[dict]:
    return [
        {"question_id": factories.bank_question(category=category).id} for _ in range(n)
    ]


def _draw(count: int, category: str) -> dict:
    return {"draw": {"count": count, "category": category, "tag": None}}


def _bank(n: int, category: str) -> None:
    for _ in range(n):
        factories.bank_question(category=category)


def test_the_pool_is_the_fixed_questions_and_what_the_draws_can_pick(trainer):
    _bank(6, "Invoices")
    _bank(3, "Invoices/GST")
    _bank(4, "Payroll")
    quiz = factories.bank_quiz(
        trainer, _fixed(2) + [_draw(2, "Invoices"), _draw(1, "Invoices/GST")]
    )

    assert builder.quiz_size(quiz) == 5
    # The two draws overlap (GST is inside Invoices): each question counts once.
    assert builder.pool_size(quiz) == 2 + 9


def test_the_same_questions_every_attempt_with_answers_shown_is_warned(trainer):
    quiz = factories.bank_quiz(
        trainer, _fixed(5), settings=ANSWERS_SHOWN, attempts_allowed=3
    )

    (warning,) = builder.retake_warnings(quiz)

    assert "3 attempts" in warning and "the same questions" in warning


@pytest.mark.parametrize(
    ("slots", "attempts", "settings"),
    [
        ("fixed", 1, ANSWERS_SHOWN),  # one attempt: nothing to copy into
        ("fixed", 3, ANSWERS_LATE),  # the key waits for the last attempt
        ("fixed", 3, {**ANSWERS_SHOWN, "review": "never"}),
        ("drawn", 3, ANSWERS_SHOWN),  # 4 drawn from 10: different each time
    ],
)
def test_no_warning_when_a_retake_cannot_be_copied(trainer, slots, attempts, settings):
    _bank(10, "Invoices")
    quiz = factories.bank_quiz(
        trainer,
        _fixed(4) if slots == "fixed" else [_draw(4, "Invoices")],
        settings=settings,
        attempts_allowed=attempts,
    )

    assert builder.retake_warnings(quiz) == []


def test_the_quiz_page_and_the_settings_page_show_the_warning(login, trainer):
    risky = factories.bank_quiz(
        trainer, _fixed(3), settings=ANSWERS_SHOWN, attempts_allowed=0
    )
    safe = factories.bank_quiz(
        trainer, _fixed(3), settings=ANSWERS_LATE, attempts_allowed=0
    )
    db.session.commit()
    client = login(trainer)

    for url in ("/manage/quizzes/{}", "/manage/quizzes/{}/settings"):
        risky_page = client.get(url.format(risky.id)).get_data(as_text=True)
        safe_page = client.get(url.format(safe.id)).get_data(as_text=True)

        assert 'id="retake-warnings"' in risky_page
        assert "unlimited attempts" in risky_page
        assert "copy one attempt" in risky_page
        assert 'id="retake-warnings"' not in safe_page


def test_the_warning_never_blocks_saving_and_follows_the_saved_settings(login, trainer):
    quiz = factories.bank_quiz(trainer, _fixed(3), settings=ANSWERS_LATE)
    db.session.commit()
    client = login(trainer)
    form = {
        "title": quiz.title,
        "attempts_allowed": "2",
        "delay_minutes": "0",
        "grace_minutes": "10",
        "on_expiry": "autosubmit",
        "grading_method": "highest",
        "pass_percent": "80",
        "questions_per_page": "5",
        "review": "immediately",
        "show_correct_answers": "true",
        "show_feedback": "false",
    }

    saved = client.post(f"/manage/quizzes/{quiz.id}/settings", data=form)
    page = client.get(saved.headers["Location"]).get_data(as_text=True)

    assert saved.status_code == 302
    db.session.refresh(quiz)
    assert quiz.attempts_allowed == 2
    assert quiz.settings["show_correct_answers"] is True
    assert 'id="retake-warnings"' in page and "2 attempts" in page
