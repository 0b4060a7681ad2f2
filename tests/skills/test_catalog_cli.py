"""`flask content check` and `flask content import` with a skills catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from lms.config import PROJECT_ROOT
from lms.extensions import db
from lms.skills.models import Skill

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def use_tree(app, tmp_path: Path, catalog: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(catalog, root / "courses" / "_catalog")
    (root / "quizzes").mkdir()
    app.config.update(
        CONTENT_COURSES_DIR=str(root / "courses"),
        CONTENT_QUIZZES_DIR=str(root / "quizzes"),
    )
    return root


def test_check_counts_skills_and_paths(app, runner, tmp_path):
    use_tree(app, tmp_path, FIXTURES / "good" / "courses" / "_catalog")

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "0 courses, 0 assessments, 4 skills, 2 career paths OK"
    )


def test_check_lists_the_catalogs_problems_and_fails(app, runner, tmp_path):
    use_tree(app, tmp_path, FIXTURES / "bad" / "courses" / "_catalog")

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert (
        "courses/_catalog/skills.toml:21: skills.ten-key.levels: has 4 descriptors"
        in result.output
    )
    assert "17 errors in 2 files." in result.output


def test_import_refuses_a_broken_catalog_and_writes_nothing(app, runner, tmp_path):
    use_tree(app, tmp_path, FIXTURES / "bad" / "courses" / "_catalog")

    result = runner.invoke(args=["content", "import"])

    assert result.exit_code == 1
    assert "Nothing was imported." in result.output
    with app.app_context():
        assert db.session.scalars(sa.select(Skill)).all() == []


def test_import_of_the_bundled_catalog_lists_what_it_created(app, runner, tmp_path):
    use_tree(app, tmp_path, PROJECT_ROOT / "courses" / "_catalog")

    first = runner.invoke(args=["content", "import"])
    second = runner.invoke(args=["content", "import"])

    assert first.exit_code == 0, first.output
    assert "  created     skill data-entry" in first.output
    assert "  created     role operations-manager" in first.output
    assert second.output.strip().endswith(
        "Imported: 0 created, 0 updated, 48 unchanged, 0 unpublished, 0 skipped."
    )
