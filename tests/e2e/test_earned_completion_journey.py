"""Browser journey: a compliance module's "Mark as complete" is earned. The button
starts disabled with the time left, keeps the clock across a reload, and enables
itself without a reload once the reading time has passed on the server's clock and
the learner has scrolled to the end of the text."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lms import clock
from lms.courses.models import ModuleProgress
from lms.extensions import db
from tests import factories
from tests.courses.earned_builders import earned_course, module_ids

pytestmark = pytest.mark.e2e

# 400 words over 40 paragraphs: taller than the window, 60 s at 50 %.
TALL_TEXT = "\n\n".join(" ".join(f"word{p}" for _ in range(10)) for p in range(40))


def _end_reached(app, module_id: int):
    with app.app_context():
        return db.session.scalar(
            sa.select(ModuleProgress.end_reached_at).where(
                ModuleProgress.module_id == module_id
            )
        )


def test_mark_as_complete_enables_itself_once_earned(
    live_server, browser_page, sign_in, server_clock
):
    page = browser_page
    with live_server.app.app_context():
        learner = factories.user("learner", email="asha@example.test", name="Asha Iyer")
        course = earned_course(
            slug="data-protection", percent=50, end=True, body_md=TALL_TEXT
        )
        first = module_ids(course)[0]
        factories.enrolment(
            learner, course, due_on=clock.now().date() + timedelta(days=7)
        )
        db.session.commit()

    sign_in(page, "asha@example.test", factories.PASSWORD)
    page.goto(live_server(f"/courses/data-protection/modules/{first}"))
    button = page.get_by_role("button", name="Mark as complete")
    status = page.locator("#reading-status-text")

    expect(button).to_be_disabled()
    expect(status).to_contain_text("You can mark this complete in 1 min")
    expect(status).to_contain_text("once you have read to the end")
    assert button.get_attribute("aria-describedby") == "reading-status-text"
    assert _end_reached(live_server.app, first) is None

    # Almost a minute later on the server's clock; a reload keeps the first opening.
    server_clock.advance(57)
    page.reload()
    expect(status).to_contain_text(" s, once you have read to the end")
    expect(button).to_be_disabled()

    page.locator("[data-module-end]").scroll_into_view_if_needed()
    expect(button).to_be_enabled(timeout=10_000)
    expect(status).to_have_text("You can mark this module complete now.")
    expect(page.get_by_role("status").filter(has_text="complete now")).to_have_count(1)
    assert _end_reached(live_server.app, first) is not None

    button.click()
    page.get_by_text("“Lesson 1” marked complete.").wait_for()
