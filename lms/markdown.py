"""Markdown to safe HTML. Lessons are rendered at save/import time, never per request.

`render_markdown(text, top_heading=N)` renders a Markdown "# Heading" at hN and
every deeper level below it (never past h6), so text placed under a page's own
title never outranks it. Lessons sit under the module page's h1: render them
with `render_lesson`, which owns that level.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# js-default escapes raw HTML and refuses javascript: links; nh3 is the second
# line of defence should a preset or plugin ever let something through.
_md = MarkdownIt("js-default").enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# The module page's title is its h1, so a lesson's own headings start at h2.
LESSON_TOP_HEADING = 2


def render_markdown(text: str | None, *, top_heading: int = 1) -> str:
    """Render Markdown and sanitise the result; safe to mark as Markup.

    top_heading: the level a "# Heading" renders at; deeper ones follow it.
    """
    if not 1 <= top_heading <= 6:
        raise ValueError("top_heading is a heading level, 1 to 6")
    env: dict = {}
    tokens = _md.parse(text or "", env)
    _shift_headings(tokens, top_heading - 1)
    html = _md.renderer.render(tokens, _md.options, env)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_lesson(text: str | None) -> str:
    """A lesson's Markdown as safe HTML, its headings below the page title."""
    return render_markdown(text, top_heading=LESSON_TOP_HEADING)


def _shift_headings(tokens, by: int) -> None:
    if not by:
        return
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + by, 6)}"
