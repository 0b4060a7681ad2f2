"""A keying attempt saved without a keystroke record is unverified: the learner
sees why instead of a band; a trainer opens its evidence from the attempt list,
accepts it with a reason (a form with its CSRF token and the attempt's
version), and the learner's result then shows the band and who accepted it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lms.attempts import services as attempt_services
from lms.attempts.models import Attempt
from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e

SLUG = "unverified-records"
REASON = "Watched Lata key both records at the test desk."


@pytest.fixture
def unverified(live_server, server_clock):
    """The learner's attempt with every field right and no keystrokes saved."""
    with live_server.app.app_context():
        learner = factories.user(Role.LEARNER, name="Lata Learner")
        trainer = factories.user(Role.TRAINER, name="Tara Trainer")
        test = factories.record_entry_test(
            slug=SLUG, title="Unverified records", origin="file"
        )
        attempt = attempt_services.start_attempt(learner, test).attempt
        answers = {
            record["id"]: dict(record["values"])
            for record in attempt.snapshot["records"]
        }
        server_clock.advance(60)
        attempt_services.save_responses(attempt, 1, answers)
        attempt_services.submit_attempt(attempt)
        db.session.commit()
        assert attempt.result["validity"] == "unverified"
        return {"learner": learner.email, "trainer": trainer.email, "id": attempt.id}


def test_trainer_accepts_an_unverified_result(
    live_server, browser_page, sign_in, unverified
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    result_url = live_server(f"/keying/attempts/{unverified['id']}/result")

    sign_in(page, unverified["learner"], factories.PASSWORD)
    page.goto(result_url)
    expect(page.locator("[data-validity=unverified]")).to_have_text("Unverified")
    expect(page.get_by_text("No keystroke record was received")).to_be_visible()
    assert page.get_by_text("Band reached").count() == 0

    page.context.clear_cookies()
    sign_in(page, unverified["trainer"], factories.PASSWORD)
    page.goto(live_server(f"/keying/tests/{SLUG}/attempts"))
    row = page.locator(f"tr[data-attempt='{unverified['id']}']")
    expect(row.locator("[data-headline=unverified]")).to_have_text("Unverified")
    row.get_by_role("link", name="Evidence").click()

    accept = page.get_by_role("button", name="Accept this result")
    accept.click()  # no reason yet
    expect(page.get_by_text("Say what you checked")).to_be_visible()
    page.get_by_label("What you checked").fill(REASON)
    page.get_by_role("button", name="Accept this result").click()
    expect(page.get_by_text("Result accepted")).to_be_visible()
    expect(page.locator("[data-accepted]")).to_contain_text(REASON)

    page.context.clear_cookies()
    sign_in(page, unverified["learner"], factories.PASSWORD)
    page.goto(result_url)
    assert page.get_by_text("Band reached").count() == 1
    expect(page.locator("[data-band-explanation]")).to_be_visible()
    accepted = page.locator("[data-accepted]")
    expect(accepted).to_contain_text("Accepted by a trainer")
    expect(accepted).to_contain_text("Tara Trainer")
    expect(accepted).to_contain_text(REASON)
    assert errors == []

    with live_server.app.app_context():
        attempt = db.session.get(Attempt, unverified["id"])
        assert attempt.result["validity"] == "valid"
        assert attempt.result["accepted"]["reason"] == REASON
