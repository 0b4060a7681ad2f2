"""The importer: upsert by slug in one transaction, idempotent, never destructive."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.content.importer import import_content
from lms.courses.models import Course, Module, ModuleProgress
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from tests import factories
from tests.content.conftest import BROKEN

pytestmark = pytest.mark.usefixtures("app_ctx")


def run(root, **kwargs):
    report = import_content(root / "courses", root / "quizzes", **kwargs)
    if not kwargs.get("dry_run"):
        db.session.commit()
    return report


def courses() -> dict[str, Course]:
    return {c.slug: c for c in db.session.scalars(sa.select(Course))}


def assessments() -> dict[str, Assessment]:
    return {a.slug: a for a in db.session.scalars(sa.select(Assessment))}


def modules(course: Course, *, active_only: bool = False) -> dict[str, Module]:
    query = sa.select(Module).where(Module.course_id == course.id)
    if active_only:
        query = query.where(Module.is_active)
    return {m.slug: m for m in db.session.scalars(query)}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_first_import_creates_courses_modules_and_assessments(good_tree):
    report = run(good_tree)

    assert report.ok
    assert [str(c) for c in report.created][:2] == [
        "course keying-basics: 3 modules",
        "course records-care: 2 modules",
    ]
    assert report.counts() == {
        "created": 8,
        "updated": 0,
        "unchanged": 0,
        "unpublished": 0,
        "skipped": 0,
    }
    course = courses()["keying-basics"]
    assert (course.origin, course.is_published, course.level) == (
        ORIGIN_FILE,
        True,
        "foundation",
    )
    assert course.skills == ["data-entry", "ten-key"]
    assert course.content_hash
    mods = modules(course)
    assert [
        (m.position, m.slug) for m in sorted(mods.values(), key=lambda m: m.position)
    ] == [
        (1, "welcome"),
        (2, "home-row"),
        (3, "numeric-keypad"),
    ]
    assert "<strong>accuracy</strong>" in mods["welcome"].body_html
    assert "<script>" not in mods["home-row"].body_html  # escaped at import time
    assert "&lt;script&gt;" in mods["home-row"].body_html
    assert "<table>" in mods["numeric-keypad"].body_html

    quiz = assessments()["keying-basics-check"]
    assert (quiz.kind, quiz.origin, quiz.version) == ("quiz", ORIGIN_FILE, 1)
    assert quiz.course_id == course.id
    assert quiz.time_limit_seconds == 600
    assert quiz.on_expiry == "grace"
    assert quiz.settings["pass_percent"] == 70
    assert len(quiz.content["questions"]) == 6
    assert "<em>one</em>" in quiz.description_html
    records = assessments()["customer-entry"]
    assert records.content["records"][0]["id"] == "r001"
    assert assessments()["pair-check"].is_published is False


def test_second_import_changes_nothing(good_tree):
    run(good_tree)
    stamps = {a.slug: a.updated_at for a in assessments().values()}

    report = run(good_tree)

    assert report.ok and not report.changed
    assert report.counts()["unchanged"] == 8
    assert {a.slug: a.updated_at for a in assessments().values()} == stamps
    assert {a.version for a in assessments().values()} == {1}


def test_dry_run_reports_but_writes_nothing(good_tree):
    report = run(good_tree, dry_run=True)

    assert report.dry_run and len(report.created) == 8
    assert count(Course) == count(Module) == count(Assessment) == 0


def remove_records_care(root) -> None:
    shutil.rmtree(root / "courses/records-care")
    ledger = root / "quizzes/ledger-check.toml"
    ledger.write_text(ledger.read_text().replace('course = "records-care"\n', ""))


def test_dry_run_after_an_import_leaves_the_rows_as_they_were(good_tree):
    run(good_tree)
    remove_records_care(good_tree)

    report = run(good_tree, dry_run=True)

    assert [str(c) for c in report.unpublished][0].startswith("course records-care")
    db.session.expire_all()
    assert courses()["records-care"].is_published is True


def test_a_changed_module_is_updated_in_place(good_tree):
    run(good_tree)
    course = courses()["keying-basics"]
    before = modules(course)["welcome"]
    module_id = before.id
    path = good_tree / "courses/keying-basics/modules/01-welcome.md"
    path.write_text(path.read_text().replace("Why", "Why *exactly*"))

    report = run(good_tree)

    assert [str(c) for c in report.updated] == [
        "course keying-basics: 1 module updated"
    ]
    after = modules(courses()["keying-basics"])["welcome"]
    assert after.id == module_id
    assert "<em>exactly</em>" in after.body_html
    assert courses()["keying-basics"].content_hash != ""


def test_renumbered_and_new_modules_keep_ids_and_are_added(good_tree):
    run(good_tree)
    course = courses()["keying-basics"]
    old_ids = {slug: m.id for slug, m in modules(course).items()}
    mods = good_tree / "courses/keying-basics/modules"
    (mods / "01-welcome.md").rename(mods / "04-welcome.md")
    (mods / "05-drills.md").write_text('+++\ntitle = "Drills"\n+++\n\nPractise.\n')

    report = run(good_tree)

    assert "1 module added" in str(report.updated[0])
    now = modules(courses()["keying-basics"])
    assert now["welcome"].id == old_ids["welcome"]
    assert now["welcome"].position == 4
    assert now["drills"].position == 5


def test_a_changed_assessment_gets_a_new_version_and_the_others_do_not(good_tree):
    run(good_tree)
    path = good_tree / "quizzes/keying-basics-check.toml"
    path.write_text(path.read_text().replace("pass_percent = 70", "pass_percent = 75"))
    csv_path = good_tree / "quizzes/amounts.csv"
    csv_path.write_text(csv_path.read_text() + "77.70\n")

    report = run(good_tree)

    assert sorted(str(c) for c in report.updated) == [
        "assessment amounts: now version 2",
        "assessment keying-basics-check: now version 2",
    ]
    rows = assessments()
    assert rows["keying-basics-check"].settings["pass_percent"] == 75
    assert len(rows["amounts"].content["entries"]) == 4
    assert rows["retype"].version == 1
    assert run(good_tree).changed is False  # and the version stays put


def test_removed_course_is_unpublished_not_deleted(good_tree):
    run(good_tree)
    remove_records_care(good_tree)

    report = run(good_tree)

    assert [c.slug for c in report.unpublished] == ["records-care"]
    course = courses()["records-care"]
    assert course.is_published is False
    assert len(modules(course)) == 2
    assert run(good_tree).changed is False  # unpublishing is not repeated


def test_removed_assessment_is_unpublished_and_comes_back_with_its_file(good_tree):
    run(good_tree)
    path = good_tree / "quizzes/retype.toml"
    text = path.read_text()
    path.unlink()

    report = run(good_tree)

    assert [str(c) for c in report.unpublished] == [
        "assessment retype: its file is gone; unpublished, not deleted"
    ]
    assert assessments()["retype"].is_published is False

    path.write_text(text)
    report = run(good_tree)

    assert [str(c) for c in report.updated] == ["assessment retype: published"]
    assert assessments()["retype"].is_published is True
    assert assessments()["retype"].version == 1


def test_retired_module_keeps_learner_progress(good_tree):
    run(good_tree)
    learner = factories.user()
    course = courses()["keying-basics"]
    home_row = modules(course)["home-row"]
    factories.enrolment(learner, course)
    factories.completed(learner, home_row)
    db.session.commit()
    (good_tree / "courses/keying-basics/modules/02-home-row.md").unlink()

    report = run(good_tree)

    assert "1 module retired" in str(report.updated[0])
    module = db.session.get(Module, home_row.id)
    assert module is not None and module.is_active is False
    assert "home-row" not in modules(courses()["keying-basics"], active_only=True)
    assert db.session.scalar(
        sa.select(ModuleProgress).where(ModuleProgress.module_id == home_row.id)
    )


def test_a_module_whose_file_returns_is_reactivated(good_tree):
    run(good_tree)
    path = good_tree / "courses/keying-basics/modules/02-home-row.md"
    text = path.read_text()
    path.unlink()
    run(good_tree)

    path.write_text(text)
    run(good_tree)

    assert modules(courses()["keying-basics"])["home-row"].is_active is True


def test_browser_authored_rows_with_the_same_slug_are_never_overwritten(good_tree):
    trainer = factories.user("trainer")
    ui_course = factories.course(
        slug="keying-basics", title="My own course", owner=trainer, modules=1
    )
    ui_quiz = Assessment(
        slug="retype", kind="quiz", title="Browser quiz", origin=ORIGIN_UI
    )
    db.session.add(ui_quiz)
    db.session.commit()

    report = run(good_tree)

    skipped = {c.slug: c.detail for c in report.skipped}
    assert set(skipped) == {"keying-basics", "retype"}
    assert "created in the browser" in skipped["keying-basics"]
    course = courses()["keying-basics"]
    assert (course.id, course.title, course.origin) == (
        ui_course.id,
        "My own course",
        ORIGIN_UI,
    )
    assert len(modules(course)) == 1
    assert assessments()["retype"].title == "Browser quiz"
    # a file quiz that names the clashing course is not linked to the browser course
    assert assessments()["keying-basics-check"].course_id is None
    # and a UI row is never unpublished because no file has its slug
    assert run(good_tree).unpublished == []


def test_any_error_means_nothing_is_written(good_tree):
    run(good_tree)
    (good_tree / "courses/keying-basics/modules/01-welcome.md").write_text(
        "+++\ntitle = 'Changed'\n+++\n\nChanged.\n"
    )
    (good_tree / "quizzes/broken.toml").write_text('kind = "quiz"\n')

    report = run(good_tree)

    assert not report.ok
    assert [(e.path, e.field) for e in report.errors] == [
        ("quizzes/broken.toml", "title"),
        ("quizzes/broken.toml", "questions"),
    ]
    assert report.created == report.updated == []
    assert modules(courses()["keying-basics"])["welcome"].title == "Welcome"


def test_the_broken_fixture_tree_imports_nothing():
    report = import_content(BROKEN / "courses", BROKEN / "quizzes")

    assert len(report.errors) > 30
    assert count(Course) == count(Assessment) == 0
