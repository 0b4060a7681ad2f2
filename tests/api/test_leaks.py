"""Answer keys never reach the learner before finalisation: not in the API's JSON,
not in the take page's HTML, not after a save or a resume."""

from __future__ import annotations

import json
import re

import pytest

from lms.attempts.models import Attempt
from lms.extensions import db
from tests import factories

SECRETS = {
    "choice_feedback": [
        "CHOICE-FB-RIGHT-3141",
        "CHOICE-FB-WRONG-2718",
        "MULTI-FB-1618",
    ],
    "general_feedback": ["GENERAL-FB-4242"],
    "outcome_feedback": ["WELL-DONE-7777", "NOT-QUITE-5555"],
    "accepted_answers": ["ZEBRA-ACCEPTED-91", "OKAPI-ALSO-17"],
    "numeric_answer": ["987654.321", "987654"],
}
ORDER = ["Alpha step", "Bravo step", "Charlie step", "Delta step"]
KEY_NAMES = {
    "correct",
    "answer",
    "answers",
    "tolerance",
    "feedback",
    "correct_feedback",
    "incorrect_feedback",
    "choice_feedback",
    "penalty",
    "case_sensitive",
}


def _questions():
    return [
        {
            "id": "single",
            "type": "single",
            "prompt": "Pick one.",
            "feedback": "GENERAL-FB-4242",
            "correct_feedback": "WELL-DONE-7777",
            "incorrect_feedback": "NOT-QUITE-5555",
            "choices": [
                {"text": "Yes", "correct": True, "feedback": "CHOICE-FB-RIGHT-3141"},
                {"text": "No", "correct": False, "feedback": "CHOICE-FB-WRONG-2718"},
            ],
        },
        {
            "id": "multi",
            "type": "multiple",
            "prompt": "Pick some.",
            "penalty": 0.5,
            "choices": [
                {"text": "A", "correct": True, "feedback": "MULTI-FB-1618"},
                {"text": "B", "correct": True},
                {"text": "C", "correct": False},
            ],
        },
        {"id": "tf", "type": "truefalse", "prompt": "True?", "answer": True},
        {
            "id": "short",
            "type": "short",
            "prompt": "Name it.",
            "answers": ["ZEBRA-ACCEPTED-91", "OKAPI-ALSO-17"],
            "case_sensitive": True,
        },
        {
            "id": "num",
            "type": "numeric",
            "prompt": "How much?",
            "answer": 987654.321,
            "tolerance": 0.004,
            "units": "INR",
        },
        {"id": "order", "type": "ordering", "prompt": "Order them.", "items": ORDER},
    ]


@pytest.fixture
def secret_quiz(app, login):
    with app.app_context():
        learner = factories.user()
        quiz = factories.quiz(
            _questions(), settings={"questions_per_page": 2, "shuffle_questions": True}
        )
        db.session.commit()
        return login(learner), quiz.slug


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def _assert_no_secrets(text: str, where: str) -> None:
    for kind, values in SECRETS.items():
        for value in values:
            assert value not in text, f"{kind} {value!r} leaked into {where}"


def _assert_clean_json(body, where: str) -> None:
    _assert_no_secrets(json.dumps(body, ensure_ascii=False), where)
    leaked = KEY_NAMES & set(_keys(body))
    assert not leaked, f"{where} has key fields {leaked}"


def _ordering_texts(items):
    order = next(i for i in items if i["id"] == "order")
    return [entry["text"] for entry in order["items"]]


def test_the_snapshot_holds_the_key_the_learner_never_sees(app, secret_quiz):
    client, slug = secret_quiz

    started = client.post(f"/api/v1/assessments/{slug}/attempts").get_json()
    attempt_id = started["id"]
    items = started["items"]
    answers = {
        "single": items[[i["id"] for i in items].index("single")]["choices"][0]["id"],
        "short": "zebra",
        "num": "12",
    }
    saved = client.put(
        f"/api/v1/attempts/{attempt_id}/responses",
        json={"seq": 1, "responses": answers},
    ).get_json()
    resumed = client.post(f"/api/v1/assessments/{slug}/attempts").get_json()
    read = client.get(f"/api/v1/attempts/{attempt_id}").get_json()
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)

    with app.app_context():
        snapshot = json.dumps(db.session.get(Attempt, attempt_id).snapshot)
    for values in SECRETS.values():  # the test would be vacuous otherwise
        assert all(value in snapshot for value in values)

    for where, body in [
        ("start", started),
        ("save", saved),
        ("resume", resumed),
        ("get", read),
    ]:
        _assert_clean_json(body, where)
    _assert_no_secrets(page, "the take page")
    assert not re.search(r"correct[\"'=:]", page, re.IGNORECASE)
    assert not re.search(r"data-(answer|key|right)", page)
    assert _ordering_texts(started["items"]) != ORDER
    positions = [page.index(text) for text in ORDER]
    assert positions != sorted(positions), "the ordering items are in the right order"


def test_the_no_script_form_post_page_has_no_key_either(secret_quiz):
    client, slug = secret_quiz
    attempt_id = client.post(f"/api/v1/assessments/{slug}/attempts").get_json()["id"]

    client.post(
        f"/attempts/{attempt_id}/submit", data={"action": "save", "q-short": "x"}
    )
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)

    _assert_no_secrets(page, "the take page after a form save")
