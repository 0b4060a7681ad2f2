"""Who may open which trainer page: every route of the quizzes blueprint against
anonymous, learner, the owning trainer, another trainer, a manager and an admin."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.users.models import Role
from tests import factories
from tests.conftest import Clients, session_of

ROLES = ("anonymous", "learner", "owner", "other_trainer", "manager", "admin")


@pytest.fixture
def world(app, app_ctx, clock, build_once):
    return build_once(_build_world, app)


def _build_world(app) -> dict:
    with app.app_context():
        people = {
            "learner": factories.user(Role.LEARNER),
            "owner": factories.user(Role.TRAINER),
            "other_trainer": factories.user(Role.TRAINER),
            "manager": factories.user(Role.MANAGER),
            "admin": factories.user(Role.ADMIN),
        }
        question = factories.bank_question(owner=people["owner"])
        spare = factories.bank_question(owner=people["owner"])
        quiz = factories.bank_quiz(
            people["owner"],
            [
                {"question_id": question.id},
                {"draw": {"count": 1, "category": "", "tag": None}},
            ],
            published=True,
        )
        attempt = factories.quiz_attempt(people["learner"], quiz)
        file_quiz = factories.quiz(
            [factories.question("short", qid="s1")], origin="file", owner=None
        )
        file_attempt = factories.quiz_attempt(
            people["learner"], file_quiz, {"s1": False}
        )
        db.session.commit()
        return {
            "sessions": {role: session_of(user) for role, user in people.items()},
            "q": question.id,
            "spare": spare.id,
            "quiz": quiz.id,
            "attempt": attempt.id,
            "item": attempt.snapshot["questions"][0]["id"],
            "file_quiz": file_quiz.id,
            "file_attempt": file_attempt.id,
            "learner_email": people["learner"].email,
        }


@pytest.fixture
def client_as(app, world):
    clients = Clients(app, world["sessions"] | {"anonymous": None})
    return clients.__getitem__


def _expected(role: str, *, owner_only: bool, ok: int = 200) -> int:
    if role == "anonymous":
        return 302
    if role in ("learner", "manager"):
        return 403
    if role == "other_trainer" and owner_only:
        return 403
    return ok


GET_ROUTES = [
    # (path template, owner_only)
    ("/bank", False),
    ("/bank?category=x&tag=y&type=single&q=z&mine=1&archived=1", False),
    ("/bank/new", False),
    ("/bank/new?type=ordering", False),
    ("/bank/import", False),
    ("/bank/{q}/edit", True),
    ("/manage/quizzes", False),
    ("/manage/quizzes/new", False),
    ("/manage/quizzes/{quiz}", True),
    ("/manage/quizzes/{quiz}/settings", True),
    ("/manage/quizzes/{quiz}/add-questions", True),
    ("/manage/quizzes/{quiz}/attempts", True),
    ("/manage/quizzes/{quiz}/attempts?state=submitted", True),
    ("/manage/quizzes/{quiz}/attempts/{attempt}", True),
    ("/manage/quizzes/{quiz}/overrides", True),
    ("/manage/quizzes/{quiz}/statistics", True),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "owner_only"), GET_ROUTES)
def test_get_routes(client_as, world, role, path, owner_only):
    response = client_as(role).get(path.format(**world))

    assert response.status_code == _expected(role, owner_only=owner_only)
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


POST_ROUTES = [
    # (path template, form data, owner_only, status on success)
    (
        "/bank/new?type=truefalse",
        {"prompt": "T?", "points": "1", "tf_answer": "true"},
        False,
        302,
    ),
    (
        "/bank/{q}/edit",
        {
            "prompt": "Edited?",
            "points": "1",
            "choices-0-text": "A",
            "choices-0-correct": "y",
            "choices-1-text": "B",
        },
        True,
        302,
    ),
    ("/bank/{spare}/archive", {}, True, 302),
    ("/bank/{spare}/restore", {}, True, 302),
    ("/bank/import", {"text": "Q?\nA) a\nB) b\nANSWER: A"}, False, 200),
    (
        "/manage/quizzes/new",
        {
            "title": "New",
            "attempts_allowed": "0",
            "delay_minutes": "0",
            "grace_minutes": "10",
            "pass_percent": "50",
            "questions_per_page": "5",
            "on_expiry": "autosubmit",
            "grading_method": "highest",
            "review": "immediately",
        },
        False,
        302,
    ),
    (
        "/manage/quizzes/{quiz}/settings",
        {
            "title": "Renamed",
            "attempts_allowed": "0",
            "delay_minutes": "0",
            "grace_minutes": "10",
            "pass_percent": "50",
            "questions_per_page": "5",
            "on_expiry": "autosubmit",
            "grading_method": "highest",
            "review": "immediately",
        },
        True,
        302,
    ),
    ("/manage/quizzes/{quiz}/slots/questions", {"question_id": "{spare}"}, True, 302),
    ("/manage/quizzes/{quiz}/slots/draw", {"count": "1", "category": ""}, True, 302),
    ("/manage/quizzes/{quiz}/slots/0/move", {"direction": "down"}, True, 302),
    ("/manage/quizzes/{quiz}/slots/1/remove", {}, True, 302),
    ("/manage/quizzes/{quiz}/publish", {}, True, 302),
    ("/manage/quizzes/{quiz}/unpublish", {}, True, 302),
    (
        "/manage/quizzes/{quiz}/attempts/{attempt}/items/{item}/grade",
        {"item-{item}-points": "0", "item-{item}-comment": "Checked."},
        True,
        302,
    ),
    (
        "/manage/quizzes/{quiz}/overrides",
        {
            "email": "{learner_email}",
            "extra_minutes": "5",
            "extra_attempts": "1",
            "reason": "Power cut",
        },
        True,
        302,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "data", "owner_only", "ok"), POST_ROUTES)
def test_post_routes(client_as, world, role, path, data, owner_only, ok):
    form = {k.format(**world): v.format(**world) for k, v in data.items()}

    response = client_as(role).post(path.format(**world), data=form)

    assert response.status_code == _expected(role, owner_only=owner_only, ok=ok)


# File quizzes belong to nobody: every trainer reviews them, nobody edits them here.
FILE_ROUTES = [
    ("get", "/manage/quizzes/{file_quiz}", {}, 200),
    ("get", "/manage/quizzes/{file_quiz}/attempts", {}, 200),
    ("get", "/manage/quizzes/{file_quiz}/attempts/{file_attempt}", {}, 200),
    ("get", "/manage/quizzes/{file_quiz}/overrides", {}, 200),
    ("get", "/manage/quizzes/{file_quiz}/statistics", {}, 200),
    (
        "post",
        "/manage/quizzes/{file_quiz}/attempts/{file_attempt}/items/s1/grade",
        {"item-s1-points": "1", "item-s1-comment": "Fine."},
        302,
    ),
    ("get", "/manage/quizzes/{file_quiz}/settings", {}, 403),
    ("get", "/manage/quizzes/{file_quiz}/add-questions", {}, 403),
    ("post", "/manage/quizzes/{file_quiz}/publish", {}, 403),
    ("post", "/manage/quizzes/{file_quiz}/unpublish", {}, 403),
    ("post", "/manage/quizzes/{file_quiz}/slots/draw", {"count": "1"}, 403),
]


@pytest.mark.parametrize("role", ["other_trainer", "admin", "learner", "manager"])
@pytest.mark.parametrize(("method", "path", "data", "trainer_status"), FILE_ROUTES)
def test_file_quiz_routes(client_as, world, role, method, path, data, trainer_status):
    client = client_as(role)

    response = getattr(client, method)(path.format(**world), data=data)

    expected = 403 if role in ("learner", "manager") else trainer_status
    assert response.status_code == expected


def test_a_keying_test_is_not_a_quiz_here(client_as, world):
    keying = factories.assessment("ten_key", origin="file")
    db.session.commit()

    assert (
        client_as("admin").get(f"/manage/quizzes/{keying.id}/attempts").status_code
        == 404
    )


# One request per test here: requests made under the test's app context share `g`,
# where Flask-Login caches the signed-in user.
def test_navigation_shows_the_bank_to_trainers(client_as, world):
    assert 'href="/bank"' in client_as("owner").get("/").get_data(as_text=True)


def test_navigation_hides_the_bank_from_learners(client_as, world):
    assert 'href="/bank"' not in client_as("learner").get("/").get_data(as_text=True)
