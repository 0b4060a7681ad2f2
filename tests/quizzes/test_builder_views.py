"""The quiz builder: creating a quiz, its settings form, fixed questions and random
draws, reordering and removing slots, publishing, and file quizzes read-only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.extensions import db
from lms.users.models import Role
from tests import factories

SETTINGS = {
    "title": "GST basics check",
    "description": "Answer **every** question.",
    "time_limit_minutes": "20",
    "on_expiry": "grace",
    "grace_minutes": "5",
    "open_at": "2026-03-10T03:30",
    "close_at": "2026-03-20T12:00",
    "attempts_allowed": "3",
    "delay_minutes": "60",
    "grading_method": "average",
    "pass_percent": "72.5",
    "shuffle_questions": "y",
    "questions_per_page": "4",
    "review": "after_close",
    "show_score": "y",
    "show_correct_answers": "true",
    "show_feedback": "false",
}


@pytest.fixture
def trainer(app_ctx):
    t = factories.user(Role.TRAINER)
    t.time_zone = "UTC"  # typed times here are UTC; tests/test_time_zones.py has zones
    db.session.commit()
    return t


def _quiz(slug: str) -> Assessment:
    return db.session.scalar(sa.select(Assessment).where(Assessment.slug == slug))


# --- creating and the settings form -----------------------------------------------------


def test_creating_a_quiz_stores_every_setting(login, trainer):
    response = login(trainer).post("/manage/quizzes/new", data=SETTINGS)

    assert response.status_code == 302
    quiz = _quiz("gst-basics-check")
    assert response.headers["Location"].endswith(f"/manage/quizzes/{quiz.id}")
    assert quiz.kind == "quiz" and quiz.origin == "ui" and quiz.owner_id == trainer.id
    assert not quiz.is_published
    assert quiz.content == {"questions": [], "slots": []}
    assert "<strong>every</strong>" in quiz.description_html
    assert quiz.time_limit_seconds == 20 * 60
    assert quiz.on_expiry == "grace"
    assert quiz.open_at == datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
    assert quiz.close_at == datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    assert quiz.attempts_allowed == 3
    assert quiz.settings == {
        "shuffle_questions": True,
        "shuffle_choices": False,
        "questions_per_page": 4,
        "grading_method": "average",
        "pass_percent": 72.5,
        "review": "after_close",
        "show_score": True,
        "show_correctness": False,
        "show_correct_answers": True,
        "show_feedback": False,
        "delay_minutes": 60,
        "grace_seconds": 300,
    }


def test_a_short_name_can_be_chosen_and_must_be_unique(login, trainer):
    factories.assessment(slug="taken")
    db.session.commit()
    client = login(trainer)

    taken = client.post("/manage/quizzes/new", data=SETTINGS | {"slug": "taken"})
    bad = client.post("/manage/quizzes/new", data=SETTINGS | {"slug": "Not OK"})
    good = client.post("/manage/quizzes/new", data=SETTINGS | {"slug": "gst-101"})

    assert taken.status_code == 400 and "already used" in taken.get_data(as_text=True)
    assert bad.status_code == 400 and "lowercase letters" in bad.get_data(as_text=True)
    assert good.status_code == 302 and _quiz("gst-101") is not None


def test_the_settings_form_shows_the_stored_values_in_utc(login, trainer):
    login(trainer).post("/manage/quizzes/new", data=SETTINGS)
    quiz = _quiz("gst-basics-check")

    page = (
        login(trainer).get(f"/manage/quizzes/{quiz.id}/settings").get_data(as_text=True)
    )

    assert 'value="2026-03-10T03:30"' in page
    assert 'value="2026-03-20T12:00"' in page
    assert 'value="72.5"' in page
    assert "Opens (UTC)" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"close_at": "2026-03-10T03:30"}, "close_at", "must close after it opens"),
        ({"close_at": "2026-03-01T00:00"}, "close_at", "must close after it opens"),
        ({"time_limit_minutes": "-5"}, "time_limit_minutes", "Use 0 to 1440 minutes"),
        (
            {"attempts_allowed": "-1"},
            "attempts_allowed",
            "Use 0 (unlimited) to 100 attempts",
        ),
        ({"delay_minutes": "-10"}, "delay_minutes", "Use 0 to 43200 minutes"),
        ({"grace_minutes": "-1"}, "grace_minutes", "Use 0 to 10080 minutes"),
        (
            {"questions_per_page": "-2"},
            "questions_per_page",
            "Use 0 (all on one page) to 100",
        ),
        ({"pass_percent": "101"}, "pass_percent", "percentage from 0 to 100"),
        ({"pass_percent": "-0.5"}, "pass_percent", "percentage from 0 to 100"),
        ({"pass_percent": ""}, "pass_percent", "Give a pass mark"),
        ({"title": ""}, "title", "This field is required"),
        ({"close_at": "", "review": "after_close"}, "review", "needs a close time"),
        ({"open_at": "next week"}, "open_at", "Not a valid datetime value"),
    ],
)
def test_invalid_settings_are_refused_beside_the_field_with_values_kept(
    login, trainer, changes, field, message
):
    response = login(trainer).post("/manage/quizzes/new", data=SETTINGS | changes)
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert message in page
    assert f'id="{field}-error"' in page
    assert 'value="GST basics check"' in page or field == "title"
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0


def test_pass_marks_of_0_and_100_are_accepted(login, trainer):
    client = login(trainer)

    zero = client.post(
        "/manage/quizzes/new", data=SETTINGS | {"pass_percent": "0", "slug": "a"}
    )
    hundred = client.post(
        "/manage/quizzes/new", data=SETTINGS | {"pass_percent": "100", "slug": "b"}
    )

    assert zero.status_code == hundred.status_code == 302
    assert _quiz("a").settings["pass_percent"] == 0
    assert _quiz("b").settings["pass_percent"] == 100


def test_grace_seconds_are_only_stored_for_the_grace_policy(login, trainer):
    quiz = factories.bank_quiz(
        trainer, settings={"grace_seconds": 300}, on_expiry="grace"
    )
    db.session.commit()

    login(trainer).post(
        f"/manage/quizzes/{quiz.id}/settings",
        data=SETTINGS | {"on_expiry": "autosubmit", "review": "immediately"},
    )

    db.session.refresh(quiz)
    assert quiz.on_expiry == "autosubmit"
    assert "grace_seconds" not in quiz.settings


def test_editing_settings_bumps_the_version(login, trainer):
    quiz = factories.bank_quiz(trainer)
    db.session.commit()
    version = quiz.version

    response = login(trainer).post(
        f"/manage/quizzes/{quiz.id}/settings", data=SETTINGS | {"title": "Renamed"}
    )

    assert response.status_code == 302
    db.session.refresh(quiz)
    assert quiz.title == "Renamed" and quiz.version == version + 1


# --- slots: fixed questions, draws, order ----------------------------------------------------


def test_fixed_questions_are_added_once_each(login, trainer):
    a = factories.bank_question(owner=trainer, prompt="First?")
    b = factories.bank_question(owner=None, prompt="Second?")
    quiz = factories.bank_quiz(trainer)
    db.session.commit()
    client = login(trainer)

    client.post(
        f"/manage/quizzes/{quiz.id}/slots/questions", data={"question_id": [a.id, b.id]}
    )
    response = client.post(
        f"/manage/quizzes/{quiz.id}/slots/questions", data={"question_id": [a.id]}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    db.session.refresh(quiz)
    assert quiz.content["slots"] == [{"question_id": a.id}, {"question_id": b.id}]
    assert "1 was already in the quiz" in page
    assert "First?" in page and "Second?" in page


def test_the_picker_marks_questions_already_in_the_quiz(login, trainer):
    a = factories.bank_question(owner=trainer, prompt="In it?")
    factories.bank_question(owner=trainer, prompt="Not yet?")
    quiz = factories.bank_quiz(trainer, [{"question_id": a.id}])
    db.session.commit()

    page = (
        login(trainer)
        .get(f"/manage/quizzes/{quiz.id}/add-questions")
        .get_data(as_text=True)
    )

    assert f'name="question_id" value="{a.id}"' not in page
    assert "In quiz" in page and "Not yet?" in page


def test_archived_questions_cannot_be_added(login, trainer):
    gone = factories.bank_question(owner=trainer, archived=True)
    quiz = factories.bank_quiz(trainer)
    db.session.commit()

    login(trainer).post(
        f"/manage/quizzes/{quiz.id}/slots/questions", data={"question_id": gone.id}
    )

    db.session.refresh(quiz)
    assert quiz.content["slots"] == []


def test_a_draw_rule_is_added_and_shows_how_many_questions_match(login, trainer):
    for _ in range(3):
        factories.bank_question(category="Invoices/GST", tags=["gstin"])
    factories.bank_question(category="Invoices", tags=["tds"])
    quiz = factories.bank_quiz(trainer)
    db.session.commit()
    client = login(trainer)

    response = client.post(
        f"/manage/quizzes/{quiz.id}/slots/draw",
        data={"count": "2", "category": "Invoices", "tag": "GSTIN"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    db.session.refresh(quiz)
    assert quiz.content["slots"] == [
        {"draw": {"count": 2, "category": "Invoices", "tag": "gstin"}}
    ]
    assert "2 random questions from “Invoices” tagged “gstin”" in page
    assert "3 questions in the bank match" in page


def test_a_draw_with_a_bad_count_is_refused(login, trainer):
    quiz = factories.bank_quiz(trainer)
    db.session.commit()

    response = login(trainer).post(
        f"/manage/quizzes/{quiz.id}/slots/draw", data={"count": "0", "category": "X"}
    )

    assert response.status_code == 400
    assert "Draw between 1 and 100 questions." in response.get_data(as_text=True)
    db.session.refresh(quiz)
    assert quiz.content["slots"] == []


def test_slots_move_and_are_removed(login, trainer):
    a, b = factories.bank_question(), factories.bank_question()
    draw = {"draw": {"count": 1, "category": "", "tag": None}}
    quiz = factories.bank_quiz(
        trainer, [{"question_id": a.id}, {"question_id": b.id}, draw]
    )
    db.session.commit()
    client = login(trainer)

    client.post(f"/manage/quizzes/{quiz.id}/slots/2/move", data={"direction": "up"})
    client.post(f"/manage/quizzes/{quiz.id}/slots/0/remove")
    db.session.refresh(quiz)
    after = list(quiz.content["slots"])
    stale = client.post(f"/manage/quizzes/{quiz.id}/slots/5/remove")

    assert after == [draw, {"question_id": b.id}]
    assert stale.status_code == 302
    db.session.refresh(quiz)
    assert quiz.content["slots"] == after


# --- publishing -------------------------------------------------------------------------------


def test_an_empty_quiz_cannot_be_published(login, trainer):
    quiz = factories.bank_quiz(trainer)
    db.session.commit()
    client = login(trainer)

    response = client.post(f"/manage/quizzes/{quiz.id}/publish")
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    db.session.refresh(quiz)
    assert not quiz.is_published
    assert "The quiz has no questions yet" in page


def test_a_quiz_with_an_unsatisfiable_draw_cannot_be_published(login, trainer):
    factories.bank_question(category="Invoices")
    quiz = factories.bank_quiz(
        trainer, [{"draw": {"count": 2, "category": "Invoices", "tag": None}}]
    )
    db.session.commit()
    client = login(trainer)

    builder = client.get(f"/manage/quizzes/{quiz.id}").get_data(as_text=True)
    response = client.post(f"/manage/quizzes/{quiz.id}/publish")
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    db.session.refresh(quiz)
    assert not quiz.is_published
    assert "only 1 question match" in builder  # told before trying
    assert "Not published." in page and "only 1 question match" in page


def test_a_ready_quiz_is_published_and_unpublished(login, trainer):
    q = factories.bank_question()
    quiz = factories.bank_quiz(trainer, [{"question_id": q.id}])
    db.session.commit()
    client = login(trainer)

    client.post(f"/manage/quizzes/{quiz.id}/publish")
    db.session.refresh(quiz)
    published = quiz.is_published
    client.post(f"/manage/quizzes/{quiz.id}/unpublish")
    db.session.refresh(quiz)

    assert published and not quiz.is_published


# --- file quizzes and the list -------------------------------------------------------------


def test_file_quizzes_are_listed_with_a_badge_and_are_read_only(login, trainer):
    file_quiz = factories.quiz(3, origin="file", title="Bundled check")
    mine = factories.bank_quiz(trainer, title="My draft")
    others = factories.bank_quiz(factories.user(Role.TRAINER), title="Someone else's")
    db.session.commit()
    client = login(trainer)

    listing = client.get("/manage/quizzes").get_data(as_text=True)
    detail = client.get(f"/manage/quizzes/{file_quiz.id}").get_data(as_text=True)

    assert "Bundled check" in listing and "My draft" in listing
    assert "Someone else&#39;s" not in listing
    assert "From files" in listing
    assert "read-only here" in detail
    assert "Add random draw" not in detail
    assert "/unpublish" not in detail and "Add questions from the bank" not in detail
    assert client.get(f"/manage/quizzes/{file_quiz.id}/settings").status_code == 403
    assert client.post(f"/manage/quizzes/{file_quiz.id}/unpublish").status_code == 403
    assert client.get(f"/manage/quizzes/{others.id}").status_code == 403
    assert mine.id


def test_the_quiz_list_counts_questions_per_attempt(login, trainer):
    q = factories.bank_question()
    factories.bank_quiz(
        trainer,
        [{"question_id": q.id}, {"draw": {"count": 4, "category": "", "tag": None}}],
        title="Sized",
    )
    db.session.commit()

    page = login(trainer).get("/manage/quizzes").get_data(as_text=True)

    row = page.split("Sized")[1].split("</tr>")[0]
    assert '<td class="text-end">5</td>' in row
