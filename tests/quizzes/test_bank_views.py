"""The question bank pages: list with filters and counts, the editor for every
type (errors beside the fields, typed values kept), archive and restore."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.quizzes.models import Question
from lms.users.models import Role
from tests import factories


@pytest.fixture
def trainer(app_ctx):
    t = factories.user(Role.TRAINER, name="Tara Trainer")
    db.session.commit()
    return t


def _questions():
    return list(db.session.scalars(sa.select(Question).order_by(Question.id)))


def _choices(rows):
    """Form fields for choice rows [(text, correct, feedback), ...]."""
    data = {}
    for i, (text, correct, feedback) in enumerate(rows):
        data[f"choices-{i}-text"] = text
        data[f"choices-{i}-feedback"] = feedback
        if correct:
            data[f"choices-{i}-correct"] = "y"
    return data


# --- creating every type -------------------------------------------------------------


def test_single_choice_question_is_saved_with_choices_feedback_and_tags(login, trainer):
    client = login(trainer)
    form = {
        "prompt": "Which document proves delivery?",
        "title": "Proof of delivery",
        "points": "2",
        "category": "Invoices / Matching",
        "tags": "three-way match, GRN",
        "feedback": "The GRN records what arrived.",
        **_choices(
            [
                ("Goods receipt note", True, "Right: it records receipt."),
                ("Purchase order", False, "That is what was ordered."),
                ("", False, ""),  # a blank row is ignored
            ]
        ),
    }

    response = client.post("/bank/new?type=single", data=form)

    assert response.status_code == 302
    (q,) = _questions()
    assert q.type == "single"
    assert q.owner_id == trainer.id and q.origin == "ui"
    assert q.points == 2
    assert q.category == "Invoices/Matching"
    assert q.tags == ["three-way match", "grn"]
    assert q.data["prompt"] == "Which document proves delivery?"
    assert q.data["title"] == "Proof of delivery"
    assert q.data["feedback"] == "The GRN records what arrived."
    assert q.data["choices"] == [
        {
            "text": "Goods receipt note",
            "correct": True,
            "feedback": "Right: it records receipt.",
        },
        {
            "text": "Purchase order",
            "correct": False,
            "feedback": "That is what was ordered.",
        },
    ]


@pytest.mark.parametrize(
    ("qtype", "fields", "expected"),
    [
        (
            "multiple",
            {
                **_choices([("A", True, ""), ("B", True, ""), ("C", False, "")]),
                "penalty": "0.5",
            },
            {"penalty": 0.5},
        ),
        ("truefalse", {"tf_answer": "false"}, {"answer": False}),
        (
            "short",
            {
                "answers": "GSTIN\n  goods and services tax id \n\n",
                "case_sensitive": "y",
            },
            {"answers": ["GSTIN", "goods and services tax id"], "case_sensitive": True},
        ),
        (
            "numeric",
            {"numeric_answer": "1,250.50", "tolerance": "0.01", "units": "INR"},
            {"answer": 1250.5, "tolerance": 0.01, "units": "INR"},
        ),
        (
            "ordering",
            {"items-0": "Receive", "items-1": "", "items-2": "Match", "items-3": "Pay"},
            {"items": ["Receive", "Match", "Pay"]},
        ),
    ],
)
def test_every_type_can_be_created(login, trainer, qtype, fields, expected):
    client = login(trainer)

    response = client.post(
        f"/bank/new?type={qtype}", data={"prompt": "Q?", "points": "1", **fields}
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    (q,) = _questions()
    assert q.type == qtype
    for key, value in expected.items():
        assert q.data[key] == value


def test_new_question_without_a_type_offers_the_types(login, trainer):
    page = login(trainer).get("/bank/new").get_data(as_text=True)

    for label in (
        "Single choice",
        "Multiple choice",
        "True/false",
        "Short text",
        "Numeric",
        "Ordering",
    ):
        assert label in page


def test_the_editor_without_javascript_offers_six_blank_choice_rows(login, trainer):
    page = login(trainer).get("/bank/new?type=multiple").get_data(as_text=True)

    assert 'name="choices-5-text"' in page
    assert 'name="choices-6-text"' not in page
    assert "js/question-editor.js" in page


def test_rows_added_by_the_script_with_gaps_in_their_numbers_are_all_saved(
    login, trainer
):
    client = login(trainer)
    form = {
        "prompt": "Pick the right ones",
        "points": "1",
        **{f"choices-{i}-text": f"Choice {i}" for i in (0, 3, 9)},
        "choices-9-correct": "y",
    }

    assert client.post("/bank/new?type=multiple", data=form).status_code == 302

    (q,) = _questions()
    assert [c["text"] for c in q.data["choices"]] == [
        "Choice 0",
        "Choice 3",
        "Choice 9",
    ]


# --- validation: errors beside the fields, typed values kept ----------------------------


def test_a_single_choice_question_with_two_right_answers_is_refused_with_the_values_kept(
    login, trainer
):
    client = login(trainer)
    form = {
        "prompt": "Which of these is a control total?",
        "points": "3",
        "category": "Controls",
        "tags": "batch",
        **_choices([("Batch total", True, "Yes"), ("Hash total", True, "Also yes")]),
    }

    response = client.post("/bank/new?type=single", data=form)
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert _questions() == []
    assert "needs exactly one correct choice, found 2" in page
    assert 'id="choices-error"' in page
    assert "Which of these is a control total?" in page
    assert 'value="Batch total"' in page and 'value="Also yes"' in page
    assert 'value="Controls"' in page and 'value="batch"' in page
    assert 'value="3"' in page


@pytest.mark.parametrize(
    ("qtype", "fields", "message", "field_id"),
    [
        (
            "single",
            {"prompt": "", **_choices([("A", True, ""), ("B", False, "")])},
            "The question text is empty",
            "prompt",
        ),
        (
            "single",
            {"points": "0", **_choices([("A", True, ""), ("B", False, "")])},
            "Must be a number greater than 0",
            "points",
        ),
        (
            "single",
            {"points": "lots", **_choices([("A", True, ""), ("B", False, "")])},
            "Not a valid float value",
            "points",
        ),
        (
            "single",
            _choices([("Only one", True, "")]),
            "Needs at least 2 choices",
            "choices",
        ),
        (
            "multiple",
            {**_choices([("A", True, ""), ("B", False, "")]), "penalty": "1.5"},
            "Must be a fraction from 0 to 1",
            "penalty",
        ),
        ("truefalse", {}, "A true/false question needs answer", "tf_answer"),
        (
            "short",
            {"answers": "   \n"},
            "A short-answer question needs at least one accepted answer",
            "answers",
        ),
        (
            "numeric",
            {"numeric_answer": "twelve"},
            "Must be a number, not &#39;twelve&#39;",
            "numeric_answer",
        ),
        (
            "numeric",
            {"numeric_answer": "12", "tolerance": "-1"},
            "Must be a number of 0 or more",
            "tolerance",
        ),
        (
            "ordering",
            {"items-0": "Only"},
            "An ordering question needs at least 2 items",
            "items",
        ),
        ("ordering", {"items-0": "Same", "items-1": "same"}, "Item 2 repeats", "items"),
    ],
)
def test_invalid_questions_show_the_error_beside_the_field(
    login, trainer, qtype, fields, message, field_id
):
    data = {"prompt": "A question?", "points": "1", **fields}

    response = login(trainer).post(f"/bank/new?type={qtype}", data=data)
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert message in page
    assert f'id="{field_id}-error"' in page
    assert _questions() == []


def test_a_typed_but_invalid_numeric_answer_is_shown_back(login, trainer):
    page = (
        login(trainer)
        .post(
            "/bank/new?type=numeric",
            data={
                "prompt": "Total?",
                "points": "1",
                "numeric_answer": "12,5O",
                "units": "kg",
            },
        )
        .get_data(as_text=True)
    )

    assert 'value="12,5O"' in page and 'value="kg"' in page


# --- editing, permissions, archive ----------------------------------------------------


def test_editing_shows_the_question_and_saves_changes(login, trainer):
    q = factories.bank_question("short", owner=trainer, category="Email", tags=["tone"])
    db.session.commit()
    client = login(trainer)
    before = dict(q.data)

    page = client.get(f"/bank/{q.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/bank/{q.id}/edit",
        data={
            "prompt": "New wording?",
            "points": "1",
            "answers": "Regards\nKind regards",
            "category": "Email",
            "tags": "tone",
        },
    )

    assert before["prompt"] in page
    assert before["answers"][0] in page
    assert response.status_code == 302
    db.session.refresh(q)
    assert q.data["prompt"] == "New wording?"
    assert q.data["answers"] == ["Regards", "Kind regards"]


def test_another_trainer_cannot_edit_or_archive_a_question(login, trainer):
    q = factories.bank_question(owner=trainer)
    other = factories.user(Role.TRAINER)
    db.session.commit()
    client = login(other)

    assert client.get(f"/bank/{q.id}/edit").status_code == 403
    assert client.post(f"/bank/{q.id}/edit", data={"prompt": "x"}).status_code == 403
    assert client.post(f"/bank/{q.id}/archive").status_code == 403
    db.session.refresh(q)
    assert not q.is_archived


def test_questions_without_an_owner_belong_to_the_team(login, trainer):
    q = factories.bank_question(owner=None)
    db.session.commit()

    assert login(trainer).get(f"/bank/{q.id}/edit").status_code == 200


def test_archiving_hides_a_question_and_restoring_brings_it_back(login, trainer):
    q = factories.bank_question(owner=trainer, prompt="Archive me?")
    db.session.commit()
    client = login(trainer)

    client.post(f"/bank/{q.id}/archive")
    live = client.get("/bank").get_data(as_text=True)
    archive = client.get("/bank?archived=1").get_data(as_text=True)
    client.post(f"/bank/{q.id}/restore")

    assert f'data-question="{q.id}"' not in live
    assert f'data-question="{q.id}"' in archive
    db.session.refresh(q)
    assert not q.is_archived


# --- the list: filters, search, counts, pages --------------------------------------------


@pytest.fixture
def stocked_bank(trainer):
    other = factories.user(Role.TRAINER)
    factories.bank_question(
        "single",
        owner=trainer,
        category="Invoices",
        tags=["gstin"],
        prompt="Where is the GSTIN printed?",
    )
    factories.bank_question(
        "numeric", owner=trainer, category="Invoices/Totals", prompt="Add the batch"
    )
    factories.bank_question(
        "short",
        owner=other,
        category="Email",
        tags=["tone"],
        prompt="Close a formal email",
    )
    factories.bank_question(
        "truefalse", owner=other, category="Email", prompt="Archived one", archived=True
    )
    db.session.commit()
    return trainer


def _rows(page: str) -> int:
    return page.count("data-question=")


@pytest.mark.parametrize(
    ("query", "rows", "present"),
    [
        ("", 3, "Close a formal email"),
        ("?category=Invoices", 2, "Add the batch"),  # subcategories included
        ("?category=Invoices/Totals", 1, "Add the batch"),
        ("?tag=gstin", 1, "Where is the GSTIN printed?"),
        ("?type=short", 1, "Close a formal email"),
        ("?q=gstin+printed", 1, "Where is the GSTIN printed?"),
        ("?q=FORMAL", 1, "Close a formal email"),
        ("?mine=1", 2, "Add the batch"),
        ("?archived=1", 1, "Archived one"),
    ],
)
def test_bank_filters(login, stocked_bank, query, rows, present):
    page = login(stocked_bank).get("/bank" + query).get_data(as_text=True)

    assert _rows(page) == rows
    assert present in page


def test_bank_shows_counts_per_type_and_category(login, stocked_bank):
    page = login(stocked_bank).get("/bank").get_data(as_text=True)

    assert "3 questions." in page
    assert "Invoices (1)" in page and "Email (1)" in page
    assert "Numeric 1" in page


def test_bank_paginates(login, trainer, app):
    app.config["PAGE_SIZE"] = 2
    for _ in range(5):
        factories.bank_question(owner=trainer)
    db.session.commit()
    client = login(trainer)

    first = client.get("/bank").get_data(as_text=True)
    last = client.get("/bank?page=3").get_data(as_text=True)

    assert _rows(first) == 2 and _rows(last) == 1
    assert "5 questions." in first


def test_archiving_warns_when_a_published_quiz_can_no_longer_draw(login, trainer):
    pool = [
        factories.bank_question(owner=trainer, category="Tax/GST") for _ in range(2)
    ]
    factories.bank_question(owner=trainer, category="Email")
    draw = {"draw": {"count": 2, "category": "Tax", "tag": None}}
    factories.bank_quiz(trainer, [draw], published=True, title="GST drill")
    factories.bank_quiz(trainer, [draw], published=False, title="Draft drill")
    db.session.commit()
    client = login(trainer)

    response = client.post(f"/bank/{pool[0].id}/archive", follow_redirects=True)
    page = response.get_data(as_text=True)

    assert "Learners cannot start “GST drill” any more" in page
    assert "Draft drill" not in page


def test_archiving_a_question_no_draw_needs_gives_no_warning(login, trainer):
    factories.bank_question(owner=trainer, category="Tax/GST")
    spare = factories.bank_question(owner=trainer, category="Email")
    draw = {"draw": {"count": 1, "category": "Tax", "tag": None}}
    factories.bank_quiz(trainer, [draw], published=True, title="GST drill")
    db.session.commit()

    page = (
        login(trainer)
        .post(f"/bank/{spare.id}/archive", follow_redirects=True)
        .get_data(as_text=True)
    )

    assert "cannot start" not in page
