"""The completion options of a course: defaults, validation, the reading minimum, where
a learner stands, and how course files give them ([completion] in course.toml)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.content.courses import load_courses
from lms.content.importer import import_content
from lms.courses.earning import (
    FLOOR_SECONDS,
    CompletionRules,
    reading_state,
    word_count,
)
from lms.courses.models import Course
from lms.extensions import db
from tests.content.conftest import GOOD

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- the options ---------------------------------------------------------------------


def test_a_course_asks_nothing_by_default():
    rules = CompletionRules.from_stored(None)

    assert rules == CompletionRules(min_reading_percent=0, require_reaching_end=False)
    assert not rules.asks_anything
    assert rules.min_reading_seconds("a " * 5000) == 0


def test_stored_values_that_are_not_allowed_take_the_default():
    rules = CompletionRules.from_stored(
        {"min_reading_percent": 250, "require_reaching_end": "yes", "other": 1}
    )

    assert rules == CompletionRules()


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"min_reading_percent": -1}, {"min_reading_percent": "use 0 or more"}),
        ({"min_reading_percent": 101}, {"min_reading_percent": "use 100 or less"}),
        ({"min_reading_percent": 50.5}, {"min_reading_percent": "use a whole number"}),
        ({"min_reading_percent": True}, {"min_reading_percent": "use a number"}),
        ({"require_reaching_end": 1}, {"require_reaching_end": "use true or false"}),
        ({"reading": 1}, {"reading": "is not a course completion option"}),
        ({"min_reading_percent": 60, "require_reaching_end": True}, {}),
    ],
)
def test_problems_name_each_bad_option(given, problem):
    assert CompletionRules.problems(given) == problem


def test_the_minimum_is_a_share_of_the_reading_time_at_200_words_a_minute():
    rules = CompletionRules(min_reading_percent=60)
    text = "# Heading\n\n" + " ".join(["word"] * 598) + "\n\n| a |\n|---|\n"

    assert word_count(text) == 600  # "Heading", 598 words, "a"; # | --- are not words
    assert rules.min_reading_seconds(text) == 108  # 3 min × 60 %


def test_a_short_module_still_asks_the_floor():
    rules = CompletionRules(min_reading_percent=10)

    assert rules.min_reading_seconds("Just a few words here.") == FLOOR_SECONDS


def test_words_with_apostrophes_and_hyphens_count_once():
    assert word_count("Don't re-enter the client’s data — ever.") == 6


# --- where a learner stands -------------------------------------------------------------


def _state(rules, *, after: float, end: bool = False):
    return reading_state(
        rules,
        " ".join(["word"] * 400),  # 2 minutes
        first_opened_at=OPENED,
        end_reached_at=OPENED if end else None,
        now=OPENED + timedelta(seconds=after),
    )


def test_the_time_left_counts_down_from_the_first_opening():
    rules = CompletionRules(min_reading_percent=100)

    early = _state(rules, after=40)
    done = _state(rules, after=120)

    assert (early.remaining_seconds, early.earned) == (80, False)
    assert early.message == "You can mark this complete in 1 min 20 s — keep reading."
    assert (done.remaining_seconds, done.earned) == (0, True)
    assert done.message == "You can mark this module complete now."


def test_the_end_must_be_reached_as_well_when_the_course_asks():
    rules = CompletionRules(min_reading_percent=100, require_reaching_end=True)

    assert _state(rules, after=10).message == (
        "You can mark this complete in 1 min 50 s, once you have read to the end "
        "— keep reading."
    )
    assert _state(rules, after=200).message == (
        "Read to the end of this module to mark it complete."
    )
    assert not _state(rules, after=200).earned
    assert _state(rules, after=200, end=True).earned


def test_never_opened_means_the_whole_minimum_is_left():
    state = reading_state(
        CompletionRules(min_reading_percent=100),
        " ".join(["word"] * 400),
        first_opened_at=None,
        end_reached_at=None,
        now=OPENED,
    )

    assert state.remaining_seconds == 120


# --- course files ---------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(GOOD, root)
    return root


def _with_completion(root, text: str) -> None:
    toml = root / "courses" / "records-care" / "course.toml"
    toml.write_text(toml.read_text() + "\n" + text)


def _spec(root, slug="records-care"):
    specs, errors = load_courses(root / "courses")
    return next((s for s in specs if s.slug == slug), None), [str(e) for e in errors]


def test_a_course_file_without_completion_asks_nothing(tree):
    spec, errors = _spec(tree)

    assert errors == []
    assert spec.completion_rules == {}


def test_a_course_file_gives_its_completion_options(tree):
    _with_completion(tree, "[completion]\nmin_reading_percent = 60\n")

    spec, errors = _spec(tree)

    assert errors == []
    assert spec.completion_rules == {
        "min_reading_percent": 60,
        "require_reaching_end": False,
    }


def test_bad_completion_options_are_reported_with_file_line_and_field(tree):
    lines = len((tree / "courses/records-care/course.toml").read_text().splitlines())
    _with_completion(
        tree,
        '[completion]\nmin_reading_percent = 150\nrequire_reaching_end = "yes"\n'
        "min_reading_percnt = 3\n",
    )

    spec, errors = _spec(tree)

    where = "courses/records-care/course.toml"
    assert spec is None
    assert errors == [
        f"{where}:{lines + 3}: completion.min_reading_percent: use 100 or less, "
        "not 150",
        f"{where}:{lines + 4}: completion.require_reaching_end: use true or false, "
        "not 'yes'",
        f"{where}:{lines + 5}: completion.min_reading_percnt: unknown key "
        "'min_reading_percnt' (did you mean 'min_reading_percent'?)",
    ]


def test_completion_must_be_a_table(tree):
    _with_completion(tree, "completion = 60\n")

    _, errors = _spec(tree)

    assert any(
        "completion: must be a table: [completion] with its options below" in e
        for e in errors
    )


def test_content_check_reports_a_bad_option(app, runner, tree):
    _with_completion(tree, "[completion]\nmin_reading_percent = -5\n")
    app.config.update(
        CONTENT_COURSES_DIR=str(tree / "courses"),
        CONTENT_QUIZZES_DIR=str(tree / "quizzes"),
    )

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert "completion.min_reading_percent: use 0 or more, not -5" in result.output


def test_import_loads_the_options_and_a_changed_file_updates_them(app_ctx, tree):
    _with_completion(
        tree, "[completion]\nmin_reading_percent = 60\nrequire_reaching_end = true\n"
    )

    def imported() -> dict:
        import_content(tree / "courses", tree / "quizzes")
        db.session.commit()
        return db.session.scalar(
            sa.select(Course.completion_rules).where(Course.slug == "records-care")
        )

    assert imported() == {"min_reading_percent": 60, "require_reaching_end": True}
    toml = tree / "courses/records-care/course.toml"
    toml.write_text(toml.read_text().replace("= 60", "= 30"))
    assert imported() == {"min_reading_percent": 30, "require_reaching_end": True}


def test_the_bundled_compliance_course_asks_for_reading_and_the_end():
    specs, errors = load_courses("courses")
    compliance = next(
        s for s in specs if s.slug == "confidentiality-and-data-protection"
    )

    assert errors == []
    assert compliance.completion_rules == {
        "min_reading_percent": 60,
        "require_reaching_end": True,
    }
