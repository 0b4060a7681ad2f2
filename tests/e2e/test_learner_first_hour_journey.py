"""Browser journey: a learner's first hour with keying tests.

Lata keys a few amounts of the 10-key test in Chromium and submits; she also
has a records test saved without a keystroke record (unverified). Her
dashboard's latest results and her "My attempts" pages show the figures of
every finished attempt — speed, accuracy and the band, or the verdict with its
reason — never a bare "—". axe-core checks every page on the way
(tests/e2e/accessibility.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lms.attempts import services as attempt_services
from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e

TEN_KEY = "ten-key-amounts"
RECORDS = "first-hour-records"
KEY_DELAY_MS = 140  # a person's pace: the scorer refuses speeds beyond a human
WORKING_SECONDS = 60  # the minimum time a score needs, passed on the server clock
FIGURES = re.compile(r"net KPH · [\d.,]+ % accuracy · \S")


@pytest.fixture
def lata(live_server, server_clock) -> str:
    """A learner with the 10-key test to take and an unverified records attempt."""
    with live_server.app.app_context():
        learner = factories.user(Role.LEARNER, name="Lata Learner")
        factories.bundled_keying_test(
            TEN_KEY, title="10-key basics", settings={"min_attempted_share": 0.1}
        )
        records = factories.record_entry_test(slug=RECORDS, title="Records check")
        attempt = attempt_services.start_attempt(learner, records).attempt
        answers = {r["id"]: dict(r["values"]) for r in attempt.snapshot["records"]}
        server_clock.advance(WORKING_SECONDS)
        attempt_services.save_responses(attempt, 1, answers)  # no keystrokes
        attempt_services.submit_attempt(attempt)
        db.session.commit()
        assert attempt.result["validity"] == "unverified"
        return learner.email


def _key_five_amounts(page) -> None:
    entries = page.locator("[data-keying-entry]")
    expect(page.get_by_label("Amount 1 of 40", exact=True)).to_be_focused()
    for i in range(5):
        value = entries.nth(i).locator(".keying-entry-value").inner_text().strip()
        page.keyboard.type(value, delay=KEY_DELAY_MS)
        page.keyboard.press("Enter")


def _result_cells(rows) -> dict[str, str]:
    """Assessment title -> the text of its result cell, for the dashboard's table."""
    out = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        out[cells.first.inner_text().strip()] = cells.last.inner_text().strip()
    return out


def test_every_finished_keying_attempt_shows_its_figures_on_the_dashboard_and_history(
    live_server, browser_page, sign_in, lata, server_clock
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, lata, factories.PASSWORD)

    page.get_by_role("link", name="Assessments", exact=True).first.click()
    page.get_by_role("link", name="10-key basics").first.click()
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_url("**/keying/attempts/*")
    _key_five_amounts(page)
    server_clock.advance(WORKING_SECONDS)
    page.get_by_role("button", name="Submit test").click()
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url("**/result")

    page.get_by_role("link", name="Back Office Academy").click()
    latest = page.get_by_role("table", name="Your latest results")
    results = _result_cells(latest.locator("tbody tr"))
    assert set(results) == {"10-key basics", "Records check"}
    assert FIGURES.search(results["10-key basics"]), results
    assert "Unverified" in results["Records check"]
    assert "—" not in results.values()

    page.get_by_role("link", name="Assessments", exact=True).first.click()
    page.get_by_role("link", name="My attempts at 10-key basics").click()
    expect(page.get_by_role("heading", name="My attempts")).to_be_visible()
    ten_key = page.get_by_role("table", name="Your attempts, newest first")
    expect(ten_key.locator("tbody tr")).to_have_count(1)
    assert FIGURES.search(ten_key.locator("tbody tr td").nth(3).inner_text())

    page.goto(live_server(f"/assessments/{RECORDS}/attempts"))
    records = page.get_by_role("table", name="Your attempts, newest first")
    verdict = records.locator("[data-headline=unverified]")
    expect(verdict).to_have_text("Unverified")
    assert verdict.get_attribute("title")  # the reason, also read out
    assert errors == []
