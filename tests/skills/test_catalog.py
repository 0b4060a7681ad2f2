"""The skills catalog reader (courses/_catalog/): pure, every problem with its
file, line and field; the bundled framework and career paths validate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT
from lms.content import loader
from lms.skills.catalog import LEVEL_NAMES, level_name, load_catalog

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad" / "courses" / "_catalog"
GOOD = FIXTURES / "good" / "courses" / "_catalog"
REPOSITORY = PROJECT_ROOT / "courses" / "_catalog"
SKILLS = "courses/_catalog/skills.toml"
PATHS = "courses/_catalog/career_paths.toml"

# Every skill slug the bundled courses and assessments name, and those the
# domain asks for beyond them.
CONTENT_SKILLS = {
    "accounting-basics", "active-listening", "attention-to-detail",
    "client-awareness", "confidentiality", "crm-systems", "data-entry",
    "erp-systems", "problem-solving", "process-improvement",
    "quality-speed-balance", "reconciliation", "reporting", "spreadsheets",
    "teamwork", "ten-key", "time-management", "written-communication",
    "sql-data-management", "it-troubleshooting", "adaptability", "leadership",
    "mentoring", "data-analysis",
}  # fmt: skip
LADDER = [
    "trainee-executive",
    "back-office-executive",
    "senior-executive",
    "team-leader",
    "operations-manager",
]


def where(catalog) -> list[tuple[str, int, str]]:
    return [(e.path, e.line, e.field) for e in catalog.errors]


# --- a broken catalog ----------------------------------------------------------------


def test_every_problem_is_reported_with_its_file_line_and_field():
    catalog = load_catalog(BAD)

    assert where(catalog) == [
        (PATHS, 11, "roles.trainee.requires.ten-key"),
        (PATHS, 12, "roles.trainee.requires.data-entri"),
        (PATHS, 15, "roles.trainee.slug"),
        (PATHS, 17, "roles.trainee.reqires"),
        (PATHS, 22, "paths.side.side_path"),
        (PATHS, 27, "roles.analyst.requires.teamwork"),
        (SKILLS, 2, "framework.method"),
        (SKILLS, 3, "framework.recent_days"),
        (SKILLS, 4, "framework.decay"),
        (SKILLS, 10, "categories.keying.colour"),
        (SKILLS, 20, "skills.ten-key.descripton"),
        (SKILLS, 21, "skills.ten-key.levels"),
        (SKILLS, 26, "categories.people.group"),
        (SKILLS, 29, "skills.data-entry.slug"),
        (SKILLS, 34, "skills[4].slug"),
        (SKILLS, 36, "skills[4].levels"),
        (SKILLS, 38, "skills.teamwork.name"),
    ]


def test_messages_say_what_is_wrong_and_suggest_the_likely_fix():
    messages = {e.field: e.message for e in load_catalog(BAD).errors}

    assert (
        "not one of highest_recent, latest, decaying_average"
        in (messages["framework.method"])
    )
    assert messages["skills.ten-key.descripton"] == (
        "unknown key 'descripton' (did you mean 'description'?)"
    )
    assert messages["roles.trainee.reqires"].endswith("(did you mean 'requires'?)")
    assert messages["skills.ten-key.levels"].startswith(
        "has 4 descriptors; a skill needs exactly 5"
    )
    assert messages["skills[4].levels"] == "the descriptor of level 2 is empty"
    assert messages["skills.data-entry.slug"] == (
        "skill slug 'data-entry' is already used on line 13"
    )
    assert messages["roles.trainee.slug"] == (
        "role slug 'trainee' is already used on line 6"
    )
    assert messages["roles.trainee.requires.data-entri"] == (
        "'data-entri' is not a skill of courses/_catalog/skills.toml "
        "(did you mean 'data-entry'?)"
    )
    assert "at most 5, not 6" in messages["roles.trainee.requires.ten-key"]
    assert "1 or more" in messages["roles.analyst.requires.teamwork"]
    assert (
        "'soft' is not one of technical, professional"
        in (messages["categories.people.group"])
    )


def test_a_broken_catalog_yields_no_specs_to_import():
    catalog = load_catalog(BAD)

    assert catalog.framework is None
    assert catalog.categories == []
    assert catalog.paths == []


def test_a_syntax_error_is_reported_on_its_line(tmp_path):
    folder = tmp_path / "courses" / "_catalog"
    folder.mkdir(parents=True)
    (folder / "skills.toml").write_text('[[categories]]\nslug = "a"\nname = \n')

    catalog = load_catalog(folder)

    assert where(catalog) == [(SKILLS, 3, "syntax")]


def test_career_paths_without_a_skills_file_is_one_error(tmp_path):
    folder = tmp_path / "courses" / "_catalog"
    folder.mkdir(parents=True)
    shutil.copy(GOOD / "career_paths.toml", folder)

    catalog = load_catalog(folder)

    assert catalog.present is False
    assert [str(e) for e in catalog.errors] == [
        f"{PATHS}:1: file: career paths require courses/_catalog/skills.toml, "
        "which is missing"
    ]


def test_a_missing_catalog_is_no_catalog(tmp_path):
    catalog = load_catalog(tmp_path / "courses" / "_catalog")

    assert (catalog.present, catalog.errors, catalog.skills) == (False, [], [])


def test_requirements_read_as_a_sub_table_or_an_inline_table():
    catalog = load_catalog(GOOD)

    assert catalog.errors == []
    assert catalog.framework.method == "decaying_average"
    assert (catalog.framework.recent_days, catalog.framework.decay) == (180, 0.5)
    ladder, side = catalog.paths
    assert (ladder.side_path, side.side_path) == (False, True)
    assert [(r.slug, r.position) for r in ladder.roles] == [("trainee", 1), ("lead", 2)]
    assert ladder.roles[1].requires == {
        "data-entry": 3,
        "ten-key": 3,
        "teamwork": 3,
        "leadership": 4,
    }
    assert side.roles[0].requires == {"data-entry": 3, "teamwork": 2}
    assert [(s.slug, s.category_slug, s.position) for s in catalog.skills] == [
        ("data-entry", "keying", 1),
        ("ten-key", "keying", 2),
        ("teamwork", "people", 1),
        ("leadership", "people", 2),
    ]


def test_level_names():
    assert LEVEL_NAMES[0] == "Awareness" and LEVEL_NAMES[-1] == "Expert"
    assert [level_name(n) for n in (0, 1, 3, 5, 6)] == [
        "",
        "Awareness",
        "Proficient",
        "Expert",
        "",
    ]


# --- skill slugs named by courses and assessments ------------------------------------


def content_tree(tmp_path: Path, course_skills: str, quiz_skills: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(GOOD, root / "courses" / "_catalog")
    course = root / "courses" / "basics"
    (course / "modules").mkdir(parents=True)
    (course / "course.toml").write_text(
        f'title = "Basics"\nsummary = "Short."\nskills = {course_skills}\n'
    )
    (course / "modules" / "01-start.md").write_text('+++\ntitle = "Start"\n+++\nGo.\n')
    (root / "quizzes").mkdir()
    (root / "quizzes" / "check.toml").write_text(
        'kind = "quiz"\ntitle = "Check"\n\n'
        f"skills = {quiz_skills}\n\n"
        '[[questions]]\nid = "q1"\ntype = "truefalse"\nprompt = "Yes?"\n'
        "answer = true\n"
    )
    return root


def test_content_naming_a_skill_the_framework_lacks_is_an_error(tmp_path):
    root = content_tree(tmp_path, '["data-entry", "typing"]', '["ten-keys"]')

    catalog = loader.load_content(root / "courses", root / "quizzes")

    assert [str(e) for e in catalog.errors] == [
        "courses/basics/course.toml:3: skills: 'typing' is not a skill of "
        "courses/_catalog/skills.toml",
        "quizzes/check.toml:4: skills: 'ten-keys' is not a skill of "
        "courses/_catalog/skills.toml (did you mean 'ten-key'?)",
    ]


def test_content_naming_known_skills_loads_with_the_catalog(tmp_path):
    root = content_tree(tmp_path, '["data-entry", "teamwork"]', '["ten-key"]')

    catalog = loader.load_content(root / "courses", root / "quizzes")

    assert catalog.errors == []
    assert catalog.skill_catalog.skill_slugs() == {
        "data-entry",
        "ten-key",
        "teamwork",
        "leadership",
    }


def test_without_a_skills_file_any_slug_is_accepted(tmp_path):
    root = content_tree(tmp_path, '["anything-goes"]', '["typing"]')
    shutil.rmtree(root / "courses" / "_catalog")

    assert loader.load_content(root / "courses", root / "quizzes").errors == []


# --- the bundled framework and career paths ------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_catalog(REPOSITORY)


def test_the_bundled_catalog_validates(bundled):
    assert bundled.present
    assert [str(e) for e in bundled.errors] == []


def test_the_bundled_framework_covers_what_the_content_uses(bundled):
    slugs = bundled.skill_slugs()

    assert len(slugs) >= 20
    assert CONTENT_SKILLS - slugs == set()
    assert {c.group for c in bundled.categories} == {"technical", "professional"}
    assert all(len(s.levels) == 5 and all(s.levels) for s in bundled.skills)
    assert all(s.description for s in bundled.skills)
    framework = bundled.framework
    assert (framework.method, framework.recent_days, framework.decay) == (
        "highest_recent",
        365,
        0.65,
    )


def test_every_bundled_course_and_assessment_names_known_skills():
    catalog = loader.load_content(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    named = {
        s for spec in [*catalog.courses, *catalog.assessments] for s in spec.skills
    }

    assert catalog.errors == []
    assert named <= catalog.skill_catalog.skill_slugs()


def test_the_bundled_ladder_and_side_paths(bundled):
    paths = {p.slug: p for p in bundled.paths}
    main = [p for p in bundled.paths if not p.side_path]

    assert len(main) == 1
    assert [r.slug for r in main[0].roles] == LADDER
    side_roles = {r.slug for p in bundled.paths if p.side_path for r in p.roles}
    assert {"quality-analyst", "mis-analyst", "process-trainer"} <= side_roles
    assert all(r.description and r.requires for r in bundled.roles)
    assert len(paths) == 4


def test_requirements_never_drop_along_a_path_and_the_total_rises(bundled):
    for path in bundled.paths:
        for lower, higher in zip(path.roles, path.roles[1:], strict=False):
            dropped = {
                skill: (level, higher.requires.get(skill, 0))
                for skill, level in lower.requires.items()
                if higher.requires.get(skill, 0) < level
            }
            assert dropped == {}, f"{path.slug}: {lower.slug} → {higher.slug}"
            assert sum(higher.requires.values()) > sum(lower.requires.values())


def test_the_ladder_asks_for_keying_first_then_analysis_then_leadership(bundled):
    roles = {r.slug: r.requires for r in bundled.roles}
    trainee, executive, senior, leader, manager = (roles[s] for s in LADDER)

    assert trainee["data-entry"] >= 2 and trainee["ten-key"] >= 2
    assert executive["data-entry"] == executive["ten-key"] == 3
    assert "reporting" not in executive and senior["reporting"] >= 2
    assert "leadership" not in senior and leader["leadership"] >= 4
    assert manager["leadership"] == 5
    assert leader["mentoring"] > senior["mentoring"]
