"""Quiz settings (lms.quizzes.settings) as learners and trainers meet them:
every question on one page, the 80 % default pass mark wherever a pass mark is
chosen or applied, and correct answers that wait for the last attempt."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest

from lms.attempts import services as attempt_services
from lms.config import PROJECT_ROOT
from lms.extensions import db
from lms.quizzes import builder
from lms.quizzes import kind as quiz_kind
from lms.quizzes.builder import QuizFields
from lms.quizzes.settings import DEFAULT_PASS_PERCENT, SPECS, QuizSettings
from lms.users.models import Role
from tests import factories

# --- questions_per_page = 0: every question on one page ---------------------------------


def _quiz_of(n: int, **settings):
    questions = [factories.question("truefalse") for _ in range(n)]
    return factories.assessment(content={"questions": questions}, settings=settings)


def test_zero_per_page_puts_every_question_of_the_snapshot_on_page_one(app_ctx):
    quiz = _quiz_of(12, questions_per_page=0)

    snapshot = quiz_kind.build_snapshot(quiz, random.Random(3))

    assert QuizSettings(questions_per_page=0).page_size(12) == 12
    assert snapshot["settings"]["questions_per_page"] == 12
    assert {item["page"] for item in snapshot["items"]} == {1}
    assert len(snapshot["items"]) == 12


def test_the_default_page_size_still_pages(app_ctx):
    snapshot = quiz_kind.build_snapshot(_quiz_of(12), random.Random(3))

    assert [item["page"] for item in snapshot["items"]].count(1) == 5
    assert max(item["page"] for item in snapshot["items"]) == 3


def test_zero_per_page_takes_as_one_page_without_a_pager(app_ctx, login):
    learner = factories.user()
    quiz = _quiz_of(12, questions_per_page=0)
    attempt = attempt_services.start_attempt(learner, quiz).attempt
    db.session.commit()

    page = login(learner).get(f"/attempts/{attempt.id}").get_data(as_text=True)

    assert 'data-pages="1"' in page
    assert page.count('class="attempt-page"') == 1
    assert page.count('fieldset class="question') == 12
    assert "attempt-pager" not in page and "Next page" not in page


# --- the default pass mark: 80 % ------------------------------------------------------------


def test_the_builder_defaults_to_80(app_ctx, login):
    trainer = factories.user(Role.TRAINER)
    db.session.commit()

    form = login(trainer).get("/manage/quizzes/new").get_data(as_text=True)
    quiz = builder.create_quiz(trainer, QuizFields(title="Defaults"))

    assert DEFAULT_PASS_PERCENT == 80 == SPECS["pass_percent"].default
    assert re.search(r'<input[^>]*name="pass_percent"[^>]*value="80"', form)
    assert quiz.settings["pass_percent"] == 80


@pytest.mark.parametrize(("right_points", "passed"), [(80, True), (79, False)])
def test_a_quiz_without_a_pass_mark_passes_at_80_and_fails_at_79(
    app_ctx, right_points, passed
):
    questions = [
        factories.question("truefalse", qid="big", points=right_points),
        factories.question("truefalse", qid="rest", points=100 - right_points),
    ]
    quiz = factories.assessment(content={"questions": questions}, settings={})
    attempt = factories.quiz_attempt(factories.user(), quiz, {"rest": False})

    assert "pass_percent" not in quiz.settings
    assert attempt.snapshot["settings"]["pass_percent"] == 80
    assert attempt.percent == right_points
    assert attempt.passed is passed


def test_the_content_format_doc_states_the_80_default():
    doc = (PROJECT_ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")

    line = next(x for x in doc.splitlines() if x.startswith("pass_percent ="))

    assert re.search(r"default\D*80\b", line), line
    assert QuizSettings.from_stored({}).pass_percent == 80


# --- correct answers after the last attempt -----------------------------------------------


@pytest.fixture
def late_key(app_ctx, clock):
    learner = factories.user()
    questions = [
        factories.question("short", qid="s1", answers=["reconciliation statement"]),
        factories.question("single", qid="c1"),
    ]
    quiz = factories.assessment(
        content={"questions": questions},
        settings={
            "review": "immediately",
            "show_correct_answers": "after_last_attempt",
            "show_feedback": False,
        },
        attempts_allowed=2,
        close_at=clock() + timedelta(days=7),
    )
    wrong = {"s1": "bank statement", "c1": False}
    first = factories.quiz_attempt(learner, quiz, wrong)
    db.session.commit()
    return {"learner": learner, "quiz": quiz, "first": first, "wrong": wrong}


def _seen(login, learner, attempt_id):
    client = login(learner)
    body = client.get(f"/api/v1/attempts/{attempt_id}").get_json()
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    return body["result"], page


def _key_hidden(result, page):
    assert result["review"]["show_correct_answers"] is False
    assert result["items"]  # the review itself is there
    assert all("right_answer" not in item for item in result["items"])
    assert all(
        "correct" not in c for i in result["items"] for c in i.get("choices", [])
    )
    assert "reconciliation statement" not in page
    assert "Correct answer" not in page


def _key_shown(result, page):
    assert result["review"]["show_correct_answers"] is True
    by_id = {item["id"]: item for item in result["items"]}
    assert by_id["s1"]["right_answer"] == "reconciliation statement"
    assert any(c["correct"] for c in by_id["c1"]["choices"])
    assert "reconciliation statement" in page
    assert "Correct answer" in page


def test_the_key_is_hidden_while_attempts_remain(login, late_key):
    _key_hidden(*_seen(login, late_key["learner"], late_key["first"].id))


def test_the_key_shows_after_the_last_attempt(login, late_key):
    second = factories.quiz_attempt(
        late_key["learner"], late_key["quiz"], late_key["wrong"], number=2
    )
    db.session.commit()

    _key_shown(*_seen(login, late_key["learner"], second.id))
    _key_shown(*_seen(login, late_key["learner"], late_key["first"].id))


def test_the_key_shows_once_the_quiz_closes(login, late_key, clock):
    clock.advance(days=8)

    _key_shown(*_seen(login, late_key["learner"], late_key["first"].id))
