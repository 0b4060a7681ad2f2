"""`flask content check` and `flask content import` print item-writing cues as
warnings pointing at the question's line, without changing the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.content.cli import question_line
from lms.extensions import db

CUED_QUIZ = """\
kind = "quiz"
title = "Cued quiz"
attempts_allowed = 1

[[questions]]
id = "longest"
type = "single"
prompt = "What do you do with an unreadable digit?"

  [[questions.choices]]
  text = "Raise a query and hold the record until it is confirmed"
  correct = true

  [[questions.choices]]
  text = "Guess"
  correct = false

[[questions]]
id = "term"
type = "short"
prompt = "Two neighbouring characters swapped is called a ____ error."
answers = ["transposition"]

[[questions]]
id = 'shows-term'
type = "truefalse"
prompt = "A transposition leaves every character in place."
answer = false
"""

BROKEN_QUIZ = """\
kind = "quiz"
title = "No questions"
"""


@pytest.fixture
def tree(app, tmp_path) -> Path:
    """An empty courses folder and a quizzes folder the test fills."""
    (tmp_path / "courses").mkdir()
    (tmp_path / "quizzes").mkdir()
    app.config.update(
        CONTENT_COURSES_DIR=str(tmp_path / "courses"),
        CONTENT_QUIZZES_DIR=str(tmp_path / "quizzes"),
    )
    return tmp_path


def write_quiz(tree: Path, name: str, text: str) -> None:
    (tree / "quizzes" / name).write_text(text, encoding="utf-8")


def test_check_warns_at_the_question_line_and_still_passes(runner, tree):
    write_quiz(tree, "cued.toml", CUED_QUIZ)

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "quizzes/cued.toml:6: questions: warning: question longest: the correct "
        "choice is the only longest one"
    )
    assert lines[1] == (
        "quizzes/cued.toml:25: questions: warning: question shows-term shows "
        "'transposition', an accepted answer of short-answer question term, so a "
        "learner can copy it from there"
    )
    assert "2 warnings in 1 file" in result.output
    assert lines[-1] == "0 courses, 1 assessment OK"


def test_errors_still_exit_1_with_the_warnings_printed(runner, tree):
    write_quiz(tree, "cued.toml", CUED_QUIZ)
    write_quiz(tree, "broken.toml", BROKEN_QUIZ)

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert "quizzes/cued.toml:6: questions: warning:" in result.output
    assert "quizzes/broken.toml:" in result.output
    assert "1 error in 1 file." in result.output


def test_a_clean_quiz_prints_no_warning(runner, tree):
    clean = CUED_QUIZ.replace(
        'text = "Guess"',
        'text = "Guess the digit from the rest of the number and carry on keying"',
    ).replace("A transposition leaves", "Swapping two digits leaves")
    write_quiz(tree, "clean.toml", clean)

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 courses, 1 assessment OK"


def test_import_prints_the_warnings_and_imports(app, runner, tree):
    write_quiz(tree, "cued.toml", CUED_QUIZ)

    result = runner.invoke(args=["content", "import"])

    assert result.exit_code == 0, result.output
    assert "quizzes/cued.toml:6: questions: warning: question longest" in result.output
    assert (
        "quizzes/cued.toml:25: questions: warning: question shows-term" in result.output
    )
    assert "Imported: 1 created" in result.output
    with app.app_context():
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 1
        )


def test_import_with_errors_still_exits_1(app, runner, tree):
    write_quiz(tree, "cued.toml", CUED_QUIZ)
    write_quiz(tree, "broken.toml", BROKEN_QUIZ)

    result = runner.invoke(args=["content", "import"])

    assert result.exit_code == 1
    assert "questions: warning:" in result.output
    assert "Nothing was imported." in result.output


def test_question_line_finds_basic_and_literal_string_ids():
    assert question_line(CUED_QUIZ, "longest") == 6
    assert question_line(CUED_QUIZ, "shows-term") == 25
    assert question_line(CUED_QUIZ, "missing") == 1
    assert question_line('prompt = """\nid = "x" in a prompt"""\n', "y") == 1


def test_check_warns_on_the_retake_pattern_at_attempts_allowed(runner, tree):
    """Answers shown after every attempt, several attempts, the same questions:
    attempt 2 can be copied from the review of attempt 1."""
    retake = CUED_QUIZ.replace("attempts_allowed = 1", "attempts_allowed = 3")
    write_quiz(tree, "retake.toml", retake)

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    assert "quizzes/retake.toml:3: attempts_allowed: warning: correct answers" in (
        result.output
    )
    fixed = retake.replace(
        "attempts_allowed = 3",
        'attempts_allowed = 3\nshow_correct_answers = "after_last_attempt"\n'
        'show_feedback = "after_last_attempt"',
    )
    write_quiz(tree, "retake.toml", fixed)
    assert (
        "attempts_allowed: warning"
        not in runner.invoke(args=["content", "check"]).output
    )
