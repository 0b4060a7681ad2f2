"""`flask content import` writes the skills catalog: upsert by slug in the one
transaction, idempotent, never touching browser rows, never deleting skills."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.config import PROJECT_ROOT
from lms.content.importer import import_content
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.skills import framework
from lms.skills.models import (
    CareerGoal,
    CareerPath,
    CareerRole,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillFramework,
)
from lms.users.models import Role
from tests import factories
from tests.skills import framework_builders as build

pytestmark = pytest.mark.usefixtures("app_ctx")

GOOD = Path(__file__).resolve().parent / "fixtures" / "good" / "courses" / "_catalog"


def tree(tmp_path: Path, catalog: Path = GOOD) -> Path:
    root = tmp_path / "content"
    shutil.copytree(catalog, root / "courses" / "_catalog")
    (root / "quizzes").mkdir()
    return root


def run(root: Path, **kwargs):
    report = import_content(root / "courses", root / "quizzes", **kwargs)
    assert report.ok, [str(e) for e in report.errors]
    if not kwargs.get("dry_run"):
        db.session.commit()
    return report


def lines(changes) -> list[str]:
    return [str(change) for change in changes]


def rows(model) -> dict:
    return {row.slug: row for row in db.session.scalars(sa.select(model))}


def requirements(role_slug: str) -> dict[str, int]:
    found = db.session.execute(
        sa.select(Skill.slug, RoleRequirement.level)
        .join(RoleRequirement.skill)
        .join(RoleRequirement.role)
        .where(CareerRole.slug == role_slug)
    ).all()
    return dict(found)


def test_the_first_import_creates_the_framework_skills_and_paths(tmp_path):
    report = run(tree(tmp_path))

    assert lines(report.created) == [
        "framework settings: decaying_average, 180 days, decay 0.5",
        "category keying",
        "category people",
        "skill data-entry",
        "skill ten-key",
        "skill teamwork",
        "skill leadership",
        "path ladder",
        "role trainee",
        "role lead",
        "path side",
        "role analyst",
    ]
    settings = db.session.scalars(sa.select(SkillFramework)).one()
    assert (settings.method, settings.recent_days, settings.decay) == (
        "decaying_average",
        180,
        0.5,
    )
    skills = rows(Skill)
    assert skills["data-entry"].level_descriptors == [
        "Knows",
        "Keys slowly",
        "Keys well",
        "Keys fast",
        "Teaches keying",
    ]
    assert {s.origin for s in skills.values()} == {ORIGIN_FILE}
    assert rows(SkillCategory)["people"].group == "professional"
    roles = rows(CareerRole)
    assert [(roles[s].position, roles[s].path_id) for s in ("trainee", "lead")] == [
        (1, rows(CareerPath)["ladder"].id),
        (2, rows(CareerPath)["ladder"].id),
    ]
    assert rows(CareerPath)["side"].is_side_path is True
    assert requirements("lead") == {
        "data-entry": 3,
        "ten-key": 3,
        "teamwork": 3,
        "leadership": 4,
    }


def test_a_second_import_changes_nothing(tmp_path):
    root = tree(tmp_path)
    run(root)

    again = run(root)

    assert not again.changed
    assert again.counts()["unchanged"] == 12
    assert again.counts()["created"] == again.counts()["updated"] == 0


def test_the_bundled_catalog_imports_and_is_idempotent(tmp_path):
    root = tree(tmp_path, PROJECT_ROOT / "courses" / "_catalog")

    first = run(root)
    second = run(root)

    assert len([c for c in first.created if c.kind == "skill"]) == 24
    assert len([c for c in first.created if c.kind == "role"]) == 11
    assert not second.changed
    assert db.session.scalar(sa.select(sa.func.count(RoleRequirement.id))) > 100


def test_a_dry_run_writes_nothing(tmp_path):
    report = run(tree(tmp_path), dry_run=True)

    assert len(report.created) == 12
    assert db.session.scalars(sa.select(Skill)).all() == []


def test_changes_in_the_file_update_rows_and_requirements(tmp_path):
    root = tree(tmp_path)
    run(root)
    skills_file = root / "courses" / "_catalog" / "skills.toml"
    skills_file.write_text(
        skills_file.read_text().replace('name = "10-key"', 'name = "Numeric keypad"')
    )
    paths_file = root / "courses" / "_catalog" / "career_paths.toml"
    paths_file.write_text(
        paths_file.read_text().replace(
            "data-entry = 2\nten-key = 1\n", "data-entry = 3\nteamwork = 1\n"
        )
    )

    report = run(root)

    assert lines(report.updated) == [
        "skill ten-key",
        "role trainee: 1 requirement added, 1 requirement changed, "
        "1 requirement removed",
    ]
    assert rows(Skill)["ten-key"].name == "Numeric keypad"
    assert requirements("trainee") == {"data-entry": 3, "teamwork": 1}


def test_browser_rows_with_a_files_slug_are_never_touched(tmp_path):
    people = build.category("people", group="technical")
    teamwork = build.skill("teamwork", of=people, name="Our teamwork")
    side = build.path("side")
    mine = build.role("lead", on=side, requires={teamwork: 5})
    db.session.commit()

    report = run(tree(tmp_path))

    assert lines(report.skipped) == [
        "category people: a category with this slug was made in the browser and is "
        "never overwritten",
        "skill teamwork: a skill with this slug was made in the browser and is never "
        "overwritten",
        "role lead: a role with this slug was made in the browser and is never "
        "overwritten",
        "path side: a path with this slug was made in the browser and is never "
        "overwritten",
        "role analyst: its path side was made in the browser",
    ]
    assert (people.origin, people.group) == (ORIGIN_UI, "technical")
    assert (teamwork.name, teamwork.origin) == ("Our teamwork", ORIGIN_UI)
    assert (mine.path_id, mine.origin) == (side.id, ORIGIN_UI)
    assert requirements("lead") == {"teamwork": 5}
    # The file's other rows still land, in the browser's category.
    assert rows(Skill)["leadership"].category_id == people.id


def test_skills_that_leave_the_file_are_deactivated_and_come_back(tmp_path):
    root = tree(tmp_path)
    run(root)
    skills_file = root / "courses" / "_catalog" / "skills.toml"
    original = skills_file.read_text()
    paths_file = root / "courses" / "_catalog" / "career_paths.toml"
    paths_file.write_text(paths_file.read_text().replace("ten-key = 3\n", ""))
    paths_file.write_text(paths_file.read_text().replace("ten-key = 1\n", ""))
    start = original.index('[[categories.skills]]\nslug = "ten-key"')
    end = original.index("[[categories]]", start)
    skills_file.write_text(original[:start] + original[end:])

    report = run(root)

    assert lines(report.unpublished) == [
        "skill ten-key: no longer in skills.toml; deactivated, not deleted"
    ]
    assert rows(Skill)["ten-key"].is_active is False

    skills_file.write_text(original)
    back = run(root)

    assert "skill ten-key" in lines(back.updated)
    assert rows(Skill)["ten-key"].is_active is True


def test_roles_that_leave_the_file_go_unless_a_goal_points_at_them(tmp_path):
    root = tree(tmp_path)
    run(root)
    learner = factories.user(Role.LEARNER)
    db.session.add(CareerGoal(user_id=learner.id, role_id=rows(CareerRole)["lead"].id))
    db.session.commit()
    paths_file = root / "courses" / "_catalog" / "career_paths.toml"
    text = paths_file.read_text()
    # Keep the ladder's first role only: "lead" and the side path leave the file.
    paths_file.write_text(text[: text.index('[[paths.roles]]\nslug = "lead"')])

    report = run(root)

    assert lines(report.skipped) == [
        "role lead: no longer in career_paths.toml but people's goals point at it; "
        "kept",
    ]
    assert lines(report.unpublished) == [
        "role analyst: no longer in career_paths.toml; removed",
        "path side: no longer in career_paths.toml; removed",
    ]
    assert set(rows(CareerRole)) == {"trainee", "lead"}
    assert set(rows(CareerPath)) == {"ladder"}


def test_the_file_sets_the_method_until_it_is_saved_in_the_browser(tmp_path):
    root = tree(tmp_path)
    run(root)
    skills_file = root / "courses" / "_catalog" / "skills.toml"
    skills_file.write_text(
        skills_file.read_text().replace("decay = 0.5", "decay = 0.6")
    )

    followed = run(root)

    assert lines(followed.updated) == [
        "framework settings: decaying_average, 180 days, decay 0.6"
    ]
    admin = factories.user(Role.ADMIN)
    framework.update_settings(method="latest", recent_days=90, decay=0.6, by=admin)
    db.session.commit()

    kept = run(root)

    assert lines(kept.skipped) == [
        "framework settings: the level method was saved in the browser and is kept "
        "(latest); the file says decaying_average, 180 days, decay 0.6"
    ]
    assert db.session.scalars(sa.select(SkillFramework)).one().method == "latest"
