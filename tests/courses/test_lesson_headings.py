"""A lesson's headings never outrank the module page's title (its h1)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from lms.markdown import render_lesson, render_markdown


def _headings(html: str) -> list[tuple[str, str]]:
    return [
        (tag, re.sub(r"<[^>]+>", "", text).strip())
        for tag, text in re.findall(r"<(h[1-6])[^>]*>(.*?)</\1>", html, re.S)
    ]


def test_markdown_headings_start_at_the_level_asked_for():
    text = "# Intro\n\n## Detail\n\n##### Deep\n\n###### Deepest\n\nSetext\n======"

    assert _headings(render_markdown(text, top_heading=3)) == [
        ("h3", "Intro"),
        ("h4", "Detail"),
        ("h6", "Deep"),  # never past h6
        ("h6", "Deepest"),
        ("h3", "Setext"),
    ]


def test_markdown_keeps_its_levels_by_default():
    assert _headings(render_markdown("# One\n\n## Two")) == [
        ("h1", "One"),
        ("h2", "Two"),
    ]


@pytest.mark.parametrize("level", [0, 7])
def test_a_top_heading_that_is_no_heading_level_is_refused(level):
    with pytest.raises(ValueError):
        render_markdown("# x", top_heading=level)


def test_a_text_that_starts_low_enough_keeps_its_levels():
    text = "## Section\n\n### Part\n\n## Next"

    assert _headings(render_lesson(text)) == [
        ("h2", "Section"),
        ("h3", "Part"),
        ("h2", "Next"),
    ]
    assert _headings(render_markdown("### Aside", top_heading=2)) == [("h3", "Aside")]


def test_a_lesson_starts_at_h2():
    assert _headings(render_lesson("# Intro\n\n### Aside")) == [
        ("h2", "Intro"),
        ("h4", "Aside"),
    ]


def test_the_module_page_title_is_the_only_h1_above_the_lesson(world):
    saved = world.client("trainer_owner").post(
        world.path("/manage/courses/published/modules/{p1}/edit"),
        data={"title": "Totals", "minutes": "5", "body_md": "# Intro\n\n## Detail"},
    )
    assert saved.status_code == 302

    html = (
        world.client("learner")
        .get(world.path("/courses/published/modules/{p1}"))
        .get_data(as_text=True)
    )

    main = html[html.index("<main") :]
    assert _headings(main)[:3] == [("h1", "Totals"), ("h2", "Intro"), ("h3", "Detail")]
    assert [tag for tag, _ in _headings(main)].count("h1") == 1


def _migration():
    path = next(
        (Path(__file__).parents[2] / "migrations" / "versions").glob(
            "*_lesson_headings_below_page_title.py"
        )
    )
    spec = importlib.util.spec_from_file_location("lesson_headings_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_lesson_stored_with_an_h1_is_moved_down_as_rendering_again_would():
    text = "# Intro\n\n## Detail\n\n###### Deepest\n\nText with <h1> typed in it."
    stored_before = render_markdown(text)

    assert _migration()._one_level_down(stored_before) == render_lesson(text)
