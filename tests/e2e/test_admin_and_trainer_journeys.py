"""Browser journeys: an admin imports people from CSV (preview, then import), and a
trainer edits a module with the live Markdown preview."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.courses.models import Module
from lms.extensions import db
from lms.users.models import Role, User
from tests import factories

pytestmark = pytest.mark.e2e

GOOD_CSV = (
    "email,name,role,team,job_title,password\n"
    "meera.pillai@example.test,Meera Pillai,learner,Claims,Trainee executive,\n"
    "arjun.rao@example.test,Arjun Rao,learner,Claims,Back-office executive,\n"
)
BAD_CSV = GOOD_CSV + "not-an-email,Nobody,wizard,Claims,,\n"


def test_admin_imports_people_from_csv(live_server, browser_page, sign_in, tmp_path):
    page = browser_page
    with live_server.app.app_context():
        factories.user(Role.ADMIN, email="ada@example.test")
        factories.team("Claims")
        db.session.commit()
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD_CSV)
    good.write_text(GOOD_CSV)
    sign_in(page, "ada@example.test", factories.PASSWORD)

    page.goto(live_server("/admin/users/import"))
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    problems = page.locator("table", has=page.locator("caption", has_text="Problems"))
    assert "nothing will be imported" in page.content()
    first_problem = problems.locator("tbody tr").first.locator("td")
    assert first_problem.nth(0).inner_text() == "4"
    assert page.get_by_role("button", name="Import 2 people").count() == 0

    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload again").click()
    page.get_by_role("button", name="Import 2 people").click()

    page.get_by_text("meera.pillai@example.test").first.wait_for()
    with live_server.app.app_context():
        emails = set(db.session.scalars(sa.select(User.email)))
    assert {"meera.pillai@example.test", "arjun.rao@example.test"} <= emails


def test_trainer_edits_a_module_with_live_preview(live_server, browser_page, sign_in):
    page = browser_page
    with live_server.app.app_context():
        trainer = factories.user(Role.TRAINER, email="tara@example.test")
        course = factories.course(owner=trainer, slug="gst-basics", modules=1)
        module_id = db.session.scalars(
            sa.select(Module.id).where(Module.course_id == course.id)
        ).one()
        db.session.commit()
    sign_in(page, "tara@example.test", factories.PASSWORD)

    page.goto(live_server(f"/manage/courses/gst-basics/modules/{module_id}/edit"))
    editor = page.get_by_label("Lesson text (Markdown)")
    editor.fill(
        "## Reading a GST invoice\n\nCheck the **GSTIN** first. <script>x()</script>"
    )
    preview = page.locator("#markdown-preview")
    preview.locator("h2", has_text="Reading a GST invoice").wait_for()
    assert preview.locator("strong", has_text="GSTIN").count() == 1
    assert preview.locator("script").count() == 0
    page.get_by_role("button", name="Save module").click()

    page.wait_for_load_state()
    with live_server.app.app_context():
        module = db.session.get(Module, module_id)
        assert "<h2>Reading a GST invoice</h2>" in module.body_html
        assert "<script>" not in module.body_html
