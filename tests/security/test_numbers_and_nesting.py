"""Numbers beyond what the database holds and JSON nested without end are the
client's mistake: 404 for ids, a first page or 400 for page numbers, 400 JSON for
deep JSON; never a 500."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from lms.auth import tokens
from lms.extensions import db
from tests import factories

# 2**31 is past PostgreSQL's INTEGER ids: it answered 500 there, 404 on SQLite.
BIG = (2**31, 2**63, 2**64)
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@pytest.fixture
def admin(app, login):
    with app.app_context():
        user = factories.user("admin")
        db.session.commit()
    return login(user)


def _url(rule, big_arg: str | None, big: int) -> str:
    def value(match):
        converter, name = match.group(1) or "default", match.group(2)
        if converter == "int":
            return str(big if name == big_arg else 1)
        return "x"

    return ARGUMENT.sub(value, rule.rule)


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                for method in sorted(rule.methods - SKIPPED_METHODS):
                    yield rule, name, method


def test_every_int_route_answers_404_for_ids_beyond_64_bits(app, admin):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is counted, not raised
    routes = list(_int_routes(app))
    assert len(routes) > 20  # the walk found the numeric routes
    failures = []
    for rule, name, method in routes:
        for big in BIG:
            url = _url(rule, name, big)
            status = admin.open(url, method=method).status_code
            if status != 404:
                failures.append(f"{method} {url} → {status}")

    assert not failures, "\n".join(failures)


def _list_pages(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule.rule


@pytest.mark.parametrize("page", [str(2**63), str(2**64), "-3", "0", "1e9", "abc"])
def test_list_pages_take_any_page_number_without_a_500(app, admin, page):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    failures = []
    for path in _list_pages(app):
        status = admin.get(path, query_string={"page": page}).status_code
        if status >= 500:
            failures.append(f"{path}?page={page} → {status}")

    assert not failures, "\n".join(failures)


@pytest.fixture
def token(app):
    with app.app_context():
        user = factories.user()
        raw = tokens.create_token(user, "script")[1]
        db.session.commit()
    return raw


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/attempts/{n}"),
        ("PUT", "/api/v1/attempts/{n}/responses"),
        ("POST", "/api/v1/attempts/{n}/submit"),
    ],
)
@pytest.mark.parametrize("big", BIG)
def test_api_operations_answer_404_json_for_ids_beyond_64_bits(
    app, token, method, path, big
):
    response = app.test_client().open(
        path.format(n=big),
        method=method,
        json={"seq": 1, "responses": {}},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_json_nested_too_deep_is_400_json(app, token, depth):
    with app.app_context():
        learner = db.session.scalar(db.select(tokens.ApiToken.user_id))
    quiz_attempt = _started_attempt(app, learner)
    nested = "[" * depth + "]" * depth
    body = '{"seq": 1, "responses": {"q1": ' + nested + "}}"

    response = app.test_client().put(
        f"/api/v1/attempts/{quiz_attempt}/responses",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code in (400, 413)
    assert response.get_json()["error"] in ("invalid_json", "too_large")


def test_json_of_ordinary_depth_is_read(app, token):
    with app.app_context():
        learner = db.session.scalar(db.select(tokens.ApiToken.user_id))
    quiz_attempt = _started_attempt(app, learner)
    events = [{"t": 1, "type": "key", "data": {"a": [[["x"]]]}}]

    response = app.test_client().put(
        f"/api/v1/attempts/{quiz_attempt}/responses",
        json={"seq": 1, "responses": {}, "events": events},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 400  # a quiz keeps no events: read, then refused
    assert response.get_json()["error"] == "invalid"


def _started_attempt(app, user_id) -> int:
    from lms.attempts import services
    from lms.users.models import User

    with app.app_context():
        quiz = factories.quiz(2)
        attempt = services.start_attempt(db.session.get(User, user_id), quiz).attempt
        db.session.commit()
        return attempt.id


ODD_NUMBERS = (str(2**63), str(2**64), "99999999999999999999", "-3", "0", "1e9", "abc")


@pytest.fixture
def numeric_pages(app):
    """Pages that read numbers from their query string or form, each with the
    arguments it reads."""
    with app.app_context():
        mentee = factories.user()
        quiz = factories.bank_quiz(None)
        db.session.commit()
        quiz_id = quiz.id
        mentee_id = mentee.id
    return [
        ("GET", f"/mentoring/pair/{mentee_id}", "focus"),
        ("GET", "/reports/team", "team"),
        ("GET", "/reports/team/results", "team"),
        ("GET", "/reports/team/results", "person"),
        ("GET", "/reports/team/results", "assessment"),
        ("GET", "/reports/coverage", "skill"),
        ("GET", "/reports/coverage", "level"),
        ("GET", "/reports/exports/matrix.csv", "team"),
        ("GET", f"/manage/quizzes/{quiz_id}/add-questions", "question_id"),
        ("POST", f"/manage/quizzes/{quiz_id}/slots/questions", "question_id"),
    ]


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_numeric_arguments_take_any_value_without_a_500(
    app, admin, numeric_pages, value
):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["WTF_CSRF_ENABLED"] = False
    failures = []
    for method, path, name in numeric_pages:
        if method == "GET":
            response = admin.get(path, query_string={name: value})
        else:
            response = admin.post(path, data={name: [value, "1"]})
        if response.status_code >= 500:
            failures.append(f"{method} {path} {name}={value} → {response.status_code}")

    assert not failures, "\n".join(failures)


NUMERIC_ARGUMENTS = (
    "focus",
    "team",
    "person",
    "question_id",
    "skill",
    "level",
    "assessment",
)


@pytest.mark.parametrize("value", (str(2**64), "-3", "abc"))
def test_list_pages_take_odd_numeric_arguments_without_a_500(app, admin, value):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    odd = {name: value for name in NUMERIC_ARGUMENTS}
    failures = []
    for path in _list_pages(app):
        status = admin.get(path, query_string=odd).status_code
        if status >= 500:
            failures.append(f"{path} with {value} → {status}")

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_course_preview_refuses_json_nested_too_deep(app, admin, depth):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["WTF_CSRF_ENABLED"] = False
    nested = "[" * depth + "]" * depth
    body = '{"markdown": "x", "extra": ' + nested + "}"

    response = admin.post("/manage/preview", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"


def test_course_preview_reads_ordinary_json(app, admin):
    app.config["WTF_CSRF_ENABLED"] = False
    response = admin.post("/manage/preview", json={"markdown": "**hi**"})

    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.get_json()["html"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (str(2**31 - 1), 2**31 - 1),
        (str(2**31), None),
        (str(2**63), None),
        ("9" * 5000, None),
        ("0", None),
        ("-3", None),
        ("1e9", None),
        ("1_000", None),
        ("١٢", None),  # digits of another script
        ("", None),
        (None, None),
    ],
)
def test_ids_from_text_are_plain_numbers_a_database_holds(raw, expected):
    from lms.forms import to_int

    assert to_int(raw) == expected
