"""The manager's team reports on the demo data, in Chromium: Sunita (manager@)
opens Team from the navigation, reads the headline and the biggest gap, sorts
the matrix by that skill, narrows it to one category, asks who can cover the
skill, then opens one of her people's results, a result page and the keying
evidence behind it (read-only). On a phone the page itself never scrolls
sideways: only the matrix does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lms.content.importer import import_content
from lms.seed.demo import demo_password, seed_demo

pytestmark = pytest.mark.e2e

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("LMS_JOURNEY_SCREENSHOTS")
MANAGER = "manager@demo.test"


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def live_server_config() -> dict:
    return {"DEMO_PASSWORD": "team-reports-journey"}


@pytest.fixture
def demo(live_server) -> str:
    with live_server.app.app_context():
        import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
        seed_demo()
        from lms.extensions import db

        db.session.commit()
        return demo_password()


@pytest.fixture
def page(browser_page):
    browser_page.set_viewport_size({"width": 1366, "height": 900})
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield browser_page
    assert errors == []


def test_manager_finds_the_biggest_gap_who_can_cover_it_and_the_evidence(
    page, sign_in, demo
):
    sign_in(page, MANAGER, demo)
    page.locator("nav summary", has_text="Team").click()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Team dashboard"
    ).click()
    expect(page.get_by_role("heading", name="Skill matrix")).to_be_visible()
    expect(page.get_by_text("average readiness for their goals")).to_be_visible()
    _shot(page, "01-team-dashboard")

    # --- the biggest gap, sorted and narrowed ---------------------------------
    gaps = page.locator("section[aria-labelledby=gaps-heading] li")
    biggest = gaps.first.locator("strong").inner_text()
    gaps.first.get_by_role("link", name="sort by it").click()
    sorted_header = page.locator("th[aria-sort]")
    expect(sorted_header).to_have_count(1)
    expect(sorted_header).to_contain_text(biggest)
    page.get_by_role("navigation", name="Skill categories").get_by_role(
        "link", name="Keying and accuracy"
    ).click()
    expect(page.locator("th.col-skill")).not_to_have_count(0)
    expect(
        page.get_by_role("link", name="Business systems", exact=True)
    ).to_be_visible()
    assert "category=keying-and-accuracy" in page.url
    # Every cell reads without colour.
    first_cell = page.locator("td.cell .visually-hidden").first
    assert re.search(r"level|not yet shown", first_cell.inner_text())

    # --- who can cover it ------------------------------------------------------
    page.go_back()
    page.go_back()
    page.locator("section[aria-labelledby=gaps-heading] li").first.get_by_role(
        "link", name=re.compile("who has level")
    ).click()
    expect(
        page.get_by_role("heading", name=re.compile(f"^{biggest} at level"))
    ).to_be_visible()
    expect(page.get_by_label("Skill")).to_have_value(re.compile(r"\d+"))
    _shot(page, "02-coverage")

    # --- a person's results, a result and its evidence -------------------------
    page.get_by_role("link", name="Results", exact=True).click()
    keying_row = page.locator(
        "tr", has=page.get_by_role("link", name=re.compile("^Evidence"))
    ).first
    person = keying_row.locator("td").first.inner_text()
    keying_row.get_by_role("link", name=re.compile("^Result")).click()
    expect(page.get_by_role("heading", name=re.compile(": result$"))).to_be_visible()
    expect(page.get_by_text(person).first).to_be_visible()
    page.get_by_role("link", name="Integrity evidence for this attempt").click()
    expect(page.get_by_role("heading", name="Integrity flags")).to_be_visible()
    expect(page.get_by_role("button", name="Accept this result")).to_have_count(0)
    _shot(page, "03-evidence")

    # --- on a phone only the matrix scrolls sideways ---------------------------
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator("nav summary", has_text="Team").click()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Team dashboard"
    ).click()
    expect(page.get_by_role("heading", name="Skill matrix")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "04-team-dashboard-phone")
