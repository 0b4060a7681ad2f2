"""The attempt client in Chromium when things go wrong: the server answers a
save with 503 "busy" (quiz and 10-key), and a 10-key learner's Num Lock is off."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from lms.attempts import services as attempt_services
from lms.attempts.models import Attempt
from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e

SAVES = "**/api/v1/attempts/*/responses"
KEY_DELAY_MS = 140  # a person's pace: the scorer refuses inhuman speeds
RETRY_AFTER_S = 3
BUSY = json.dumps({"error": "busy", "message": "The database is busy. Try again."})


class BusyOnce:
    """A Playwright route handler: the first save gets 503 + Retry-After, the
    rest reach the server. Remembers when each save left the page."""

    def __init__(self) -> None:
        self.sent_at: list[float] = []

    def __call__(self, route) -> None:
        self.sent_at.append(time.monotonic())
        if len(self.sent_at) == 1:
            route.fulfill(
                status=503,
                headers={"Retry-After": str(RETRY_AFTER_S)},
                content_type="application/json",
                body=BUSY,
            )
        else:
            route.continue_()

    def waited_before_retrying(self) -> float:
        return self.sent_at[1] - self.sent_at[0]


@pytest.fixture
def learner(live_server):
    with live_server.app.app_context():
        person = factories.user(Role.LEARNER, name="Lata Learner")
        factories.bundled_keying_test("ten-key-amounts")
        db.session.commit()
        return person.email


def start(page, live_server, sign_in, email: str, slug: str) -> int:
    sign_in(page, email, factories.PASSWORD)
    page.goto(live_server(f"/assessments/{slug}"))
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_url(re.compile(r"/attempts/\d+(#.*)?$"))
    return int(re.search(r"/attempts/(\d+)", page.url).group(1))


def stored(live_server, attempt_id: int) -> tuple[Attempt, dict, list]:
    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        db.session.expunge(attempt)
        responses = attempt_services.responses_for(attempt)
        events = attempt_services.events_for(attempt)
        return attempt, responses, events


def test_a_busy_server_delays_the_quiz_save_and_loses_no_answer(
    live_server, browser_page, sign_in, learner
):
    with live_server.app.app_context():
        slug = factories.quiz(
            [
                factories.question("single"),
                factories.question("short"),
                factories.question("truefalse"),
            ],
            title="Busy day",
            time_limit_seconds=600,
        ).slug
        db.session.commit()
    page = browser_page
    attempt_id = start(page, live_server, sign_in, learner, slug)
    status = page.locator("[data-save-text]")
    expect(status).to_have_text("Saved ✓")
    busy = BusyOnce()
    page.route(SAVES, busy)

    def question(qtype: str):
        return page.locator(f"fieldset.question[data-type={qtype}]")

    question("single").locator("input[type=radio]").first.check()
    expect(status).to_have_text("Offline — 1 answer waiting")
    # While the server asked for quiet, another answer waits with the first.
    question("short").locator("input[type=text]").fill("ledger")
    expect(status).to_have_text("Offline — 2 answers waiting")
    expect(status).to_have_text("Saved ✓", timeout=10_000)
    assert busy.waited_before_retrying() >= RETRY_AFTER_S - 0.1

    question("truefalse").locator("input[type=radio]").first.check()
    short_id = question("short").get_attribute("data-item-id")
    page.get_by_role("button", name="Submit attempt").click()
    confirm = page.get_by_role("dialog", name="Submit your attempt?")
    confirm.get_by_role("button", name="Submit now").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/result"))

    attempt, responses, _ = stored(live_server, attempt_id)
    assert attempt.state == "submitted"
    assert len(responses) == 3 and responses[short_id] == "ledger"


def test_a_busy_server_delays_ten_key_saves_and_loses_no_keystroke(
    live_server, browser_page, sign_in, learner, server_clock
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    attempt_id = start(page, live_server, sign_in, learner, "ten-key-amounts")
    busy = BusyOnce()
    page.route(SAVES, busy)
    entries = page.locator("[data-keying-entry]")
    sources = [
        entries.nth(i).locator(".keying-entry-value").inner_text().strip()
        for i in range(4)
    ]
    items = [
        entries.nth(i).locator("input").get_attribute("data-item") for i in range(4)
    ]

    # The first autosave (within 4 s of opening) is answered 503.
    page.keyboard.type(sources[0], delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")
    offline = page.locator("[data-keying-offline]")
    expect(offline).to_be_visible(timeout=10_000)
    expect(page.locator("[data-keying-status]")).to_have_text(
        "Offline: your entries are kept in this browser."
    )
    for value in sources[1:]:
        page.keyboard.type(value, delay=KEY_DELAY_MS)
        page.keyboard.press("Enter")
    expect(page.locator("[data-keying-status]")).to_have_text(
        re.compile(r"^Saved \d"), timeout=10_000
    )
    expect(offline).to_be_hidden()
    assert busy.waited_before_retrying() >= RETRY_AFTER_S - 0.1

    server_clock.advance(40)  # a score needs 15 s of work
    page.get_by_role("button", name="Submit test").click()
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url(f"**/keying/attempts/{attempt_id}/result")

    attempt, responses, events = stored(live_server, attempt_id)
    assert attempt.state == "submitted"
    assert [responses.get(item) for item in items] == sources
    assert len([value for value in responses.values() if value]) == len(sources)
    # Every keystroke arrived once: none lost to the 503, none doubled by the retry.
    keys = [e["key"] for e in events if e["type"] == "key"]
    assert keys == [k for value in sources for k in [*value, "Enter"]]
    codes = {flag["code"] for flag in attempt.flags}
    assert not codes & {"replay_mismatch", "no_keystroke_log", "keyless_input"}
    assert errors == []


def test_ten_key_warns_when_num_lock_is_off_and_logs_the_keys(
    live_server, browser_page, sign_in, learner
):
    page = browser_page
    attempt_id = start(page, live_server, sign_in, learner, "ten-key-amounts")
    first = page.get_by_label("Amount 1 of 40", exact=True)
    expect(first).to_be_focused()
    warning = page.get_by_role("alert").filter(has_text="Num Lock looks off")
    expect(warning).to_be_hidden()

    # Keypad 1 with Num Lock off: the browser reports End from the keypad.
    first.dispatch_event("keydown", {"key": "End", "code": "Numpad1", "location": 3})
    expect(warning).to_be_visible()
    expect(warning).to_have_text(
        "Num Lock looks off: turn it on to type digits on the keypad."
    )
    # Beside the box the learner is typing in.
    expect(entries_with(page, first).locator("[data-keying-numlock]")).to_be_visible()

    # Keypad digits again: Num Lock is on, the warning goes.
    first.dispatch_event("keydown", {"key": "1", "code": "Numpad1", "location": 3})
    expect(warning).to_be_hidden()

    expect(page.locator("[data-keying-status]")).to_have_text(
        re.compile(r"^Saved \d"), timeout=10_000
    )
    _, _, events = stored(live_server, attempt_id)
    keys = [
        (e["key"], e["code"], e.get("location")) for e in events if e["type"] == "key"
    ]
    assert keys == [("End", "Numpad1", 3), ("1", "Numpad1", 3)]


def entries_with(page, box):
    return page.locator("[data-keying-entry]").filter(has=box)
