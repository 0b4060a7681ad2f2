"""Exporting and importing the framework as CSV against the database: all or
nothing, file rows only unchanged, a round trip changes nothing; the CLI."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.skills import csv_io, framework_csv
from lms.skills.models import Skill, SkillCategory
from lms.users.models import Role
from tests import factories
from tests.skills import framework_builders as build

pytestmark = pytest.mark.usefixtures("app_ctx")

HEADER = ",".join(csv_io.COLUMNS)
LEVELS = "Knows,Works,Proficient,Advanced,Expert"


def skills() -> dict[str, Skill]:
    return {s.slug: s for s in db.session.scalars(sa.select(Skill))}


def categories() -> dict[str, SkillCategory]:
    return {c.slug: c for c in db.session.scalars(sa.select(SkillCategory))}


@pytest.fixture
def world():
    keying = build.category("keying", origin=ORIGIN_FILE)
    keying.name = "Keying"
    filed = build.skill("data-entry", of=keying, origin=ORIGIN_FILE, name="Data entry")
    people = build.category("people", group="professional")
    people.name = "People"
    mine = build.skill("teamwork", of=people, name="Teamwork")
    build.skill("gone", of=people, active=False)
    admin = factories.user(Role.ADMIN)
    db.session.commit()
    return {"filed": filed, "mine": mine, "admin": admin}


def test_export_lists_active_skills_in_framework_order(world):
    text = framework_csv.export_csv()

    lines = text.splitlines()
    assert lines[0] == HEADER
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["Keying", "technical", "data-entry", "Data entry"],
        ["People", "professional", "teamwork", "Teamwork"],
    ]
    assert lines[1].endswith(",".join(world["filed"].level_descriptors))


def test_an_exported_file_imports_back_unchanged(world):
    text = framework_csv.export_csv()

    preview = framework_csv.preview_import(text)
    outcome = framework_csv.import_framework(text, by=world["admin"])

    assert preview.ok
    assert (preview.created, preview.updated) == ([], [])
    assert preview.unchanged == ["data-entry", "teamwork"]
    assert (outcome.created, outcome.updated, outcome.unchanged) == ([], [], 2)


def test_import_creates_and_updates_browser_skills_and_new_categories(world):
    text = (
        f"{HEADER}\n"
        f"People,professional,teamwork,Working together,Shares the load.,{LEVELS}\n"
        f"Systems & data,technical,sql-basics,SQL basics,,{LEVELS}\n"
        f"keying,technical,ten-key,10-key,,{LEVELS}\n"
    )

    preview = framework_csv.preview_import(text)
    outcome = framework_csv.import_framework(text, by=world["admin"])
    db.session.commit()

    assert (preview.created, preview.updated) == (
        ["sql-basics", "ten-key"],
        ["teamwork"],
    )
    assert preview.new_categories == ["Systems & data"]
    assert [c.slug for c in outcome.new_categories] == ["systems-data"]
    found = skills()
    assert found["teamwork"].name == "Working together"
    assert found["teamwork"].description == "Shares the load."
    assert found["sql-basics"].category.slug == "systems-data"
    assert found["sql-basics"].origin == ORIGIN_UI
    assert found["ten-key"].category_id == categories()["keying"].id
    assert found["ten-key"].level_descriptors == LEVELS.split(",")
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"skills.skill.create", "skills.skill.update"} <= actions


def test_a_changed_file_skill_is_a_problem_and_nothing_is_written(world):
    text = (
        f"{HEADER}\n"
        f"Keying,technical,data-entry,Renamed,,{LEVELS}\n"
        f"Keying,technical,new-one,New,,{LEVELS}\n"
        f"Keying,professional,other,Other,,{LEVELS}\n"
    )

    preview = framework_csv.preview_import(text)
    with pytest.raises(framework_csv.ImportRejectedError) as rejected:
        framework_csv.import_framework(text, by=world["admin"])

    assert [(p.line, p.field) for p in preview.errors] == [
        (2, "slug"),
        (4, "category_group"),
    ]
    assert "comes from the skills file" in preview.errors[0].message
    assert str(rejected.value) == "2 problems found; nothing was imported."
    assert set(skills()) == {"data-entry", "teamwork", "gone"}
    assert skills()["data-entry"].name == "Data entry"


def test_a_new_category_whose_slug_is_taken_is_a_problem(world):
    text = f"{HEADER}\nPEOPLE!,professional,x,X,,{LEVELS}\n"

    [problem] = framework_csv.preview_import(text).errors

    assert (problem.line, problem.field) == (2, "category")
    assert "would get the slug people" in problem.message


def test_a_browser_categorys_group_follows_the_file(world):
    text = f"{HEADER}\nPeople,technical,teamwork,Teamwork,,{LEVELS}\n"

    framework_csv.import_framework(text, by=world["admin"])

    assert categories()["people"].group == "technical"


def test_the_category_slug_is_made_from_its_name():
    assert framework_csv.category_slug("Keying & accuracy") == "keying-accuracy"
    assert framework_csv.category_slug("  Café  data ") == "cafe-data"
    assert framework_csv.category_slug("!!!") == ""


# --- the CLI --------------------------------------------------------------------------


def test_cli_export_and_import_round_trip(world, app, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "skills.csv"

    exported = runner.invoke(args=["skills", "export", str(target)])
    target.write_text(
        target.read_text().replace("Teamwork", "Team work", 1), encoding="utf-8"
    )
    checked = runner.invoke(args=["skills", "import", "--dry-run", str(target)])
    imported = runner.invoke(args=["skills", "import", str(target)])

    assert exported.exit_code == 0, exported.output
    assert "Exported 2 skills." in exported.output
    assert checked.exit_code == 0, checked.output
    assert "Would create 0, update 1 and leave 1 skills unchanged" in checked.output
    assert imported.exit_code == 0, imported.output
    assert "Created 0, updated 1, 1 unchanged; 0 new categories." in imported.output
    db.session.expire_all()
    assert skills()["teamwork"].name == "Team work"


def test_cli_import_lists_problems_and_writes_nothing(world, app, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text(f"{HEADER}\nKeying,technical,Bad Slug,X,,{LEVELS}\n")

    result = app.test_cli_runner().invoke(args=["skills", "import", str(source)])

    assert result.exit_code == 1
    assert "line 2: slug: “Bad Slug” is not a slug" in result.output
    assert "1 problem found; nothing was imported." in result.output
