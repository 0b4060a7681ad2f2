"""A skills profile drawn: current level against the goal's target, per skill.

One horizontal bar chart per category of a `Profile` (lms.skills.profile),
for any person: "My skills" draws the signed-in learner's, the person page
someone else's. Pygal SVG inlined in the page, with no script and nothing
loaded from elsewhere. It reads without colour: the target bars are hatched,
each bar is labelled with its number ("now 2", "target 3") and the legend says
which is which; a table beside it gives the same numbers, so the SVG is hidden
from screen readers.

Drawing one chart with pygal costs tens of milliseconds, and a person page
draws one per category, so each drawn SVG is kept in a bounded LRU in process
memory, keyed by everything the drawing reads: the category, whether a target
is drawn, the label width, and each skill's name, level and target. Two people
with the same levels share a chart; a changed level or target is a new key, so
nothing is ever stale. It is a cache, not state: losing it only costs time.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pygal
from markupsafe import Markup
from pygal.style import Style

from lms.skills.profile import CategoryLevels, Profile

CURRENT_COLOUR = "#0d6efd"
TARGET_COLOUR = "#198754"
SCRIPT_RE = re.compile(r"<script\b.*?</script>", re.S | re.I)
MAX_LEVEL = 5
BAR_ROW = 50  # px of chart height per skill
LABEL_CHARS = 24  # longer skill names are cut in the chart, never in the table
CACHED_CHARTS = 4096  # a chart is a few kB: this bounds the cache to ~10-20 MB


def profile_charts(profile: Profile) -> dict[int, Markup]:
    """{category id: chart} for every category of the profile."""
    with_target = profile.goal is not None
    label_width = max(
        (min(len(row.skill.name), LABEL_CHARS) for row in profile.skills), default=0
    )
    return {
        group.category.id: category_chart(group, with_target, label_width)
        for group in profile.categories
        if group.skills
    }


def category_chart(
    group: CategoryLevels, with_target: bool, label_width: int = 0
) -> Markup:
    """One category's chart; `label_width` (characters) lines up the bars of
    every chart on a page, whatever each category's longest skill name."""
    rows = tuple(
        (row.skill.name, row.level, row.target if with_target else None)
        for row in group.skills
    )
    return _drawn_chart(group.category.id, with_target, label_width, rows)


@lru_cache(maxsize=CACHED_CHARTS)
def _drawn_chart(
    category_id: int,
    with_target: bool,
    label_width: int,
    rows: tuple[tuple[str, float, float | None], ...],
) -> Markup:
    """The chart of `rows` (skill name, level, target), in the table's order."""
    hatch = f"target-hatch-{category_id}"
    chart = pygal.HorizontalBar(
        js=[],
        style=_style(hatch if with_target else None),
        defs=[_hatch_pattern(hatch)] if with_target else [],
        show_legend=False,  # each bar says what it is: "now 2", "target 3"
        height=50 + BAR_ROW * len(rows),
        width=480,
        range=(0, MAX_LEVEL),
        y_labels=list(range(MAX_LEVEL + 1)),
        print_values=True,
        print_values_position="top",
        truncate_label=-1,  # _label cuts long names itself
        margin=8,
        margin_right=64,  # room for "target 5" after the longest bar
        spacing=6,
        explicit_size=False,
        disable_xml_declaration=True,
    )
    # pygal draws the first label at the bottom: reverse to read like the table.
    bottom_up = list(reversed(rows))
    chart.x_labels = [_label(name, label_width) for name, _, _ in bottom_up]
    chart.add(
        "Current level",
        [level for _, level, _ in bottom_up],
        formatter=_value_text("now"),
    )
    if with_target:
        chart.add(
            "Target (hatched)",
            [target for _, _, target in bottom_up],
            formatter=_value_text("target"),
        )
    return _svg(chart)


def _label(name: str, width: int) -> str:
    """The name, cut to LABEL_CHARS, padded with no-break spaces (which SVG keeps)
    to `width` so every chart reserves the same room for its labels."""
    if len(name) > LABEL_CHARS:
        name = name[: LABEL_CHARS - 1] + "…"
    return "\u00a0" * max(width - len(name), 0) + name


def _value_text(word: str):
    """A bar's words ("now 2") just after its end; nothing for a zero (no bar, and
    the table says "not yet shown"), which would only sit on the skill's name.

    pygal centres a value on the bar's end: leading no-break spaces as long as
    the words move the visible words past the end, onto the background."""

    def text(value) -> str:
        if not value:
            return ""
        words = f"{word} {value:g}"
        return "\u00a0" * (len(words) + 1) + words

    return text


def _style(hatch: str | None) -> Style:
    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#6c757d",
        colors=(CURRENT_COLOUR, f"url(#{hatch})" if hatch else TARGET_COLOUR),
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        label_font_size=15,
        major_label_font_size=15,
        legend_font_size=15,
        value_font_size=14,
        value_colors=("#212529", "#212529"),
        opacity="1",
        opacity_hover="1",
        # No guide lines: they would cross the words after each bar.
        guide_stroke_color="transparent",
        major_guide_stroke_color="transparent",
    )


def _hatch_pattern(pattern_id: str) -> str:
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" '
        'height="8" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#d1e7dd"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{TARGET_COLOUR}" '
        'stroke-width="3"/></pattern>'
    )


def _svg(chart) -> Markup:
    """The chart as inline SVG: pygal's config script would be refused by the
    page's CSP anyway, so it is taken out."""
    svg = SCRIPT_RE.sub("", chart.render(is_unicode=True))
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
