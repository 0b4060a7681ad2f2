"""A learner keys a record-entry test in Chromium with the keyboard only: a
deliberate transposition, a blocked paste, a reload in the middle, submit; the
result names and marks the transposition and a trainer sees the paste flag."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lms.attempts.models import Attempt, KeystrokeChunk
from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e

SLUG = "known-records-e2e"
SWAPPED = "4820913"  # the source says 4820193
# Slow enough to be a person: the scorer refuses gross speeds above 30,000 KPH.
KEY_DELAY_MS = 140


@pytest.fixture
def people(live_server):
    with live_server.app.app_context():
        learner = factories.user(Role.LEARNER, name="Lata Learner")
        trainer = factories.user(Role.TRAINER, name="Tara Trainer")
        factories.record_entry_test(
            slug=SLUG, title="Known records", origin="file", time_limit_seconds=600
        )
        db.session.commit()
        return {"learner": learner.email, "trainer": trainer.email}


def visible_record(page):
    return page.locator("[data-keying-record]:visible")


def key_record(page, swap_account: bool) -> None:
    """Type every field of the visible record from its source, Tab between fields,
    Enter after the last one."""
    record = visible_record(page)
    values = record.locator("dd.keying-value").all_inner_texts()
    for i, value in enumerate(values):
        if swap_account and value == "4820193":
            value = SWAPPED
        page.keyboard.type(value, delay=KEY_DELAY_MS)
        page.keyboard.press("Tab" if i < len(values) - 1 else "Enter")


def test_learner_keys_a_record_test_and_trainer_sees_the_paste(
    live_server, browser_page, browser_context, sign_in, people
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"])

    sign_in(page, people["learner"], factories.PASSWORD)
    page.goto(live_server(f"/assessments/{SLUG}"))
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_url("**/keying/attempts/*")
    attempt_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    started = time.monotonic()
    progress = page.locator("[data-keying-progress]")
    assert progress.inner_text() == "Record 1 of 2"
    # The first field has the focus: the learner starts typing straight away.
    assert page.evaluate("document.activeElement.dataset.field") == "account_no"

    # Which record comes first is the attempt's draw; transpose 4820193 wherever it is.
    first_has_account = "4820193" in visible_record(page).inner_text()
    key_record(page, swap_account=first_has_account)
    assert progress.inner_text() == "Record 2 of 2"

    # A paste is blocked and logged, and the learner is told why.
    page.evaluate("navigator.clipboard.writeText('5512078')")
    page.keyboard.press("Control+V")
    assert page.evaluate("document.activeElement.value") == ""
    assert page.locator("[data-keying-blocked]").is_visible()

    # Reload before the second record: the first one is saved and comes back
    # from the server; the page opens at the record still to do.
    expect(page.locator("[data-keying-status]")).to_have_text(
        re.compile(r"^Saved"), timeout=15_000
    )
    page.reload()
    assert page.locator("[data-keying-progress]").inner_text() == "Record 2 of 2"
    page.get_by_role("button", name="Previous record").click()
    first_values = [
        page.locator(f"#{i.get_attribute('id')}").input_value()
        for i in visible_record(page).locator(".keying-input").all()
    ]
    assert first_values[0] in ("4820193", SWAPPED, "5512078")
    assert all(first_values)
    page.keyboard.press("PageDown")  # to the next record, focus on its first field
    assert page.locator("[data-keying-progress]").inner_text() == "Record 2 of 2"
    key_record(page, swap_account=not first_has_account)

    # A score needs at least 15 s of work (8 fields are fewer than 10 items).
    page.wait_for_timeout(max(0, 16 - (time.monotonic() - started)) * 1000)

    # Enter after the last field lands on Submit; the dialog is keyboard-operable.
    assert page.evaluate("document.activeElement.textContent.trim()") == "Submit test"
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Submit now")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/keying/attempts/{attempt_id}/result")

    # The result names the transposition and marks the two swapped digits.
    row = page.locator("tr[data-field$=':account_no']")
    assert row.locator(".keying-error-name").inner_text() == "Transposition"
    mark = row.locator("mark")
    # The two swapped digits as typed, with the same said in words for screen readers.
    assert mark.text_content() == "[swapped, source 19, typed: 91]"
    assert mark.locator(".visually-hidden").count() == 2
    assert page.locator(".kdiff-legend").is_visible()
    assert page.get_by_text("Band reached").count() == 1  # a valid, scored attempt
    assert errors == []

    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == "submitted" and attempt.result["validity"] == "valid"
        codes = [f["code"] for f in attempt.flags]
        assert "paste_attempt" in codes and "replay_mismatch" not in codes
        assert db.session.scalar(
            sa.select(sa.func.count()).where(KeystrokeChunk.attempt_id == attempt_id)
        )

    # The trainer sees the paste flag on the list and its evidence.
    page.context.clear_cookies()
    sign_in(page, people["trainer"], factories.PASSWORD)
    page.goto(live_server(f"/keying/tests/{SLUG}/attempts"))
    badge = page.locator(f"tr[data-attempt='{attempt_id}'] [data-flag=paste_attempt]")
    assert badge.inner_text() == "Paste attempt"
    page.get_by_role("link", name="Evidence").first.click()
    evidence = page.locator("[data-flag=paste_attempt]")
    assert "1 blocked paste or drop attempt" in evidence.inner_text()
    assert "Record 2 · Account number" in evidence.inner_text()


def test_offline_work_survives_a_reload_and_time_up_submits(
    live_server, browser_page, sign_in, people
):
    """Typing while offline is kept in the browser, sent after a reload once the
    connection is back, and the attempt submits itself when the clock hits zero."""
    with live_server.app.app_context():
        factories.record_entry_test(
            slug="short-records", title="Short records", time_limit_seconds=20
        )
        db.session.commit()
    page = browser_page
    sign_in(page, people["learner"], factories.PASSWORD)
    page.goto(live_server("/assessments/short-records"))
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_url("**/keying/attempts/*")
    attempt_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    field = page.locator("[data-keying-record]:visible .keying-input").nth(1)
    item = field.get_attribute("data-item")

    # Saves cannot reach the server (as when the network drops) while pages still
    # load, so the reload below must restore the typing from the browser's copy,
    # not from the server; a real offline reload would show the browser's error page.
    saves = "**/api/v1/attempts/*/responses"
    page.route(saves, lambda route: route.abort("internetdisconnected"))
    field.click()
    page.keyboard.type("Meera", delay=KEY_DELAY_MS)
    expect(page.locator("[data-keying-offline]")).to_be_visible(timeout=10_000)
    page.reload()
    field = page.locator(f"[data-item='{item}'][data-field='name']")
    expect(field).to_have_value("Meera")
    page.unroute(saves)
    expect(page.locator("[data-keying-status]")).to_have_text(
        re.compile(r"^Saved"), timeout=10_000
    )
    with live_server.app.app_context():
        from lms.attempts import services as attempt_services

        attempt = db.session.get(Attempt, attempt_id)
        assert attempt_services.responses_for(attempt)[item]["name"] == "Meera"

    # Nobody presses Submit: at 0:00 the page submits and shows the result.
    page.wait_for_url(f"**/keying/attempts/{attempt_id}/result", timeout=30_000)
    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == "submitted"
        names = [f["typed"] for r in attempt.result["items"] for f in r["fields"]]
        assert "Meera" in names
        assert "replay_mismatch" not in [f["code"] for f in attempt.flags]
