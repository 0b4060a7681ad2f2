"""The manager's whole loop on the demo data, in Chromium, through links only:
Sunita (manager@) opens her team dashboard, opens a learner's keying result
from it, finds her team's biggest gap and who could cover it, assigns that
learner a keying test with a due date, writes feedback; the learner reads and
acknowledges it; Sunita sees it acknowledged and downloads the team's skill
matrix as XLSX, which opens with a bold, frozen header row and one row per
person of her team.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from lms import clock
from lms.content.importer import import_content
from lms.extensions import db
from lms.seed.demo import demo_password, seed_demo
from lms.users.models import Team, User

pytestmark = pytest.mark.e2e

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MANAGER = "manager@demo.test"
LEARNER = "yuvraj.sarraf@demo.test"
KEYING_RESULT = "10-key: account numbers"  # a keying test the learner has taken
KEYING_TEST = "10-key: amounts"  # one they have not yet passed


@pytest.fixture
def live_server_config() -> dict:
    return {"DEMO_PASSWORD": "acts-on-a-gap-journey"}


@pytest.fixture
def demo(live_server) -> dict:
    with live_server.app.app_context():
        import_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
        seed_demo()
        db.session.commit()
        learner = db.session.scalar(db.select(User).where(User.email == LEARNER))
        team = db.session.get(Team, learner.team_id)
        members = db.session.scalar(
            db.select(db.func.count(User.id)).where(
                User.team_id == team.id, User.is_active_account
            )
        )
        return {
            "password": demo_password(),
            "learner": learner.name,
            "team": team.name,
            "members": members,
        }


@pytest.fixture
def page(browser_page):
    browser_page.set_viewport_size({"width": 1366, "height": 900})
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield browser_page
    assert errors == []


def open_team_dashboard(page) -> None:
    page.locator("nav summary", has_text="Team").click()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Team dashboard"
    ).click()
    expect(page.get_by_role("heading", name="Skill matrix")).to_be_visible()


def test_manager_reads_a_result_covers_a_gap_assigns_gives_feedback_and_exports(
    page, sign_in, demo, tmp_path
):
    learner = demo["learner"]
    sign_in(page, MANAGER, demo["password"])
    open_team_dashboard(page)
    unacknowledged = page.locator(".card", has_text="feedback not yet acknowledged")
    expect(unacknowledged).to_contain_text("0")

    # --- a learner's result, from their name on the dashboard ----------------
    page.get_by_role("link", name=learner, exact=True).first.click()
    expect(page.get_by_role("heading", name=learner, level=1)).to_be_visible()
    results = page.locator("#results").locator("..")
    results.get_by_role("link", name=KEYING_RESULT).first.click()
    expect(page.get_by_role("heading", name=re.compile(": result$"))).to_be_visible()
    expect(page.get_by_text("Net KPH").first).to_be_visible()
    expect(page.get_by_text(learner).first).to_be_visible()

    # --- the biggest gap and who could cover it ------------------------------
    open_team_dashboard(page)
    biggest = page.locator("section[aria-labelledby=gaps-heading] li").first
    skill = biggest.locator("strong").inner_text()
    biggest.get_by_role("link", name=re.compile("who has level")).click()
    expect(
        page.get_by_role("heading", name=re.compile(f"^{re.escape(skill)} at level"))
    ).to_be_visible()

    # --- assign a keying test with a due date --------------------------------
    due = (clock.now().date() + timedelta(days=5)).isoformat()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Assessments", exact=True
    ).click()
    page.get_by_role("link", name=KEYING_TEST, exact=True).click()
    page.get_by_role("link", name=f"Assign “{KEYING_TEST}” to people or a team").click()
    page.get_by_label("Find people").fill(learner.split()[0])
    page.get_by_role("button", name="Search").click()
    page.get_by_label(learner).check()
    page.get_by_label("Due date").fill(due)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(f"“{KEYING_TEST}” assigned to 1 person.")).to_be_visible()

    # --- feedback on the person ----------------------------------------------
    open_team_dashboard(page)
    page.get_by_role("link", name=learner, exact=True).first.click()
    page.get_by_role("link", name=f"Give feedback to {learner}").click()
    page.get_by_label("A strength").fill("Your account numbers are clean.")
    page.get_by_label("One thing to improve").fill("Keep your eyes on the source.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text(f"Feedback sent to {learner}.")).to_be_visible()
    open_team_dashboard(page)
    expect(unacknowledged).to_contain_text("1")

    # --- the learner sees the assignment and acknowledges the feedback -------
    page.context.clear_cookies()
    sign_in(page, LEARNER, demo["password"])
    page.get_by_role("link", name=re.compile(r"^Notifications \d+ unread")).click()
    page.get_by_role(
        "button", name=re.compile("^New feedback from Sunita Menon")
    ).first.click()
    page.get_by_role("button", name="Acknowledge").first.click()
    expect(page.get_by_text("Feedback acknowledged.")).to_be_visible()
    page.get_by_role("link", name="My learning").click()
    assigned = page.locator("[data-assigned-assessment]", has_text=KEYING_TEST)
    expect(assigned).to_contain_text("To do")

    # --- the manager sees it acknowledged and downloads the matrix -----------
    page.context.clear_cookies()
    sign_in(page, MANAGER, demo["password"])
    open_team_dashboard(page)
    expect(unacknowledged).to_contain_text("0")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^XLSX")).first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(saved).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1] if cell.value)
    assert skill in header
    people = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert learner in people
    assert len(people) == demo["members"]
