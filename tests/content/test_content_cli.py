"""`flask content check` and `flask content import` through the CLI runner."""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.courses.models import Course
from lms.extensions import db
from tests.content.conftest import BROKEN


def use_tree(app, root) -> None:
    app.config.update(
        CONTENT_COURSES_DIR=str(root / "courses"),
        CONTENT_QUIZZES_DIR=str(root / "quizzes"),
    )


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_check_passes_on_a_good_tree_and_prints_the_summary(app, runner, good_tree):
    use_tree(app, good_tree)

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 courses, 6 assessments OK"


def test_check_lists_every_error_as_path_line_field_message(app, runner):
    use_tree(app, BROKEN)

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert "courses/bad-toml/course.toml:3: syntax: Invalid value" in result.output
    assert (
        "quizzes/no-correct.toml:12: questions.q1.choices: a single-answer question "
        "needs one correct choice" in result.output
    )
    assert "quizzes/missing-column.csv:3: date_of_birth:" in result.output
    assert "errors in" in result.output
    assert "OK" not in result.output


def test_check_takes_folders_as_options(runner, good_tree):
    result = runner.invoke(
        args=[
            "content",
            "check",
            "--courses",
            str(good_tree / "courses"),
            "--quizzes",
            str(good_tree / "quizzes"),
        ]
    )

    assert result.exit_code == 0, result.output


def test_check_fails_on_missing_folders(runner):
    # the test config points at folders that do not exist
    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert "no-courses:1: folder:" in result.output


def test_import_commits_once_and_is_idempotent(app, runner, good_tree):
    use_tree(app, good_tree)

    first = runner.invoke(args=["content", "import"])
    second = runner.invoke(args=["content", "import"])

    assert first.exit_code == 0, first.output
    assert "created     course keying-basics: 3 modules" in first.output
    assert "Imported: 8 created, 0 updated, 0 unchanged" in first.output
    assert second.exit_code == 0
    assert second.output.strip() == (
        "Imported: 0 created, 0 updated, 8 unchanged, 0 unpublished, 0 skipped."
    )
    assert rows(app, Course) == 2 and rows(app, Assessment) == 6


def test_import_dry_run_writes_nothing(app, runner, good_tree):
    use_tree(app, good_tree)

    result = runner.invoke(args=["content", "import", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Dry run (nothing written): 8 created" in result.output
    assert rows(app, Course) == 0 and rows(app, Assessment) == 0


def test_import_refuses_broken_content_and_writes_nothing(app, runner):
    use_tree(app, BROKEN)

    result = runner.invoke(args=["content", "import"])

    assert result.exit_code == 1
    assert "quizzes/bad-syntax.toml:7: syntax:" in result.output
    assert "Nothing was imported." in result.output
    assert rows(app, Course) == 0 and rows(app, Assessment) == 0


def test_import_reports_a_browser_course_it_skipped(app, runner, good_tree):
    with app.app_context():
        db.session.add(Course(slug="records-care", title="Mine", summary=""))
        db.session.commit()
    use_tree(app, good_tree)

    result = runner.invoke(args=["content", "import"])

    assert result.exit_code == 0
    assert (
        "skipped     course records-care: a course with this slug was created in the browser"
        in result.output
    )
    assert "1 item skipped" in result.output


def test_import_questions_is_available_under_content(runner, tmp_path):
    bank = tmp_path / "bank.gift"
    bank.write_text("::q1:: Which key ends a 10-key entry? {=Enter ~Tab ~Space}\n")

    result = runner.invoke(args=["content", "import-questions", str(bank), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "1 question(s) would be imported" in result.output


def test_check_reads_the_question_banks_and_reports_their_errors(
    app, runner, good_tree
):
    banks = good_tree / "quizzes" / "_banks"  # holds a TOML bank, which is not GIFT
    (banks / "lookups.gift").write_text(
        "::Q1:: Which key ends a 10-key entry? {=Enter ~Tab}\n\n", "utf-8"
    )
    use_tree(app, good_tree)
    good = runner.invoke(args=["content", "check"])
    assert good.exit_code == 0, good.output
    assert good.output.strip().endswith("1 bank question OK")

    (banks / "broken.gift").write_text(
        "::Q1:: A question with no answers at all {}\n", "utf-8"
    )
    bad = runner.invoke(args=["content", "check"])
    assert bad.exit_code == 1
    assert "quizzes/_banks/broken.gift:1" in bad.output
    assert "OK" not in bad.output
