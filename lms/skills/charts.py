"""A skills profile drawn: current level against the goal's target, per skill.

One horizontal bar chart per category of a `Profile` (lms.skills.profile),
for any person: "My skills" draws the signed-in learner's, the person page
someone else's. SVG inlined in the page, with no script and nothing loaded
from elsewhere. It reads without colour: the target bars are hatched, each bar
is labelled with its number ("now 2", "target 3"), and a table beside it gives
the same numbers, so the SVG is hidden from screen readers.

Drawn by hand rather than with a charting library: a person page draws one
chart per category, and a few rectangles cost microseconds where a library
chart cost tens of milliseconds on the page's first view. Drawn charts are
still kept in a small LRU keyed by everything the drawing reads (category,
whether a target is drawn, the label width, each skill's name, level and
target), so a changed level or target is a new key and nothing is ever stale.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from lms.skills.profile import CategoryLevels, Profile

CURRENT_COLOUR = "#0d6efd"
TARGET_COLOUR = "#198754"
TEXT_COLOUR = "#212529"
AXIS_COLOUR = "#6c757d"
MAX_LEVEL = 5
BAR_ROW = 50  # px of chart height per skill
BAR = 18  # px height of one bar
LABEL_CHARS = 24  # longer skill names are cut in the chart, never in the table
CHAR_WIDTH = 8.2  # px per character of a label at FONT_SIZE, on average
FONT_SIZE = 14
WIDTH = 480
VALUE_ROOM = 72  # room for "target 5" after the longest bar
AXIS_ROOM = 24  # the level scale under the bars
CACHED_CHARTS = 4096  # a chart is a few kB: this bounds the cache to ~10-20 MB
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


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
    left = 8 + CHAR_WIDTH * max(
        label_width, max((len(_cut(n)) for n, _, _ in rows), default=0)
    )
    plot = WIDTH - left - VALUE_ROOM
    height = BAR_ROW * len(rows) + AXIS_ROOM + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false" class="skill-bars" '
        f'viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
    ]
    if with_target:
        parts.append(f"<defs>{_hatch_pattern(hatch)}</defs>")
    parts.extend(_scale(left, plot, BAR_ROW * len(rows)))
    for n, (name, level, target) in enumerate(rows):
        parts.extend(_row(n * BAR_ROW, left, plot, name, level, target, hatch))
    parts.append("</svg>")
    return Markup("".join(parts))


def _scale(left: float, plot: float, bottom: int) -> list[str]:
    """Faint level lines 0..MAX_LEVEL with their numbers under the bars."""
    marks = []
    for level in range(MAX_LEVEL + 1):
        x = _x(left, plot, level)
        marks.append(
            f'<line x1="{x}" y1="4" x2="{x}" y2="{bottom}" stroke="#dee2e6" '
            'stroke-width="1"/>'
            f'<text x="{x}" y="{bottom + 18}" text-anchor="middle" '
            f'fill="{AXIS_COLOUR}">{level}</text>'
        )
    return marks


def _row(
    top: int,
    left: float,
    plot: float,
    name: str,
    level: float,
    target: float | None,
    hatch: str,
) -> list[str]:
    """A skill's name, its current bar and (with a goal) its hatched target bar."""
    with_target = target is not None
    current_y = top + (5 if with_target else (BAR_ROW - BAR) // 2)
    parts = [
        f'<text x="{left - 8}" y="{top + BAR_ROW / 2 + 5}" text-anchor="end">'
        f"{escape(_cut(name))}</text>",
        *_bar(left, plot, current_y, level, CURRENT_COLOUR, "now"),
    ]
    if with_target:
        parts.extend(
            _bar(left, plot, current_y + BAR + 4, target, f"url(#{hatch})", "target")
        )
    return parts


def _bar(
    left: float, plot: float, y: int, value: float, fill: str, word: str
) -> list[str]:
    """A bar and its words ("now 2") just after its end; nothing for a zero (no
    bar, and the table says "not yet shown")."""
    if not value:
        return []
    end = _x(left, plot, value)
    return [
        f'<rect x="{left}" y="{y}" width="{round(end - left, 1)}" height="{BAR}" '
        f'fill="{fill}"/>',
        f'<text x="{end + 6}" y="{y + BAR - 4}">{word} {value:g}</text>',
    ]


def _x(left: float, plot: float, level: float) -> float:
    share = min(max(float(level), 0.0), MAX_LEVEL) / MAX_LEVEL
    return round(left + share * plot, 1)


def _cut(name: str) -> str:
    """The name, cut to LABEL_CHARS."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def _hatch_pattern(pattern_id: str) -> str:
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" '
        'height="8" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#d1e7dd"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{TARGET_COLOUR}" '
        'stroke-width="3"/></pattern>'
    )
