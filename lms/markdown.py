"""Markdown to safe HTML. Lessons are rendered at save/import time, never per request.

`render_markdown(text, top_heading=N)` renders the text's highest heading at
hN or below, so text placed under a page's own title never outranks it: when
the text starts at a higher level ("# Heading" for N=2), every heading moves
down by the same step and keeps its place in the outline (never past h6); text
that starts at hN or lower is left as written, so no level is skipped. Lessons
sit under the module page's h1: render them with `render_lesson`, which owns
that level.
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

# The module page's title is its h1, so a lesson's headings render at h2 or below.
LESSON_TOP_HEADING = 2


def render_markdown(text: str | None, *, top_heading: int = 1) -> str:
    """Render Markdown and sanitise the result; safe to mark as Markup.

    top_heading: the highest level a heading may render at; a text that starts
    higher moves all its headings down together.
    """
    if not 1 <= top_heading <= 6:
        raise ValueError("top_heading is a heading level, 1 to 6")
    env: dict = {}
    tokens = _md.parse(text or "", env)
    _keep_headings_at_or_below(tokens, top_heading)
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


def _keep_headings_at_or_below(tokens, top: int) -> None:
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if not headings:
        return
    step = top - min(int(t.tag[1]) for t in headings)
    if step <= 0:
        return
    for token in headings:
        token.tag = f"h{min(int(token.tag[1]) + step, 6)}"
