"""Reviewing a quiz's attempts: the list, one attempt in full, changing an item's
points (score recomputed, audited) and per-learner overrides."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.attempts import review as attempt_review
from lms.attempts import services as attempt_services
from lms.attempts.models import Attempt, AttemptOverride
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.users.models import Role
from tests import factories


@pytest.fixture
def setup(app_ctx, clock):
    trainer = factories.user(Role.TRAINER, name="Tara Trainer")
    learner = factories.user(Role.LEARNER, name="Lakshmi Learner")
    questions = [
        factories.question("single", qid="q1", prompt="Which report shows **ageing**?"),
        factories.question("short", qid="q2", answers=["remittance advice"], points=2),
        factories.question("numeric", qid="q3", units="INR"),
    ]
    quiz = factories.assessment(
        content={"questions": questions},
        settings={"pass_percent": 75},
        owner=trainer,
    )
    attempt = factories.quiz_attempt(
        learner, quiz, {"q1": True, "q2": "remittance advise", "q3": True}
    )
    db.session.commit()
    return {"trainer": trainer, "learner": learner, "quiz": quiz, "attempt": attempt}


def _url(s, suffix=""):
    return f"/manage/quizzes/{s['quiz'].id}/attempts{suffix}"


# --- the list ---------------------------------------------------------------------------


def test_attempt_list_shows_learner_number_state_score_duration_and_flags(login, setup):
    live = factories.quiz_attempt(
        setup["learner"], setup["quiz"], number=2, state="in_progress"
    )
    live.flags = [{"type": "focus_loss", "count": 3}]
    db.session.commit()

    page = login(setup["trainer"]).get(_url(setup)).get_data(as_text=True)

    assert page.count("data-attempt=") == 2
    assert "Lakshmi Learner" in page and setup["learner"].email in page
    assert "2 / 4" in page and "50 %" in page and "Not passed" in page
    assert "5 min" in page
    assert "In progress" in page and "focus loss" in page


def test_attempt_list_filters_by_state(login, setup):
    factories.quiz_attempt(
        setup["learner"], setup["quiz"], number=2, state="in_progress"
    )
    db.session.commit()
    client = login(setup["trainer"])

    submitted = client.get(_url(setup, "?state=submitted")).get_data(as_text=True)
    live = client.get(_url(setup, "?state=in_progress")).get_data(as_text=True)

    assert submitted.count("data-attempt=") == 1
    assert live.count("data-attempt=") == 1
    assert f'data-attempt="{setup["attempt"].id}"' in submitted


def test_attempt_list_paginates(login, setup, app):
    app.config["PAGE_SIZE"] = 2
    for n in range(2, 6):
        factories.quiz_attempt(setup["learner"], setup["quiz"], number=n)
    db.session.commit()
    client = login(setup["trainer"])

    assert client.get(_url(setup)).get_data(as_text=True).count("data-attempt=") == 2
    assert (
        client.get(_url(setup, "?page=3")).get_data(as_text=True).count("data-attempt=")
        == 1
    )


# --- one attempt -------------------------------------------------------------------------


def test_attempt_detail_shows_every_question_answer_key_and_points(login, setup):
    page = (
        login(setup["trainer"])
        .get(_url(setup, f"/{setup['attempt'].id}"))
        .get_data(as_text=True)
    )

    assert "Question 1" in page and "Question 2" in page and "Question 3" in page
    assert "<strong>ageing</strong>" in page
    assert "remittance advise" in page  # the learner's answer
    assert "remittance advice" in page  # the accepted one
    assert "1250.5 ± 0.01 INR" in page
    assert "0 / 2" in page and "Wrong" in page
    assert 'id="attempt-score">2 / 4<' in page


def test_changing_an_items_points_recomputes_the_score_and_is_audited(login, setup):
    attempt = setup["attempt"]
    client = login(setup["trainer"])

    response = client.post(
        _url(setup, f"/{attempt.id}/items/q2/grade"),
        data={
            "item-q2-points": "2",
            "item-q2-comment": "Spelling slip; the meaning is right.",
        },
    )

    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.score == 4 and attempt.max_score == 4
    assert attempt.percent == 100 and attempt.passed is True
    item = attempt.result["items"]["q2"]
    assert item["points"] == 2 and item["correct"] is True
    assert item["override"]["comment"] == "Spelling slip; the meaning is right."
    assert item["override"]["auto_points"] == 0
    assert attempt.result["score"] == 4 and attempt.result["passed"] is True
    (event,) = db.session.scalars(sa.select(AuditEvent))
    assert event.actor_id == setup["trainer"].id
    assert event.action == "attempt.regrade"
    assert (event.target_type, event.target_id) == ("attempt", attempt.id)
    assert event.details["item_id"] == "q2"
    assert event.details["before"] == {
        "points": 0.0,
        "correct": False,
        "score": 2.0,
        "percent": 50.0,
        "passed": False,
    }
    assert (
        event.details["after"]["points"] == 2
        and event.details["after"]["passed"] is True
    )
    assert event.details["comment"] == "Spelling slip; the meaning is right."
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Regraded" in page and 'id="audit"' in page
    assert "Spelling slip; the meaning is right." in page
    assert "Tara Trainer" in page and "50.0 % → 100.0 %" in page


def test_partial_points_can_be_given(login, setup):
    attempt = setup["attempt"]

    login(setup["trainer"]).post(
        _url(setup, f"/{attempt.id}/items/q2/grade"),
        data={"item-q2-points": "0.5", "item-q2-comment": "Half right."},
    )

    db.session.refresh(attempt)
    assert attempt.score == 2.5 and attempt.percent == 62.5 and attempt.passed is False
    assert attempt.result["items"]["q2"]["correct"] is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"item-q2-points": "2", "item-q2-comment": ""}, "A comment is required"),
        (
            {"item-q2-points": "3", "item-q2-comment": "Too many"},
            "Points must be between 0 and 2.",
        ),
        (
            {"item-q2-points": "-1", "item-q2-comment": "Negative"},
            "Points cannot be negative.",
        ),
        ({"item-q2-points": "", "item-q2-comment": "Empty"}, "Give the points."),
    ],
)
def test_invalid_grades_change_nothing(login, setup, data, message):
    attempt = setup["attempt"]

    response = login(setup["trainer"]).post(
        _url(setup, f"/{attempt.id}/items/q2/grade"), data=data
    )

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(attempt)
    assert attempt.score == 2
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_an_unknown_item_or_a_live_attempt_cannot_be_graded(login, setup):
    live = factories.quiz_attempt(
        setup["learner"], setup["quiz"], number=2, state="in_progress"
    )
    db.session.commit()
    client = login(setup["trainer"])

    unknown = client.post(
        _url(setup, f"/{setup['attempt'].id}/items/nope/grade"),
        data={"item-nope-points": "1", "item-nope-comment": "x"},
    )
    running = client.post(
        _url(setup, f"/{live.id}/items/q2/grade"),
        data={"item-q2-points": "1", "item-q2-comment": "x"},
    )

    assert unknown.status_code == 404
    assert running.status_code == 400 and "Only submitted attempts" in running.get_data(
        as_text=True
    )


def test_an_attempt_of_another_quiz_is_not_found_here(login, setup):
    other_quiz = factories.quiz(2, owner=setup["trainer"])
    other = factories.quiz_attempt(setup["learner"], other_quiz)
    db.session.commit()

    response = login(setup["trainer"]).get(_url(setup, f"/{other.id}"))

    assert response.status_code == 404


# --- overrides ------------------------------------------------------------------------------


def test_overrides_are_granted_with_a_reason_and_recorded(login, setup):
    client = login(setup["trainer"])

    response = client.post(
        f"/manage/quizzes/{setup['quiz'].id}/overrides",
        data={
            "email": setup["learner"].email.upper(),
            "extra_minutes": "15",
            "extra_attempts": "1",
            "reason": "Screen reader user",
        },
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 302
    (override,) = db.session.scalars(sa.select(AttemptOverride))
    assert override.user_id == setup["learner"].id
    assert override.extra_seconds == 900 and override.extra_attempts == 1
    assert override.reason == "Screen reader user"
    assert override.created_by_id == setup["trainer"].id
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 1
    assert "Lakshmi Learner" in page and "15 min" in page
    assert 'id="override-history"' in page and "Tara Trainer" in page


def test_overrides_need_a_known_learner_and_a_reason(login, setup):
    client = login(setup["trainer"])
    url = f"/manage/quizzes/{setup['quiz'].id}/overrides"

    unknown = client.post(
        url,
        data={
            "email": "ghost@example.test",
            "extra_minutes": "5",
            "extra_attempts": "0",
            "reason": "x",
        },
    )
    no_reason = client.post(
        url,
        data={
            "email": setup["learner"].email,
            "extra_minutes": "5",
            "extra_attempts": "0",
            "reason": "",
        },
    )
    negative = client.post(
        url,
        data={
            "email": setup["learner"].email,
            "extra_minutes": "-5",
            "extra_attempts": "0",
            "reason": "x",
        },
    )

    assert (
        unknown.status_code == 400
        and "No account has that email." in unknown.get_data(as_text=True)
    )
    assert no_reason.status_code == 400 and "Give a reason" in no_reason.get_data(
        as_text=True
    )
    assert (
        negative.status_code == 400
        and "Use 0 to 1440 minutes." in negative.get_data(as_text=True)
    )
    assert db.session.scalar(sa.select(sa.func.count(AttemptOverride.id))) == 0


# --- one review for learners and trainers ---------------------------------------------------


def _learner_review(setup):
    """What the learner is shown of the attempt (the path of the API and the result
    page), by item id."""
    attempt = setup["attempt"]
    result = attempt_review.result_for(
        attempt, setup["learner"], attempt_services.responses_for(attempt)
    )
    return {item["id"]: item for item in result["items"]}


def test_trainer_and_learner_read_the_same_right_answers_and_outcomes(login, setup):
    learner_items = _learner_review(setup)
    page = (
        login(setup["trainer"])
        .get(_url(setup, f"/{setup['attempt'].id}"))
        .get_data(as_text=True)
    )

    assert learner_items["q3"]["right_answer"] == "1250.5 ± 0.01 INR"
    assert learner_items["q2"]["right_answer"] == "remittance advice"
    for item in learner_items.values():
        assert item["right_answer"] in page
    assert [item["outcome"] for item in learner_items.values()] == [
        "right",
        "wrong",
        "right",
    ]
    assert 'review-item review-right" id="item-q1"' in page
    assert 'review-item review-wrong" id="item-q2"' in page


def test_choices_are_marked_in_the_order_the_learner_saw_them(login, setup):
    learner_choices = _learner_review(setup)["q1"]["choices"]
    page = (
        login(setup["trainer"])
        .get(_url(setup, f"/{setup['attempt'].id}"))
        .get_data(as_text=True)
    )

    positions = [page.index(choice["text"]) for choice in learner_choices]
    assert positions == sorted(positions)
    picked = [c for c in learner_choices if c["picked"]]
    assert len(picked) == 1 and picked[0]["correct"] is True
    assert "Yes " in page  # the picked choice's feedback, as the learner read it


def test_a_live_attempt_shows_the_saved_answers_without_marks(login, setup):
    live = factories.quiz_attempt(
        setup["learner"],
        setup["quiz"],
        {"q1": None, "q2": "remittance advise", "q3": None},
        number=2,
        state="in_progress",
    )
    db.session.commit()

    page = (
        login(setup["trainer"]).get(_url(setup, f"/{live.id}")).get_data(as_text=True)
    )

    assert "remittance advise" in page and "(no answer)" in page
    assert "review-item review-none" in page
    assert "Save points" not in page and "Right</span>" not in page


# --- two reviewers grading the same attempt ---------------------------------------------------


@pytest.fixture
def two_reviewers(app, login):
    """An attempt at a file quiz, reviewed by two trainers at once (no app context
    held across their requests: each request signs in its own trainer)."""
    with app.app_context():
        first = factories.user(Role.TRAINER, name="Tara Trainer")
        second = factories.user(Role.TRAINER, name="Tomas Trainer")
        learner = factories.user(Role.LEARNER)
        quiz = factories.assessment(
            content={
                "questions": [
                    factories.question("short", qid="q2", answers=["ok"], points=2)
                ]
            },
            origin="file",
        )
        attempt = factories.quiz_attempt(learner, quiz, {"q2": "okay"})
        db.session.commit()
        url = f"/manage/quizzes/{quiz.id}/attempts/{attempt.id}"
        ids = {"attempt": attempt.id}
    return {"first": login(first), "second": login(second), "url": url, **ids}


def _seen_version(page: str) -> str:
    tag = re.search(r'<input[^>]*name="item-q2-row_version"[^>]*>', page).group(0)
    return re.search(r'value="(\d+)"', tag).group(1)


def test_the_second_of_two_concurrent_grades_gets_409_and_the_first_stands(
    app, two_reviewers
):
    s = two_reviewers
    first_page = s["first"].get(s["url"]).get_data(as_text=True)
    second_page = s["second"].get(s["url"]).get_data(as_text=True)
    grade_url = s["url"] + "/items/q2/grade"

    first = s["first"].post(
        grade_url,
        data={
            "item-q2-row_version": _seen_version(first_page),
            "item-q2-points": "2",
            "item-q2-comment": "Same meaning.",
        },
    )
    second = s["second"].post(
        grade_url,
        data={
            "item-q2-row_version": _seen_version(second_page),
            "item-q2-points": "0.5",
            "item-q2-comment": "Half: the spelling matters here.",
        },
    )

    assert first.status_code == 302
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    assert "Someone else changed this attempt" in body and 'id="grade-conflict"' in body
    assert "Half: the spelling matters here." in body  # what they typed is kept
    assert re.search(r'name="item-q2-points"[^>]*value="0.5"', body)
    with app.app_context():
        attempt = db.session.get(Attempt, s["attempt"])
        assert attempt.result["items"]["q2"]["points"] == 2
        assert attempt.result["items"]["q2"]["override"]["comment"] == "Same meaning."
        events = db.session.scalars(sa.select(AuditEvent)).all()
        assert [e.details["comment"] for e in events] == ["Same meaning."]


def test_after_a_conflict_the_page_shows_the_other_grade_and_can_grade_again(
    app, two_reviewers
):
    s = two_reviewers
    stale = _seen_version(s["second"].get(s["url"]).get_data(as_text=True))
    s["first"].post(
        s["url"] + "/items/q2/grade",
        data={
            "item-q2-row_version": stale,
            "item-q2-points": "2",
            "item-q2-comment": "Same meaning.",
        },
    )
    refused = s["second"].post(
        s["url"] + "/items/q2/grade",
        data={
            "item-q2-row_version": stale,
            "item-q2-points": "1",
            "item-q2-comment": "Partly.",
        },
    )
    body = refused.get_data(as_text=True)
    fresh = _seen_version(body)

    again = s["second"].post(
        s["url"] + "/items/q2/grade",
        data={
            "item-q2-row_version": fresh,
            "item-q2-points": "1",
            "item-q2-comment": "Partly.",
        },
    )

    assert refused.status_code == 409 and fresh != stale
    assert "Tara Trainer" in body and "Same meaning." in body  # their change shows
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 2
