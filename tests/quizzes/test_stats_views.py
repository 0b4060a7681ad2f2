"""Item statistics per quiz: facility, discrimination, choice frequencies, flags,
the facility chart, and the notice when there are too few attempts."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories


def _quiz(owner):
    questions = [
        factories.question("single", qid=f"q{i}", title=f"Question {i}")
        for i in range(1, 5)
    ]
    questions.append(
        factories.question(
            "single", qid="q5", title="Mis-keyed question", prompt="Which is right?"
        )
    )
    return factories.assessment(content={"questions": questions}, owner=owner)


def _take(quiz, right: set[str], *, number=1):
    learner = factories.user()
    answers = {f"q{i}": f"q{i}" in right for i in range(1, 6)}
    return factories.quiz_attempt(learner, quiz, answers, number=number)


@pytest.fixture
def dataset(app_ctx, clock):
    trainer = factories.user(Role.TRAINER)
    quiz = _quiz(trainer)
    # Strong learners answer q1–q4 and miss q5; weak learners do the opposite.
    for right in 4 * (
        {"q1", "q2", "q3", "q4"},
        {"q1", "q2", "q3", "q4"},
        {"q1", "q2", "q3"},
        {"q1", "q2", "q5"},
        {"q1", "q5"},
        {"q5"},
        {"q1", "q5"},
        {"q1", "q2", "q3", "q4"},
    ):
        _take(quiz, right)
    db.session.commit()
    return trainer, quiz


def _row(page: str, item_id: str) -> str:
    match = re.search(rf'<tr[^>]*data-item="{item_id}".*?</tr>', page, re.S)
    assert match, item_id
    return match.group(0)


def test_a_negative_discrimination_question_is_flagged_and_highlighted(login, dataset):
    trainer, quiz = dataset

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/statistics")
        .get_data(as_text=True)
    )

    bad = _row(page, "q5")
    assert 'class="table-danger"' in bad and 'data-flagged="true"' in bad
    assert "Negative discrimination" in bad
    assert "Mis-keyed question" in bad
    good = _row(page, "q2")
    assert "data-flagged" not in good
    assert "From <strong>32</strong> submitted attempts" in page
    assert 'id="not-enough"' not in page


def test_facility_discrimination_and_choice_counts_are_shown(login, dataset):
    trainer, quiz = dataset

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/statistics")
        .get_data(as_text=True)
    )

    row = _row(page, "q1")
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', row)
    assert cells[0] == "32"  # n
    assert cells[1] == "88 %"  # 28 of 32 right
    assert float(cells[2]) > 0  # point-biserial
    assert "Right " in row and "Wrong " in row
    assert re.search(r"progress-bar bg-success\" style=\"width: 87.5%\"", row)
    assert re.search(r">28</span>", row) and re.search(r">4</span>", row)


def test_questions_everyone_gets_right_are_flagged_too_easy(login, app_ctx, clock):
    trainer = factories.user(Role.TRAINER)
    quiz = _quiz(trainer)
    for _ in range(6):
        _take(quiz, {"q1", "q2", "q3", "q4", "q5"} - {"q3"})
    db.session.commit()

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/statistics")
        .get_data(as_text=True)
    )

    assert "Almost everyone gets it right" in _row(page, "q1")
    assert "Almost nobody gets it right" in _row(page, "q3")


def test_the_facility_chart_is_inline_svg_without_scripts(login, dataset):
    trainer, quiz = dataset

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/statistics")
        .get_data(as_text=True)
    )

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in svg
    assert "http://kozea" not in svg and "cdn" not in svg.lower()
    for n in range(1, 6):
        assert f">Q{n}<" in svg


def test_too_few_attempts_shows_a_notice(login, app_ctx, clock):
    trainer = factories.user(Role.TRAINER)
    quiz = _quiz(trainer)
    for _ in range(3):
        _take(quiz, {"q1"})
    db.session.commit()

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/statistics")
        .get_data(as_text=True)
    )

    assert 'id="not-enough"' in page
    assert "at least 30 are needed" in page
    assert "Q1" in page  # figures still shown, marked unreliable


def test_no_attempts_at_all(login, app_ctx):
    trainer = factories.user(Role.TRAINER)
    quiz = _quiz(trainer)
    db.session.commit()

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/statistics")
        .get_data(as_text=True)
    )

    assert "No submitted attempts yet." in page and "<svg" not in page


def test_live_and_invalidated_attempts_are_left_out_and_first_attempts_can_be_chosen(
    login, dataset
):
    trainer, quiz = dataset
    learner = factories.user()
    factories.quiz_attempt(learner, quiz, state="in_progress")
    invalid = _take(quiz, {"q1"})
    invalid.is_valid = False
    _take(quiz, {"q1"}, number=2)
    db.session.commit()
    client = login(trainer)

    everything = client.get(f"/manage/quizzes/{quiz.id}/statistics").get_data(
        as_text=True
    )
    first = client.get(f"/manage/quizzes/{quiz.id}/statistics?attempts=first").get_data(
        as_text=True
    )

    assert "From <strong>33</strong> submitted attempts" in everything
    assert "From <strong>32</strong> submitted attempts (first attempts only)" in first


def test_bank_questions_drawn_at_random_are_analysed_under_their_bank_id(
    login, app_ctx, clock
):
    trainer = factories.user(Role.TRAINER)
    pool = [
        factories.bank_question(category="Pool", title=f"Pooled {i}") for i in range(4)
    ]
    quiz = factories.bank_quiz(
        trainer,
        [{"draw": {"count": 2, "category": "Pool", "tag": None}}],
        published=True,
    )
    for seed in range(6):
        factories.quiz_attempt(factories.user(), quiz, seed=seed)
    db.session.commit()

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/statistics")
        .get_data(as_text=True)
    )

    shown = re.findall(r'data-item="(bank-\d+)"', page)
    assert shown and set(shown) <= {f"bank-{q.id}" for q in pool}
    assert "Pooled" in page
