"""Browser journey: a learner opens an assigned course, completes a module and sees
the progress bar move."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms import clock
from lms.extensions import db
from tests import factories

pytestmark = pytest.mark.e2e


def _progress_value(page) -> int:
    return int(
        page.get_by_role("progressbar", name="Course progress").get_attribute(
            "aria-valuenow"
        )
    )


def test_learner_completes_a_module_and_progress_moves(
    live_server, browser_page, sign_in
):
    page = browser_page
    with live_server.app.app_context():
        learner = factories.user("learner", email="asha@example.test", name="Asha Iyer")
        course = factories.course(title="Invoices and reconciliation", modules=4)
        factories.enrolment(
            learner, course, due_on=clock.now().date() + timedelta(days=7)
        )
        db.session.commit()

    sign_in(page, "asha@example.test", factories.PASSWORD)
    page.get_by_role("link", name="My learning").click()
    card = page.locator("[data-course]", has_text="Invoices and reconciliation")
    assert "Assigned" in card.inner_text()
    card.get_by_role("link", name="Invoices and reconciliation").click()
    assert _progress_value(page) == 0

    page.get_by_role("link", name="Start: Module 1").click()
    page.get_by_role("button", name="Mark as complete").click()

    page.get_by_text("“Module 1” marked complete.").wait_for()
    assert _progress_value(page) == 25
    page.get_by_role("link", name="Invoices and reconciliation").first.click()
    assert "1 of 4 modules complete" in page.content()
    page.get_by_role("link", name="My learning").first.click()
    bar = page.locator(
        "[data-course]", has_text="Invoices and reconciliation"
    ).get_by_role("progressbar")
    assert bar.get_attribute("aria-valuenow") == "25"
