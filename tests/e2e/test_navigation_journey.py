"""Browser journey: an administrator's navigation menus behave as menus.

One menu is open at a time; Escape closes it and puts the keyboard back on the
menu's name; a click anywhere else closes it. Without JavaScript the menus are
plain <details>, which the server-side tests cover.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin(live_server):
    with live_server.app.app_context():
        factories.user(Role.ADMIN, email="ada@example.test", name="Ada Admin")
        db.session.commit()
    return "ada@example.test"


def _menu(page, name: str):
    return page.locator(".nav-menu details", has=page.locator("summary", has_text=name))


def test_menus_open_one_at_a_time_and_close_on_escape_or_a_click_elsewhere(
    live_server, browser_page, sign_in, admin
):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, admin, factories.PASSWORD)
    teach, team = _menu(page, "Teach"), _menu(page, "Team")

    teach.locator("summary").click()
    expect(teach).to_have_attribute("open", "")
    expect(teach.get_by_role("link", name="Question bank")).to_be_visible()

    team.locator("summary").click()
    expect(team).to_have_attribute("open", "")
    expect(teach).not_to_have_attribute("open", "")

    team.get_by_role("link", name="Skill coverage").focus()
    page.keyboard.press("Escape")
    expect(team).not_to_have_attribute("open", "")
    expect(team.locator("summary")).to_be_focused()

    page.keyboard.press("Enter")  # the keyboard opens it again from its name
    expect(team).to_have_attribute("open", "")
    page.get_by_role("heading", level=1).click()
    expect(team).not_to_have_attribute("open", "")

    teach.locator("summary").click()
    teach.get_by_role("link", name="Question bank").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("bank")


def test_a_table_wider_than_the_screen_scrolls_from_the_keyboard(
    live_server, browser_page, sign_in, admin
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, admin, factories.PASSWORD)
    page.goto(f"{live_server.url}/admin/users")
    scroller = page.locator(".table-responsive").first
    expect(scroller).to_have_attribute("tabindex", "0")
    expect(scroller).to_have_attribute("role", "region")

    scroller.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.table-responsive').scrollLeft > 0"
    )

    page.set_viewport_size({"width": 1920, "height": 1080})  # now it fits
    expect(scroller).not_to_have_attribute("tabindex", "0")
    expect(scroller).not_to_have_attribute("role", "region")
