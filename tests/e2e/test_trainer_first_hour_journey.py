"""A new trainer's first hour, in the browser, on the bundled content: she copies
a bundled quiz into an editable draft of her own, adds a bundled question from
the bank, writes a new question in place, previews the quiz and checks answers,
and previews a keying test — and no preview stores an attempt. Every page is
also checked by axe-core (tests/e2e/conftest.py); the previews are looked at on
a phone too."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lms.attempts.models import Assessment, Attempt
from lms.config import PROJECT_ROOT
from lms.content.importer import import_content
from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e

TRAINER = "neha.new@example.test"
BUNDLED_QUIZ = "Invoices and reconciliation check"
KEYING_TEST = "Customer record entry"
NEW_PROMPT = "A supplier statement is the bank's record of the account."
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def content(live_server):
    """The bundled courses, quizzes and question banks, and a trainer who just
    joined (she owns nothing yet)."""
    with live_server.app.app_context():
        import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
        factories.user(Role.TRAINER, email=TRAINER, name="Neha New")
        db.session.commit()


@pytest.fixture
def page(browser_page):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_page.set_viewport_size({"width": 1366, "height": 900})
    yield browser_page
    assert errors == []


def _attempts(live_server) -> int:
    with live_server.app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Attempt))


def _fits_the_screen(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def test_a_new_trainer_builds_and_previews_her_first_quiz(
    page, live_server, sign_in, content
):
    sign_in(page, TRAINER, factories.PASSWORD)

    # A bundled quiz, read-only, becomes a draft of her own.
    page.goto(live_server("/manage/quizzes"))
    page.get_by_role("link", name=BUNDLED_QUIZ, exact=True).click()
    page.get_by_role("button", name="Make an editable copy").click()
    page.get_by_text("is your editable copy").wait_for()
    copy_url = page.url
    assert page.get_by_role("link", name="Write a new question").is_visible()
    rows_before = page.locator("#slot-table tbody tr").count()

    # A bundled question from the bank, found with the From files filter.
    page.get_by_role("link", name="Add questions from the bank").click()
    page.get_by_label("From files").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"files=1"))
    assert page.locator("tbody .badge", has_text="From files").count() > 0
    first_free = page.locator("tbody input[name=question_id]").first
    first_free.check()
    page.get_by_role("button", name="Add ticked questions").click()
    page.get_by_text("Added 1 question").wait_for()
    assert page.locator("#slot-table tbody tr").count() == rows_before + 1

    # A new question written in place, keyboard first.
    page.get_by_role("link", name="Write a new question").click()
    page.get_by_role("link", name="True/false").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Question text").fill(NEW_PROMPT)
    page.get_by_label("False").check()
    page.get_by_role("button", name="Save and add to the quiz").click()
    page.get_by_text(re.compile("is written and added to")).wait_for()
    assert page.url.startswith(copy_url)
    assert page.locator("#slot-table tbody tr").count() == rows_before + 2
    with live_server.app.app_context():
        mine = db.session.scalars(
            sa.select(Assessment).where(Assessment.owner_id.is_not(None))
        ).one()
        assert mine.title.startswith(BUNDLED_QUIZ) and not mine.is_published

    # The quiz as a learner sees it; checking answers stores nothing.
    attempts = _attempts(live_server)
    page.get_by_role("link", name="Preview as a learner").click()
    page.get_by_text("Preview — nothing is saved.").wait_for()
    assert page.locator("fieldset.question").count() > 0
    page.locator("fieldset.question input[type=radio]").first.check()
    page.get_by_role("button", name="Check answers").click()
    page.get_by_role("heading", name="What this learner would get").wait_for()
    assert page.get_by_text("Preview — nothing is saved.").is_visible()
    page.get_by_role("link", name="Another draw").click()
    page.wait_for_url(re.compile(r"draw=2"))
    page.set_viewport_size(PHONE)
    assert _fits_the_screen(page)
    page.set_viewport_size({"width": 1366, "height": 900})

    # A keying test as a learner sees it: the source and the form, no submit.
    page.goto(live_server("/keying/tests"))
    page.get_by_role("link", name=f"Preview {KEYING_TEST}").click()
    page.get_by_text("Preview — nothing is saved.").wait_for()
    expect(page.get_by_text("Source document").first).to_be_visible()
    expect(page.get_by_text("Record 1 of").first).to_be_visible()
    page.locator("[data-keying-record]:visible input.keying-input").first.click()
    page.keyboard.type("Typed in a preview")
    page.get_by_role("button", name="Next record").click()
    page.get_by_text("Record 2 of").first.wait_for()
    assert page.locator("[data-keying-record]:visible").count() == 1
    assert page.get_by_role("button", name="Submit test").is_disabled()
    page.set_viewport_size(PHONE)
    assert _fits_the_screen(page)

    assert _attempts(live_server) == attempts
