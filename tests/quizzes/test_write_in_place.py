"""Writing a new question on a quiz's page: the type chooser and editor open for
the quiz, saving creates the bank question (owned by the trainer, filed under
the quiz's title unless given a category) and adds it to the quiz; bad input
comes back with its errors and typed values; who may do it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.errors import PermissionDeniedError
from lms.extensions import db
from lms.quizzes import bank, builder
from lms.quizzes.draws import fixed_ids
from lms.quizzes.models import Question
from lms.users.models import Role
from tests import factories

SINGLE = {
    "prompt": "Which document proves delivery?",
    "title": "Proof of delivery",
    "points": "2",
    "choices-0-text": "Goods receipt note",
    "choices-0-correct": "y",
    "choices-1-text": "Purchase order",
}


@pytest.fixture
def trainer(app_ctx):
    t = factories.user(Role.TRAINER, name="Tara Trainer")
    db.session.commit()
    return t


@pytest.fixture
def quiz(trainer):
    existing = factories.bank_question(owner=trainer, category="Invoices")
    q = factories.bank_quiz(
        trainer, [{"question_id": existing.id}], title="Invoice matching"
    )
    db.session.commit()
    return q


def _url(quiz, qtype: str = "single") -> str:
    return f"/manage/quizzes/{quiz.id}/questions/new" + (
        f"?type={qtype}" if qtype else ""
    )


def _questions() -> list[Question]:
    return list(db.session.scalars(sa.select(Question).order_by(Question.id)))


def _reloaded(quiz) -> Assessment:
    db.session.expire_all()
    return db.session.get(Assessment, quiz.id)


# --- the service ----------------------------------------------------------------------


def test_write_question_saves_to_the_bank_and_appends_a_fixed_slot(trainer, quiz):
    content = {"type": "truefalse", "prompt": "A GRN records receipt.", "answer": True}

    question = builder.write_question(quiz, content, owner=trainer)

    assert question.owner_id == trainer.id and question.origin == "ui"
    assert question.category == "Invoice matching"
    assert fixed_ids(quiz)[-1] == question.id and len(fixed_ids(quiz)) == 2
    assert quiz.version == 2


def test_write_question_keeps_a_category_it_is_given(trainer, quiz):
    content = {
        "type": "truefalse",
        "prompt": "True?",
        "answer": True,
        "category": "Invoices/Receipts",
    }

    assert (
        builder.write_question(quiz, content, owner=trainer).category
        == "Invoices/Receipts"
    )


def test_a_quiz_title_with_a_slash_is_one_category_not_two(trainer):
    quiz = factories.bank_quiz(trainer, title="GST/BAS basics")

    assert builder.default_category(quiz) == "GST-BAS basics"


def test_write_question_refuses_a_quiz_from_the_files_and_saves_nothing(trainer):
    file_quiz = factories.quiz(2, origin="file")

    with pytest.raises(PermissionDeniedError):
        builder.write_question(
            file_quiz,
            {"type": "truefalse", "prompt": "X", "answer": True},
            owner=trainer,
        )
    assert _questions() == []


def test_write_question_refuses_an_invalid_question(trainer, quiz):
    with pytest.raises(bank.QuestionInvalidError):
        builder.write_question(quiz, {"type": "single", "prompt": ""}, owner=trainer)


# --- the pages ------------------------------------------------------------------------


def test_the_quiz_page_offers_to_write_a_new_question(login, trainer, quiz):
    page = login(trainer).get(f"/manage/quizzes/{quiz.id}").get_data(as_text=True)

    assert "Write a new question" in page
    assert f'href="/manage/quizzes/{quiz.id}/questions/new"' in page


def test_without_a_type_the_type_chooser_links_to_the_in_place_editor(
    login, trainer, quiz
):
    response = login(trainer).get(_url(quiz, ""))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What kind of question?" in page
    assert f"/manage/quizzes/{quiz.id}/questions/new?type=ordering" in page
    assert "Invoice matching" in page  # the breadcrumb leads back to the quiz


def test_the_editor_opens_for_the_quiz_with_its_title_as_category(login, trainer, quiz):
    page = login(trainer).get(_url(quiz)).get_data(as_text=True)

    assert 'value="Invoice matching"' in page
    assert "Save and add to the quiz" in page
    assert f'href="/manage/quizzes/{quiz.id}#slots"' in page  # Cancel


def test_saving_adds_the_question_to_the_quiz_and_returns_to_it(login, trainer, quiz):
    client = login(trainer)

    response = client.post(_url(quiz), data=SINGLE | {"category": ""})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/quizzes/{quiz.id}#slots")
    new = _questions()[-1]
    assert new.owner_id == trainer.id and new.title == "Proof of delivery"
    assert new.category == "Invoice matching" and new.points == 2
    assert fixed_ids(_reloaded(quiz))[-1] == new.id
    page = client.get(f"/manage/quizzes/{quiz.id}").get_data(as_text=True)
    assert "Proof of delivery" in page
    assert "is written and added to “Invoice matching”" in page


def test_save_and_write_another_returns_to_the_editor_of_the_same_type(
    login, trainer, quiz
):
    response = login(trainer).post(
        _url(quiz, "short"),
        data={
            "prompt": "Abbreviation of goods receipt note?",
            "answers": "GRN",
            "points": "1",
            "then": "new",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(quiz, "short"))
    assert len(fixed_ids(_reloaded(quiz))) == 2


def test_bad_input_comes_back_with_errors_and_typed_values_and_saves_nothing(
    login, trainer, quiz
):
    data = SINGLE | {"choices-0-correct": "", "title": "Kept title"}

    response = login(trainer).post(_url(quiz), data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The question was not saved" in page
    assert 'value="Kept title"' in page and "Goods receipt note" in page
    assert "Save and add to the quiz" in page  # still the in-place editor
    assert len(_questions()) == 1
    assert len(fixed_ids(_reloaded(quiz))) == 1


def test_works_without_javascript_as_a_plain_form_post(login, trainer, quiz):
    page = login(trainer).get(_url(quiz, "ordering")).get_data(as_text=True)

    # Posts back to the same address; six rows are there without the script.
    assert '<form method="post" novalidate class="question-editor"' in page
    assert 'name="items-5"' in page


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_learner_gets_403(login, quiz, method):
    learner = factories.user(Role.LEARNER)
    db.session.commit()

    response = login(learner).open(_url(quiz), method=method, data=SINGLE)

    assert response.status_code == 403
    assert len(_questions()) == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_trainers_quiz_is_403(login, quiz, method):
    other = factories.user(Role.TRAINER)
    db.session.commit()

    response = login(other).open(_url(quiz), method=method, data=SINGLE)

    assert response.status_code == 403
    assert len(_questions()) == 1


def test_a_quiz_from_the_files_is_403_and_offers_no_button(login, trainer):
    file_quiz = factories.quiz(2, origin="file")
    db.session.commit()
    client = login(trainer)

    assert client.get(_url(file_quiz)).status_code == 403
    assert client.post(_url(file_quiz), data=SINGLE).status_code == 403
    page = client.get(f"/manage/quizzes/{file_quiz.id}").get_data(as_text=True)
    assert "Write a new question" not in page


def test_an_admin_may_write_into_any_browser_quiz(login, quiz):
    admin = factories.user(Role.ADMIN)
    db.session.commit()

    response = login(admin).post(_url(quiz), data=SINGLE)

    assert response.status_code == 302
    assert _questions()[-1].owner_id == admin.id


def test_a_missing_quiz_is_404(login, trainer):
    assert login(trainer).get("/manage/quizzes/999999/questions/new").status_code == 404


def test_the_editor_runs_a_bounded_number_of_queries(
    app, login, trainer, quiz, count_queries
):
    for i in range(20):
        factories.bank_question(category=f"Cat {i}")
    db.session.commit()
    client = login(trainer)
    client.get(_url(quiz))

    with count_queries() as counter:
        assert client.get(_url(quiz)).status_code == 200
    assert counter.count <= 8
    with count_queries() as counter:
        assert client.post(_url(quiz), data=SINGLE).status_code == 302
    assert counter.count <= 12


# --- picking bundled questions beside writing new ones ----------------------------------


def test_the_pick_page_marks_bundled_questions_and_filters_on_them(
    login, trainer, quiz
):
    from lms.quizzes.models import quiz_source_key

    bundled = factories.bank_question(category="Invoices")
    bundled.source_key = quiz_source_key("invoice-basics", "q1")
    bundled.origin = "file"
    db.session.commit()
    client = login(trainer)

    everything = client.get(f"/manage/quizzes/{quiz.id}/add-questions")
    only_files = client.get(f"/manage/quizzes/{quiz.id}/add-questions?files=1")

    assert "From files" in everything.get_data(as_text=True)
    assert 'id="f-files"' in everything.get_data(as_text=True)  # the filter is offered
    rows = only_files.get_data(as_text=True).count('name="question_id"')
    assert rows == 1
    assert f'value="{bundled.id}"' in only_files.get_data(as_text=True)
