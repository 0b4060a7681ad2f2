"""The question editor in Chromium: the script adds, removes and reorders rows,
and what the trainer sees is what gets saved (CSRF on, as in production)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.quizzes.models import Question
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e


@pytest.fixture
def trainer(live_server):
    with live_server.app.app_context():
        factories.user(Role.TRAINER, email="tara@example.test")
        db.session.commit()
    return "tara@example.test"


def _saved(live_server) -> list[Question]:
    with live_server.app.app_context():
        questions = list(db.session.scalars(sa.select(Question).order_by(Question.id)))
        db.session.expunge_all()
        return questions


def test_choices_added_and_removed_with_the_script_are_saved(
    live_server, browser_page, sign_in, trainer
):
    page = browser_page
    sign_in(page, trainer, factories.PASSWORD)
    page.goto(live_server("/bank/new?type=multiple"))
    rows = page.locator('table[data-row-list="choices"] tbody tr')
    assert rows.count() == 6

    page.get_by_label("Question text").fill("Which are control totals?")
    page.get_by_role("button", name="Add a choice").click()
    assert rows.count() == 7
    for n, (text, correct) in enumerate(
        [("Batch total", True), ("Hash total", True), ("Colour code", False)], start=1
    ):
        page.get_by_label(f"Choice {n} text").fill(text)
        if correct:
            page.get_by_label(f"Choice {n} is correct").check()
    page.get_by_label("Choice 7 text").fill("Record count")
    page.get_by_label("Choice 7 is correct").check()
    rows.nth(1).get_by_role("button", name="Remove").click()  # drop "Hash total"
    assert rows.count() == 6
    assert page.get_by_label("Choice 6 text").input_value() == "Record count"
    page.get_by_role("button", name="Save question").click()
    page.wait_for_url(lambda url: "/bank/new" not in url)

    (q,) = _saved(live_server)
    assert [(c["text"], c["correct"]) for c in q.data["choices"]] == [
        ("Batch total", True),
        ("Colour code", False),
        ("Record count", True),
    ]


def test_ordering_items_moved_with_the_script_are_saved_in_the_new_order(
    live_server, browser_page, sign_in, trainer
):
    page = browser_page
    sign_in(page, trainer, factories.PASSWORD)
    page.goto(live_server("/bank/new?type=ordering"))
    page.get_by_label("Question text").fill("Order the steps")
    for n, text in enumerate(["Match", "Receive", "Pay"], start=1):
        page.get_by_label(f"Item {n}", exact=True).fill(text)

    page.get_by_role("button", name="Move item up").nth(
        1
    ).click()  # Receive above Match
    page.get_by_role("button", name="Save question").click()
    page.wait_for_url(lambda url: "/bank/new" not in url)

    (q,) = _saved(live_server)
    assert q.data["items"] == ["Receive", "Match", "Pay"]


def test_errors_keep_what_was_typed_in_rows_added_by_the_script(
    live_server, browser_page, sign_in, trainer
):
    page = browser_page
    sign_in(page, trainer, factories.PASSWORD)
    page.goto(live_server("/bank/new?type=single"))
    page.get_by_label("Question text").fill("Pick one")
    for _ in range(3):
        page.get_by_role("button", name="Add a choice").click()
    page.get_by_label("Choice 9 text").fill("Ninth choice")
    page.get_by_label("Choice 1 text").fill("First choice")

    page.get_by_role("button", name="Save question").click()

    assert page.get_by_text("needs one correct choice; none is marked").is_visible()
    values = [
        page.locator('table[data-row-list="choices"] tbody tr input[type=text]')
        .nth(i)
        .input_value()
        for i in range(0, 18, 2)
    ]
    assert "Ninth choice" in values and "First choice" in values
    assert _saved(live_server) == []
