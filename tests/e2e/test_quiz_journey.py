"""A learner takes a quiz in Chromium through a network drop, a reload and submit."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.attempts.models import Attempt, Response
from lms.extensions import db
from tests import factories

pytestmark = pytest.mark.e2e

TITLE = "Keyboard basics check"
ORDER = ["Read the source", "Key the record", "Verify critical fields"]
QUESTIONS = [
    {
        "id": "home",
        "type": "single",
        "prompt": "Which key does the right index finger rest on?",
        "choices": [
            {"text": "F", "correct": False},
            {"text": "J", "correct": True},
            {"text": "K", "correct": False},
        ],
    },
    {
        "id": "checks",
        "type": "multiple",
        "prompt": "Which checks catch transposed digits?",
        "choices": [
            {"text": "Check digits", "correct": True},
            {"text": "Spell check", "correct": False},
            {"text": "Control totals", "correct": True},
        ],
    },
    {
        "id": "saved",
        "type": "truefalse",
        "prompt": "A saved record is a checked record.",
        "answer": False,
    },
    {
        "id": "word",
        "type": "short",
        "prompt": "Type the word *ledger*.",
        "answers": ["ledger"],
    },
    {
        "id": "sum",
        "type": "numeric",
        "prompt": "What is 1,200 + 50.50?",
        "answer": 1250.5,
        "units": "INR",
    },
    {"id": "steps", "type": "ordering", "prompt": "Order the steps.", "items": ORDER},
]
SHOTS = os.environ.get("LMS_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def learner_and_quiz(live_server):
    with live_server.app.app_context():
        learner = factories.user(email="asha@example.test", name="Asha Rao")
        quiz = factories.quiz(
            QUESTIONS,
            title=TITLE,
            settings={"questions_per_page": 3, "pass_percent": 80},
            time_limit_seconds=900,
        )
        db.session.commit()
        return learner.email, quiz.slug


def _status(page):
    return page.locator("[data-save-text]")


def _order(page) -> list[str]:
    return page.locator("[data-ordering] .ordering-text").all_inner_texts()


def _put_in_order(page) -> None:
    for position, text in enumerate(ORDER):
        while _order(page).index(text) > position:
            page.get_by_role("button", name=f"Move up: {text}").click()


def _saved_responses(live_server) -> dict:
    with live_server.app.app_context():
        rows = db.session.execute(sa.select(Response.item_id, Response.value)).all()
        return dict(rows)


def test_quiz_survives_a_network_drop_and_a_reload(
    live_server, browser_page, browser_context, sign_in, learner_and_quiz
):
    from playwright.sync_api import expect

    email, slug = learner_and_quiz
    page = browser_page
    sign_in(page, email, factories.PASSWORD)

    page.goto(live_server("/assessments"))
    page.get_by_role("link", name=f"Start {TITLE}").click()
    page.get_by_role("button", name="Start attempt 1").click()
    page.wait_for_url(re.compile(r"/attempts/\d+"))
    expect(_status(page)).to_have_text("Saved ✓")
    _shot(page, "take-page-1")

    page.get_by_label("J", exact=True).check()
    page.get_by_label("Check digits").check()
    page.get_by_label("Control totals").check()
    page.get_by_label("False").check()
    expect(_status(page)).to_have_text("Saved ✓")
    assert _saved_responses(live_server)["saved"] is False

    browser_context.set_offline(True)
    page.get_by_role("button", name="Next page").click()
    page.get_by_label("Your answer", exact=True).fill("ledger")
    page.get_by_label("Your answer (in INR)").fill("₹ 1,250.50")
    _put_in_order(page)
    expect(_status(page)).to_have_text(re.compile(r"Offline — \d answers? waiting"))
    _shot(page, "take-page-2-offline")
    assert "word" not in _saved_responses(live_server)

    browser_context.set_offline(False)
    expect(_status(page)).to_have_text("Saved ✓", timeout=20_000)
    saved = _saved_responses(live_server)
    assert saved["word"] == "ledger" and saved["sum"] == "₹ 1,250.50"

    page.reload()
    expect(page.get_by_label("J", exact=True)).to_be_checked()
    expect(page.get_by_label("Check digits")).to_be_checked()
    expect(page.get_by_label("Spell check")).not_to_be_checked()
    expect(page.get_by_label("Control totals")).to_be_checked()
    expect(page.get_by_label("False")).to_be_checked()
    expect(page.get_by_label("Your answer", exact=True)).to_have_value("ledger")
    expect(page.get_by_label("Your answer (in INR)")).to_have_value("₹ 1,250.50")
    assert _order(page) == ORDER

    page.get_by_role("button", name="Submit attempt").click()
    confirm = page.get_by_role("dialog", name="Submit your attempt?")
    expect(confirm).to_contain_text("You cannot change your answers after you submit.")
    _shot(page, "submit-confirmation")
    confirm.get_by_role("button", name="Submit now").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/result"))
    expect(page.get_by_role("heading", name="Review of your answers")).to_be_visible()
    expect(page.get_by_text("Passed")).to_be_visible()
    _shot(page, "result-page")
    with live_server.app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert attempt.state == "submitted" and attempt.percent == 100


def test_answers_kept_on_the_device_are_sent_when_the_page_comes_back(
    live_server, browser_page, browser_context, sign_in, learner_and_quiz
):
    from playwright.sync_api import expect

    email, slug = learner_and_quiz
    page = browser_page
    sign_in(page, email, factories.PASSWORD)
    page.goto(live_server(f"/assessments/{slug}"))
    page.get_by_role("button", name="Start attempt 1").click()
    page.wait_for_url(re.compile(r"/attempts/\d+"))
    take_url = page.url
    expect(_status(page)).to_have_text("Saved ✓")

    browser_context.set_offline(True)
    page.get_by_label("K", exact=True).check()
    expect(_status(page)).to_have_text("Offline — 1 answer waiting")
    page.close()  # the tab is gone; the answer is only in localStorage
    assert _saved_responses(live_server) == {}

    browser_context.set_offline(False)
    page = browser_context.new_page()
    page.goto(take_url)
    expect(page.get_by_label("K", exact=True)).to_be_checked()
    expect(_status(page)).to_have_text("Saved ✓")
    assert len(_saved_responses(live_server)) == 1


def test_the_page_submits_by_itself_when_time_runs_out(
    live_server, browser_page, sign_in
):
    from playwright.sync_api import expect

    with live_server.app.app_context():
        factories.user(email="ravi@example.test")
        slug = factories.quiz(
            QUESTIONS[:2], title="Speed round", time_limit_seconds=4
        ).slug
        db.session.commit()
    page = browser_page
    sign_in(page, "ravi@example.test", factories.PASSWORD)
    page.goto(live_server(f"/assessments/{slug}"))
    page.get_by_role("button", name="Start attempt 1").click()
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    page.get_by_label("J", exact=True).check()

    page.wait_for_url(re.compile(r"/attempts/\d+/result"), timeout=15_000)

    expect(page.get_by_text("1 / 2")).to_be_visible()
    with live_server.app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert attempt.state == "submitted" and attempt.finalized_by == "learner"
        assert attempt.submitted_at <= attempt.deadline_at + timedelta(seconds=2)
