"""Browser journey: a manager assigns a keying test with a due date and gives
feedback on a learner's result; the learner is told, replies and acknowledges,
and the manager's list of unacknowledged feedback empties."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from lms import clock
from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("LMS_JOURNEY_SCREENSHOTS")  # a folder, to look at the pages


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_assign_give_feedback_reply_and_acknowledge(live_server, browser_page, sign_in):
    page = browser_page
    with live_server.app.app_context():
        manager = factories.user(
            Role.MANAGER, email="maya@example.test", name="Maya Manager"
        )
        team = factories.team("Claims", manager=manager)
        factories.user(email="lena@example.test", name="Lena Learner", team=team)
        factories.user(name="Mateo Mate", team=team)
        learner = factories.user(
            email="arjun@example.test", name="Arjun Rao", team=team
        )
        factories.bundled_keying_test("ten-key-amounts", title="10-key basics")
        quiz = factories.quiz(2, title="Lookups check")
        factories.quiz_attempt(learner, quiz)
        db.session.commit()
    due = (clock.now().date() + timedelta(days=7)).isoformat()

    sign_in(page, "maya@example.test", factories.PASSWORD)
    page.goto(live_server("/assessments/ten-key-amounts"))
    page.get_by_role("link", name="Assign “10-key basics” to people or a team").click()
    page.get_by_label("Find people").fill("arjun")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Arjun Rao").check()
    page.get_by_label("Due date").fill(due)
    _shot(page, "01-assign")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("“10-key basics” assigned to 1 person.").wait_for()
    _shot(page, "02-assigned")

    page.goto(live_server("/assignments"))
    row = page.locator("[data-assessment]", has_text="10-key basics")
    assert row.locator("td").nth(2).inner_text() == "1"  # assigned
    _shot(page, "03-status")

    with live_server.app.app_context():
        from lms.attempts.models import Attempt

        attempt_id = db.session.query(Attempt.id).scalar()
    page.goto(live_server(f"/attempts/{attempt_id}/result"))
    page.get_by_role("link", name="Give feedback on this attempt").click()
    page.get_by_label("A strength").fill("Every lookup was right.")
    page.get_by_label("One thing to improve").fill("Read the question twice.")
    _shot(page, "04-give")
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Feedback sent to Arjun Rao.").wait_for()
    _shot(page, "05-result-with-feedback")

    page.context.clear_cookies()
    sign_in(page, "arjun@example.test", factories.PASSWORD)
    bell = page.get_by_role("link", name="Notifications 2 unread")
    bell.click()
    _shot(page, "06-notifications")
    page.get_by_role(
        "button", name="New feedback from Maya Manager on “Lookups check”", exact=True
    ).click()
    page.get_by_label("Your reply").fill("Thank you, I will.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply sent.").wait_for()
    assert page.get_by_label("Your reply").count() == 0
    page.get_by_role("button", name="Acknowledge").first.click()
    page.get_by_text("Feedback acknowledged.").wait_for()
    _shot(page, "07-my-feedback")
    page.get_by_role("link", name="My learning").click()
    assigned = page.locator("[data-assigned-assessment]", has_text="10-key basics")
    assert "To do" in assigned.inner_text()
    _shot(page, "08-my-learning")

    page.context.clear_cookies()
    sign_in(page, "maya@example.test", factories.PASSWORD)
    _shot(page, "08b-manager")
    page.get_by_role("link", name="Notifications 1 unread").click()
    assert "Arjun Rao replied to your feedback" in page.content()
    page.goto(live_server("/feedback/team"))
    page.get_by_text("Everything is acknowledged").wait_for()
    _shot(page, "09-team")
